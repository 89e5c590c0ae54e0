#!/bin/bash
# rig-signals.sh - the wizard on the real systemd rig while its terminal is
# resized over and over: a window edge dragged during Apply and during Undo
# sends SIGWINCH every 50 ms. A signal may only make the wizard redraw: the
# apply and the undo succeed, nothing is rolled back, and Apache is reloaded
# gracefully (the same InvocationID), never restarted. Before the fix the
# sd-bus job wait failed with "Interrupted system call" and everything was
# rolled back with a full restart.
#
# Then Ctrl-C (tmux send-keys C-c: SIGINT to the terminal's foreground
# process group) while the Apply and the Undo wait for systemd's reload
# job, held at a gate (common.sh) until the key was sent: the work is not
# cut, the result screen comes and says the interrupt was waited out, the
# wizard exits 0 when the result is left, and the command line's report
# and the "interrupted ... waited" line are printed after it. nsenter (the
# rig's way in) would die of that SIGINT and leave the wizard orphaned, so
# it runs with SIGINT ignored and env --default-signal gives cgisetup the
# default disposition back inside the container.
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

# ---- Ctrl-C during Apply and Undo ----
sys_start k interrupt
c_gate_install "$k"
kurl=http://127.0.0.1/ctrlc/hello.py

# start_ctrlc NAME: the wizard in container $k, Ctrl-C reaching only it.
start_ctrlc() {
	tui_start "$1" 100 30 bash -c 'trap "" INT QUIT; exec "$@"' _ "$RIG" exec "$k" -- \
		env --default-signal=INT,QUIT TERM=$term "$IN_CGISETUP"
}

c_gate_close "$k"
start_ctrlc ci
tui_wait ci '> Set up CGI' 30 >/dev/null
tui_keys ci Enter
tui_wait ci '^  Directory: +\[' 20 >/dev/null
tui_keys ci C-u
tui_type ci /srv/ctrlc
tui_keys ci Enter
ok "Ctrl-C: the preview" tui_wait ci 'step 3 of 5: Preview' 30
tui_wait ci '< Apply >' >/dev/null
tui_keys ci Enter
ok "Ctrl-C during Apply: the reload reached the gate" c_gate_wait "$k"
tui_keys ci C-c
c_gate_open "$k"
ok "Ctrl-C during Apply: the result screen" tui_wait ci 'step 5 of 5: Result' 60
ok "Ctrl-C during Apply: CGI is on" \
	tui_wait ci "^  CGI is on for '/srv/ctrlc', served at /ctrlc/\$" 20
ok "Ctrl-C during Apply: the result says it waited" \
	tui_wait ci 'Interrupted while the change was being applied: cgisetup waited' 20
ok "Ctrl-C during Apply: nothing rolled back" tui_absent ci 'olled back|incomplete|Interrupted system'
ok "Ctrl-C during Apply: the script runs" contains "$(c_body "$k" "$kurl")" "$PROOF"
tui_keys ci Enter
is "Ctrl-C during Apply: exit status 0 after the result" 0 "$(tui_wait_exit ci 20)"
ok "Ctrl-C during Apply: the command line's report printed" \
	tui_printed ci "^cgisetup: CGI is on for '/srv/ctrlc'"
ok "Ctrl-C during Apply: 'interrupted ... waited' printed" \
	tui_printed ci '^cgisetup: interrupted while applying; waited for the change to finish$'

c_gate_close "$k"
start_ctrlc cu
tui_wait cu '> Set up CGI' 30 >/dev/null
tui_keys cu Down
tui_wait cu '^  > Undo the last change' 20 >/dev/null
tui_keys cu Enter
ok "Ctrl-C: the undo preview" tui_wait cu 'undo step 1 of 3: Undo preview' 30
tui_wait cu '< Undo >' >/dev/null
tui_keys cu Enter
ok "Ctrl-C during Undo: the reload reached the gate" c_gate_wait "$k"
tui_keys cu C-c
c_gate_open "$k"
ok "Ctrl-C during Undo: the result screen" tui_wait cu 'undo step 3 of 3' 60
ok "Ctrl-C during Undo: the result says it waited" \
	tui_wait cu 'Interrupted while the undo ran: cgisetup waited' 20
ok "Ctrl-C during Undo: nothing rolled back" tui_absent cu 'olled back|incomplete|Interrupted system'
is "Ctrl-C during Undo: the URL is gone (404)" 404 "$(c_code "$k" "$kurl")"
tui_keys cu Enter
is "Ctrl-C during Undo: exit status 0 after the result" 0 "$(tui_wait_exit cu 20)"
ok "Ctrl-C during Undo: the command line's report printed" \
	tui_printed cu "^cgisetup: undone: CGI for '/srv/ctrlc'"
ok "Ctrl-C during Undo: 'interrupted ... waited' printed" \
	tui_printed cu '^cgisetup: interrupted while undoing; waited for the undo to finish$'

done_testing
