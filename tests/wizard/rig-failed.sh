#!/bin/bash
# rig-failed.sh - the wizard on the systemd rig when the HTTP check fails
# (python3 is not executable, so the probe answers 500): every HTTP check
# step reads [failed], never [done] or [ok]; the rollback follows, the
# result says the change was rolled back, the exit status is 1 and the
# configuration is byte-identical.
. "$(dirname "$0")/../system/common.sh"
. "$(dirname "$0")/tui.sh"
trap 'tui_tmux kill-server >/dev/null 2>&1; sys_cleanup' EXIT
have_tmux || skip_all "tmux is not installed"
sys_require
sys_start c wizfail

py=$(in_c "$c" readlink -f /usr/bin/python3)
in_c "$c" chmod 0644 "$py"
etc0=$(c_snapshot "$c" /etc/apache2)
term=xterm-256color
in_c "$c" sh -c 'test -e /lib/terminfo/t/tmux-256color || test -e /usr/share/terminfo/t/tmux-256color' &&
	term=tmux-256color
tui_start w 100 40 "$RIG" exec "$c" -- env TERM=$term "$IN_CGISETUP"
ok "screen 1" tui_wait w 'step 1 of 5: Detected system' 30
tui_wait w '> Set up CGI' >/dev/null
tui_keys w Enter
ok "screen 2" tui_wait w 'step 2 of 5' 20
tui_keys w Enter
ok "screen 3: Apply offered" tui_wait w '< Apply >' 30
tui_keys w Enter
ok "the result screen" tui_wait w 'step 5 of 5: Result' 90
ok "result: the HTTP check failed, the change rolled back" \
	tui_wait w '^  Every change was rolled back\.$'
for ((i = 0; i < 4; i++)); do tui_keys w NPage; done
ok "steps: an HTTP check reads [failed]" tui_wait w '^  \[failed\] +HTTP check'
ok "steps: no HTTP check reads [ok]" tui_absent w '^  \[ok\] +HTTP check'
ok "steps: no step reads [done]" tui_absent w '\[done\]'
ok "steps: the rollback" tui_wait w '^  \[changed\] +rollback'
ok "steps: none left running" tui_absent w '\[\.\.\.\.\]'
tui_keys w Enter
is "exit status 1" 1 "$(tui_wait_exit w 20)"
is "/etc/apache2 byte-identical" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
done_testing
