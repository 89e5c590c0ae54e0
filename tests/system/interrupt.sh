#!/bin/bash
# interrupt.sh - issue 17 on the real-systemd rig: SIGINT or SIGTERM sent to
# `cgisetup --dir DIR --yes` (and `--undo --yes`) while it waits for
# systemd's reload job is waited out: the run finishes, prints its report,
# says "interrupted while applying; waited for the change to finish" (or
# "... undoing ...") on stderr and exits 0; the change is live (the script
# runs; after the undo, 404). The reload is held at a gate (common.sh) until
# the signal was sent, so the signal lands inside the activation every time.
. "$(dirname "$0")/common.sh"
sys_require
sys_start c interrupt
c_gate_install "$c"

url=http://127.0.0.1/intr/hello.py

# start C ARGS...: cgisetup ARGS... in the background inside C; its output
# in /tmp/intr.out, .err, its exit status in /tmp/intr.rc once it ended.
start() {
	local c=$1
	shift
	in_c "$c" rm -f /tmp/intr.out /tmp/intr.err /tmp/intr.rc
	in_c "$c" sh -c '"$@" >/tmp/intr.out 2>/tmp/intr.err; echo $? >/tmp/intr.rc.tmp
		mv /tmp/intr.rc.tmp /tmp/intr.rc' _ "$IN_CGISETUP" "$@" </dev/null >/dev/null 2>&1 &
}

# finished C [SECS]: poll for the exit status; print it.
finished() {
	local i
	for ((i = 0; i < ${2:-60} * 20; i++)); do
		if in_c "$1" test -s /tmp/intr.rc; then
			in_c "$1" cat /tmp/intr.rc
			return 0
		fi
		sleep 0.05
	done
	echo timeout
}

# interrupt C SIG WHAT ARGS...: run, signal at the gate, open it; the checks
# common to apply and undo. Sets $rc.
interrupt() {
	local c=$1 sig=$2 what=$3 pid
	shift 3
	c_gate_close "$c"
	start "$c" "$@"
	ok "$what, SIG$sig: the reload reached the gate" c_gate_wait "$c"
	pid=$(in_c "$c" pgrep -x cgisetup)
	ok "$what, SIG$sig: cgisetup is running ($pid)" test -n "$pid"
	in_c "$c" kill -s "$sig" $pid
	c_gate_open "$c"
	rc=$(finished "$c")
	wait
	in_c "$c" cat /tmp/intr.out >"$TMPD/out"
	in_c "$c" cat /tmp/intr.err >"$TMPD/err"
	is_rc "$what, SIG$sig: exit 0" 0 "$rc" "$TMPD/out" "$TMPD/err"
}

for sig in INT TERM; do
	interrupt "$c" "$sig" "apply" --dir /srv/intr --yes
	ok "apply, SIG$sig: the report" has "^cgisetup: CGI is on for '/srv/intr'" "$TMPD/out"
	ok "apply, SIG$sig: verified" has "^cgisetup: verified: " "$TMPD/out"
	ok "apply, SIG$sig: 'interrupted ... waited'" \
		has '^cgisetup: interrupted while applying; waited for the change to finish$' "$TMPD/err"
	ok "apply, SIG$sig: nothing rolled back" not grep -qi 'roll' "$TMPD/out" "$TMPD/err"
	ok "apply, SIG$sig: the script runs" contains "$(c_body "$c" "$url")" "$PROOF"

	interrupt "$c" "$sig" "undo" --undo --yes
	ok "undo, SIG$sig: the report" has "^cgisetup: undone: CGI for '/srv/intr'" "$TMPD/out"
	ok "undo, SIG$sig: 'interrupted ... waited'" \
		has '^cgisetup: interrupted while undoing; waited for the undo to finish$' "$TMPD/err"
	is "undo, SIG$sig: the URL is gone (404)" 404 "$(c_code "$c" "$url")"
done

done_testing
