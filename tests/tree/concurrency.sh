#!/bin/bash
# concurrency.sh - one cgisetup changes a system at a time: runs started at
# once give one configuration, exactly once; a run that cannot get the lock
# in time refuses with a message naming the holder's PID. On each Debian
# tree (own, debian-pkg, shared).
. "$(dirname "$0")/../lib.sh"
layouts_init

root="$TMPD/root"
cfg="$root/etc/apache2/apache2.conf"
for deb in "${DEBIAN_LAYOUTS[@]}"; do
	copy_layout "$deb" "$root"

	# Six runs at once, same directory.
	pids=()
	for i in 1 2 3 4 5 6; do
		"$CGISETUP" --root "$root" --dir /srv/cgi --yes --json >"$TMPD/run$i" 2>&1 &
		pids+=($!)
	done
	fails=0
	for pid in "${pids[@]}"; do
		wait "$pid" || fails=$((fails + 1))
	done
	is "$deb: six at once: all exit 0" 0 "$fails"
	is "$deb: six at once: one section" 1 "$(grep -c '^<Directory /srv/cgi>' "$cfg")"
	is "$deb: six at once: one Alias" 1 "$(grep -c '^Alias /cgi/' "$cfg")"
	is "$deb: six at once: exactly one applied" 1 "$(cat "$TMPD"/run* | grep -c '"status":"applied"')"
	is "$deb: six at once: the others found it done" 5 "$(cat "$TMPD"/run* | grep -c '"status":"unchanged"')"
	for i in 1 2 3 4 5 6; do
		json_valid "$deb: six at once: run $i is valid against its schema" apply "$TMPD/run$i"
	done
	is "$deb: six at once: one journal entry" 1 \
		"$("$CGISETUP" --root "$root" --status --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["applied"]))')"

	# Six at once for six directories: six sections, each once.
	copy_layout "$deb" "$root"
	pids=()
	for i in 1 2 3 4 5 6; do
		"$CGISETUP" --root "$root" --dir "/srv/d$i" --yes >/dev/null 2>&1 &
		pids+=($!)
	done
	fails=0
	for pid in "${pids[@]}"; do
		wait "$pid" || fails=$((fails + 1))
	done
	is "$deb: six directories: all exit 0" 0 "$fails"
	for i in 1 2 3 4 5 6; do
		is "$deb: six directories: /srv/d$i once" 1 "$(grep -c "^<Directory /srv/d$i>" "$cfg")"
	done
	ok "$deb: six directories: the file still parses" bash -c \
		"augtool --noautoload -r '$root' -t 'Httpd incl /etc/apache2/apache2.conf' 'match /augeas//error' | grep -q 'no matches'"

	# A run held inside its transaction (strace delays its writes): a second
	# run with --wait 1 refuses, naming the first one's PID, and changes nothing.
	if command -v strace >/dev/null; then
		copy_layout "$deb" "$root"
		strace -f -o /dev/null -e trace=fsync -e inject=fsync:delay_enter=500000 \
			"$CGISETUP" --root "$root" --dir /srv/held --yes >/dev/null 2>&1 &
		holder=$!
		for _ in $(seq 1 100); do
			[ -e "$root/var/lib/cgisetup/lock" ] && break
			sleep 0.05
		done
		sleep 0.3
		cgs_pid=$(pgrep -P "$holder" -f "cgisetup --root $root" | head -n 1)
		"$CGISETUP" --root "$root" --dir /srv/other --yes --wait 1 >"$TMPD/second" 2>&1
		is "$deb: held lock: the second run exits 1" 1 $?
		ok "$deb: held lock: it names the holder's PID ($cgs_pid)" \
			grep -q "another cgisetup (PID $cgs_pid) is changing this system" "$TMPD/second"
		wait "$holder"
		is "$deb: held lock: the first run still succeeds" 0 $?
		is "$deb: held lock: the second changed nothing" 0 "$(grep -c '/srv/other' "$cfg")"
	else
		tool_missing strace strace
	fi
done
done_testing
