#!/bin/bash
# rig-signals.sh - the wizard on the real systemd rig while its terminal is
# resized over and over: a window edge dragged during Apply and during Undo
# sends SIGWINCH every 50 ms. A signal may only make the wizard redraw: the
# apply and the undo succeed, nothing is rolled back, and Apache is reloaded
# gracefully (the same InvocationID), never restarted. Before the fix the
# sd-bus job wait failed with "Interrupted system call" and everything was
# rolled back with a full restart.
. "$(dirname "$0")/../system/common.sh"
. "$(dirname "$0")/tui.sh"
trap 'storm_stop; tui_tmux kill-server >/dev/null 2>&1; sys_cleanup' EXIT
have_tmux || skip_all "tmux is not installed"
sys_require
sys_start c signals

storm_pid=
# storm NAME: resize NAME's window every 50 ms until storm_stop.
storm() {
	(
		while :; do
			tui_resize "$1" 100 30
			sleep 0.05
			tui_resize "$1" 90 26
			sleep 0.05
		done
	) >/dev/null 2>&1 &
	storm_pid=$!
}
storm_stop() {
	[ -n "$storm_pid" ] && kill "$storm_pid" 2>/dev/null && wait "$storm_pid" 2>/dev/null
	storm_pid=
}

# until_result NAME: wait, with the storm blowing, for the result screen.
until_result() {
	tui_wait "$1" "$2" 90
}

url=http://127.0.0.1/signals/hello.py
inv0=$(c_unit "$c" InvocationID)
term=xterm-256color
in_c "$c" sh -c 'test -e /lib/terminfo/t/tmux-256color || test -e /usr/share/terminfo/t/tmux-256color' &&
	term=tmux-256color

# ---- Apply ----
tui_start w 100 30 "$RIG" exec "$c" -- env TERM=$term "$IN_CGISETUP"
tui_wait w '> Set up CGI' 30 >/dev/null
tui_keys w Enter
tui_wait w '^  Directory: +\[' 20 >/dev/null
tui_keys w C-u
tui_type w /srv/signals
tui_keys w Enter
ok "the preview" tui_wait w 'step 3 of 5: Preview' 30
tui_wait w '< Apply >' >/dev/null
tui_keys w Enter
storm w
ok "Apply under a resize storm: the result screen" until_result w 'step 5 of 5: Result'
storm_stop
tui_resize w 100 30
ok "Apply under a resize storm: CGI is on" \
	tui_wait w "^  CGI is on for '/srv/signals', served at /signals/\$" 20
ok "Apply under a resize storm: nothing rolled back" tui_absent w 'olled back|incomplete|Interrupted'
tui_keys w Enter
is "Apply under a resize storm: exit status 0" 0 "$(tui_wait_exit w 20)"
ok "Apply under a resize storm: the script runs" contains "$(c_body "$c" "$url")" "$PROOF"
is "Apply under a resize storm: graceful only (same InvocationID)" "$inv0" \
	"$(c_unit "$c" InvocationID)"

# ---- Undo ----
tui_start u 100 30 "$RIG" exec "$c" -- env TERM=$term "$IN_CGISETUP"
tui_wait u '> Set up CGI' 30 >/dev/null
tui_keys u Down
tui_wait u '^  > Undo the last change' 20 >/dev/null
tui_keys u Enter
ok "the undo preview" tui_wait u 'undo step 1 of 3: Undo preview' 30
tui_wait u '< Undo >' >/dev/null
tui_keys u Enter
storm u
ok "Undo under a resize storm: the result screen" until_result u 'undo step 3 of 3'
storm_stop
tui_resize u 100 30
ok "Undo under a resize storm: nothing rolled back" tui_absent u 'olled back|incomplete|Interrupted'
tui_keys u Enter
is "Undo under a resize storm: exit status 0" 0 "$(tui_wait_exit u 20)"
is "Undo under a resize storm: the URL is gone (404)" 404 "$(c_code "$c" "$url")"
is "Undo under a resize storm: graceful only (same InvocationID)" "$inv0" \
	"$(c_unit "$c" InvocationID)"

done_testing
