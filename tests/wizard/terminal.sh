#!/bin/bash
# terminal.sh - the terminal is given back however the wizard ends:
# SIGTERM, SIGHUP, SIGINT (Ctrl-C) and a crash (SIGSEGV) end it with the
# signal's own status, with the terminal settings (stty) exactly as before
# and the pane out of the alternate screen, cursor shown, keypad and mouse
# modes off; nothing is written. No terminal, or a TERM that cannot run a
# full-screen program: a message pointing to --dir ... --yes, exit 2. Not
# root: the preview opens, says root is needed and refuses to apply.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

root="$TMPD/root"
copy_layout own/debian "$root"
before=$(snapshot "$root")
restored="0 1 0 0 0"

start() {
	tui_start "$1" 80 24 "$CGISETUP" --root "$root"
	tui_wait "$1" '> Set up CGI' >/dev/null
}

# killed NAME WHAT SIGNAL: the command's PID gets SIGNAL.
killed() {
	kill -s "$3" "$(tui_pid "$1")"
}

# given_back NAME WHAT STATUS
given_back() {
	is "$2: exit status $3" "$3" "$(tui_wait_exit "$1")"
	is "$2: stty exactly as before" "$(tui_stty_before "$1")" "$(tui_stty_after "$1")"
	is "$2: alternate screen left, cursor shown, keypad and mouse off" "$restored" \
		"$(tui_modes "$1")"
	ok "$2: the shell's next line is on the normal screen" \
		tui_printed "$1" '^-- wrapper: command ended --$'
	is "$2: every file byte-identical" "$before" "$(snapshot "$root")"
}

start quit
tui_keys quit q
given_back quit "q on screen 1" 1

start term
tui_keys term Enter
tui_wait term 'step 2 of 5' >/dev/null
killed term "SIGTERM" TERM
given_back term "SIGTERM on screen 2" 143

start termpv
tui_keys termpv Enter
tui_wait termpv 'step 2 of 5' >/dev/null
tui_keys termpv Enter
tui_wait termpv 'step 3 of 5' >/dev/null
killed termpv "SIGTERM" TERM
given_back termpv "SIGTERM on the preview" 143

start hup
killed hup "SIGHUP" HUP
given_back hup "SIGHUP" 129

start int
tui_keys int C-c
given_back int "Ctrl-C" 130

start segv
killed segv "SIGSEGV" SEGV
given_back segv "a crash (SIGSEGV)" 139

# help and resize do not disturb it either
start help
tui_keys help F1
ok "F1: the help of screen 1" tui_wait help 'Help: Detected system'
tui_keys help Escape
ok "any key closes the help" tui_gone help 'Help: Detected system'
tui_keys help '?'
ok "?: the help too" tui_wait help 'Help: Detected system'
tui_keys help Space q
given_back help "after the help" 1

# TERM that cannot run the wizard, and no terminal at all.
for term in no-such-terminal dumb; do
	tui_start "bad-$term" 80 24 env TERM="$term" "$CGISETUP" --root "$root"
	is "TERM=$term: exit status 2" 2 "$(tui_wait_exit "bad-$term")"
	ok "TERM=$term: says why and what to run instead" \
		tui_printed "bad-$term" "cannot open the wizard on terminal '$term': use --dir DIR"
done
"$CGISETUP" --root "$root" </dev/null >"$TMPD/out" 2>&1
is "no terminal: exit status 2" 2 $?
ok "no terminal: points to --dir DIR --yes" grep -q 'no terminal to ask on: use --dir DIR --yes' "$TMPD/out"
is "no terminal: every file byte-identical" "$before" "$(snapshot "$root")"

# Not root, inside a rig container started without systemd (rig.sh start
# --no-boot), never on this host's Apache: the wizard runs there as user
# 65534 (the rootfs's setpriv) on the container's own /etc/apache2, in this
# test's tmux pane (nsenter passes the terminal through). Needs what the
# system tests need: root and the rig.
NR_RIG=${CGISETUP_RIG:-$TOP_SRCDIR/tests/rig/rig.sh}
NR_C=cgs-term-nobody-$$
NR_CGS=/opt/cgisetup/$(basename "$CGISETUP")
nr_in() {
	"$NR_RIG" exec "$NR_C" -- "$@" </dev/null
}
nr_cleanup() {
	"$NR_RIG" stop "$NR_C" >/dev/null 2>&1 || true
	tui_cleanup
}
NR_SNAP='cd /etc/apache2 && find . -printf "%y %m %u:%g %p %l\n" | LC_ALL=C sort &&
	find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum'
if [ "$(id -u)" -ne 0 ]; then
	skip "not root: needs root to start a rig container"
elif ! "$NR_RIG" setup >"$TMPD/rig-setup.log" 2>&1; then
	skip "not root: the rig cannot be set up: $(tail -n 1 "$TMPD/rig-setup.log")"
else
	trap nr_cleanup EXIT
	"$NR_RIG" start "$NR_C" --no-boot \
		--bind-ro "$(cd "$(dirname "$CGISETUP")" && pwd):/opt/cgisetup" >"$TMPD/rig-start.log" 2>&1
	rc=$?
	is "not root: the rig container starts" 0 "$rc"
	[ "$rc" = 0 ] || sed 's/^/# /' "$TMPD/rig-start.log"
fi
if [ "${rc:-1}" = 0 ]; then
	etc0=$(nr_in sh -c "$NR_SNAP")
	ok "not root: the container has an Apache configuration" test -n "$etc0"
	ok "not root: user 65534 runs cgisetup --detect there" \
		nr_in setpriv --reuid=65534 --regid=65534 --clear-groups "$NR_CGS" --detect
	tui_start user 80 24 "$NR_RIG" exec "$NR_C" -- \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$NR_CGS"
	tui_wait user '> Set up CGI' 20 >/dev/null
	ok "not root: what cgisetup applied is unknown, not 'nothing'" \
		tui_wait user '^  Applied: +unknown \(needs root\)$'
	tui_keys user Enter
	tui_wait user 'step 2 of 5' >/dev/null
	tui_keys user C-u
	tui_type user /srv/cgisetup-wizard-test
	tui_keys user Enter
	ok "not root: the preview opens" tui_wait user 'step 3 of 5: Preview' 20
	ok "not root: says root is needed, before any apply" \
		tui_wait user "root is needed to apply: run 'sudo cgisetup'"
	tui_keys user Tab Enter
	tui_settle user
	ok "not root: Apply is refused" tui_wait user 'step 3 of 5: Preview'
	tui_keys user q
	tui_wait user 'Quit without applying' >/dev/null
	tui_keys user y
	is "not root: exit status 1" 1 "$(tui_wait_exit user)"
	ok "not root: nothing was created" nr_in test ! -e /srv/cgisetup-wizard-test
	is "not root: the container's /etc/apache2 byte-identical" "$etc0" "$(nr_in sh -c "$NR_SNAP")"
	"$NR_RIG" stop "$NR_C" >/dev/null 2>&1
fi

done_testing
