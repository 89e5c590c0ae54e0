#!/bin/bash
# rig-check.sh - the wizard's result screen after an apply whose HTTP
# check fails (python3 made non-executable inside the rig, as in
# tests/system/verify-fail.sh): below the failure it shows the diagnosis
# --check gives (the same engine: the answer and the error-log lines of
# that request), problem and fix, then the rollback.
# Skips when not root, or when tmux or the rig is missing.
. "$(dirname "$0")/../system/common.sh"
. "$(dirname "$0")/tui.sh"
trap 'tui_tmux kill-server >/dev/null 2>&1; sys_cleanup' EXIT
have_tmux || skip_all "tmux is not installed"
sys_require
sys_start c wizcheck

py=$(in_c "$c" readlink -f /usr/bin/python3)
in_c "$c" chmod 0644 "$py"
term=xterm-256color
in_c "$c" sh -c 'test -e /lib/terminfo/t/tmux-256color || test -e /usr/share/terminfo/t/tmux-256color' &&
	term=tmux-256color
tui_start w 160 40 "$RIG" exec "$c" -- env TERM=$term "$IN_CGISETUP"
ok "screen 1" tui_wait w 'step 1 of 5: Detected system' 30
tui_wait w '> Set up CGI' >/dev/null
tui_keys w Enter
tui_wait w 'step 2 of 5' 20 >/dev/null
tui_keys w Enter
ok "screen 3: the preview" tui_wait w 'step 3 of 5: Preview' 30
tui_wait w '< Apply >' >/dev/null
tui_keys w Enter
ok "the result screen" tui_wait w 'step 5 of 5: Result' 90
ok "result: the failure" tui_wait w "^  Failed: .*did not run the script \\(HTTP 500\\)"
ok "result: why the check failed" tui_wait w '^  Why the check failed:$'
ok "result: the problem, as --check says it" \
	tui_wait w "^  problem: /usr/bin/env found 'python3' on the web server's PATH but may not run it \\(Permission denied\\), running\$"
ok "result: the probe it ran" tui_wait w "^      '/usr/lib/cgi-bin/cgisetup-probe-[0-9a-f]{16}\\.py'\$"
ok "result: its fix" tui_wait w '^  fix: chmod a\+rx "\$\(readlink -f "\$\(command -v python3\)"\)"$'
ok "result: every change was rolled back" tui_wait w '^  Every change was rolled back\.$'
tui_keys w Enter
is "exit status 1" 1 "$(tui_wait_exit w)"
done_testing
