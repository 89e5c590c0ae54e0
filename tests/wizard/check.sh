#!/bin/bash
# check.sh - screen 1's "Check my scripts" (on a --root copy of the own
# Debian layout, /srv/cgi set up by the command line first): offered once
# cgisetup applied something, it shows what `cgisetup --check` says, a
# line per finding with the fix under a problem, reads the scripts without
# running them, writes nothing, and Esc goes back to screen 1.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

root="$TMPD/root"
copy_layout own/debian "$root"
tui_start n 100 30 "$CGISETUP" --root "$root"
tui_wait n '> Set up CGI' >/dev/null
ok "nothing applied: no 'Check my scripts'" tui_absent n 'Check my scripts'
tui_keys n q
tui_wait_exit n >/dev/null

mkdir -p "$root/usr/bin"
printf '#!/bin/sh\ntouch %s/ran\n' "$TMPD" >"$root/usr/bin/python3.11"
chmod 0755 "$root/usr/bin/python3.11"
ln -s python3.11 "$root/usr/bin/python3"
"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null 2>&1
printf '#! /usr/bin/env python\nprint "Content-Type: text/html"\nprint\n' >"$root/srv/cgi/first.py"
chmod 0755 "$root/srv/cgi/first.py"
before=$(snapshot "$root")

tui_start w 100 30 "$CGISETUP" --root "$root"
tui_wait w '> Set up CGI' >/dev/null
ok "applied: 'Check my scripts' offered" tui_wait w '^ +Check my scripts$'
tui_keys w Down
tui_wait w '> Undo the last change' >/dev/null
tui_keys w Down
ok "it takes the focus" tui_wait w '^ +> Check my scripts$'
tui_keys w Enter
ok "the check screen" tui_wait w 'Check my scripts' 20
ok "the configuration is ok" \
	tui_wait w "^  ok: '/srv/cgi': CGI is on \\(module, ExecCGI, handler, access\\), served at '/cgi/'$"
ok "hello.py is ok" tui_wait w "^  ok: '/srv/cgi/hello.py': no problem found$"
ok "the tutorial script: no python on Apache's PATH" \
	tui_wait w "^  problem: no 'python' on the web server's PATH"
ok "its fix" tui_wait w "^    fix: make the first line of /srv/cgi/first.py '#!/usr/bin/python3'$"
ok "Python 2 syntax" tui_wait w "^  problem: line 2 of '/srv/cgi/first.py' is Python 2 syntax"
ok "the summary" tui_wait w '^  checked 2 scripts in 1 directory: 2 problems, 0 warnings\.$'
ok "the key bar, in the words and order of every screen" \
	tui_wait w '^ PgUp/PgDn: scroll  Enter: back  Esc: back  F1: help  q: quit *$'
tui_keys w Escape
ok "Esc: back on screen 1" tui_wait w 'step 1 of 5: Detected system'
tui_keys w q
is "quit: exit 1, as a cancelled wizard" 1 "$(tui_wait_exit w)"
is "nothing written" "$before" "$(snapshot "$root")"
ok "no script was run" test ! -e "$TMPD/ran"
done_testing
