#!/bin/bash
# rig-before.sh - "Before you apply" on the real systemd rig: with
# apache2.service stopped the preview says Apply will start it; with a
# configuration whose config test fails already, the preview names
# Apache's error (file and line) and refuses Apply; nothing is written.
# With Apache stopped, s on the preview leaves it stopped (as --no-start):
# Apply only configures, the result says so, Apache stays stopped. After
# `--no-restart`, the wizard's re-run says "configured, not active yet".
# Skips when not root, or when tmux or the rig is missing.
. "$(dirname "$0")/../system/common.sh"
. "$(dirname "$0")/tui.sh"
trap 'tui_tmux kill-server >/dev/null 2>&1; sys_cleanup' EXIT
have_tmux || skip_all "tmux is not installed"
sys_require
sys_start c wizard-before

term=xterm-256color
in_c "$c" sh -c 'test -e /lib/terminfo/t/tmux-256color || test -e /usr/share/terminfo/t/tmux-256color' &&
	term=tmux-256color

# to_preview NAME: the wizard in the container, every proposal taken, at
# the preview
to_preview() {
	tui_start "$1" 100 40 "$RIG" exec "$c" -- env TERM=$term "$IN_CGISETUP"
	tui_wait "$1" '> Set up CGI' 30 >/dev/null
	tui_keys "$1" Enter
	tui_wait "$1" 'step 2 of 5' 30 >/dev/null
	tui_keys "$1" Enter
	tui_wait "$1" 'step 3 of 5: Preview' 30
}

# 1. stopped
in_c "$c" systemctl stop apache2
etc0=$(c_snapshot "$c" /etc/apache2)
ok "stopped: the preview" to_preview s
ok "stopped: a 'Before you apply' block" tui_wait s '^  Before you apply:$'
ok "stopped: says Apply will start it" tui_shows s "Apache is stopped now: Apply will start it (apache2.service)."
ok "stopped: Apply still offered" tui_wait s '< Apply >'
tui_keys s q
tui_wait s 'Quit without' >/dev/null
tui_keys s y
is "stopped: exit status 1" 1 "$(tui_wait_exit s)"
is "stopped: still stopped" inactive "$(in_c "$c" systemctl is-active apache2)"
is "stopped: nothing written" "$etc0" "$(c_snapshot "$c" /etc/apache2)"

# 2. a configuration broken already
in_c "$c" sh -c 'printf "BogusDirective on\n" >>/etc/apache2/apache2.conf'
n=$(in_c "$c" sh -c 'wc -l </etc/apache2/apache2.conf')
etc1=$(c_snapshot "$c" /etc/apache2)
ok "broken: the preview" to_preview b
ok "broken: named before Apply, with the file and line (the command line's words)" \
	tui_shows b "fails its config test already, before any change, at /etc/apache2/apache2.conf line $n"
ok "broken: Apache's words, with the file and line" tui_shows b "line $n of /etc/apache2/apache2.conf"
ok "broken: Apply refused, and why" tui_shows b "Apply refused until the config test passes: fix the line named above"
tui_keys b Tab Enter
tui_settle b
ok "broken: Enter on Apply stays on the preview" tui_wait b 'step 3 of 5: Preview'
tui_keys b q
tui_wait b 'Quit without' >/dev/null
tui_keys b y
is "broken: exit status 1" 1 "$(tui_wait_exit b)"
is "broken: nothing written" "$etc1" "$(c_snapshot "$c" /etc/apache2)"

# 3. stopped, and the admin prefers to leave it stopped
sys_start c wizard-nostart
in_c "$c" systemctl stop apache2
ok "leave stopped: the preview" to_preview n
ok "leave stopped: s is offered" tui_shows n "Press s to leave it stopped and only configure."
ok "leave stopped: the key bar says so" tui_shows n "s: leave Apache stopped"
tui_keys n s
ok "leave stopped: s: the block says Apply leaves it stopped" \
	tui_shows n "Apache is stopped now and Apply leaves it stopped: it only configures"
ok "leave stopped: the key bar offers to start it after all" tui_shows n "s: start Apache"
tui_keys n s
ok "leave stopped: s again: Apply will start it" tui_shows n "Apply will start it (apache2.service)"
tui_keys n s
tui_shows n "Apply leaves it stopped" >/dev/null
tui_keys n Enter
ok "leave stopped: the result" tui_wait n 'step 5 of 5: Result' 60
ok "leave stopped: the result says Apache was left stopped" \
	tui_shows n "Apache was stopped and was left stopped, as you chose"
ok "leave stopped: no URL said to work now" tui_shows n "Test it once Apache runs: "
tui_keys n Enter
is "leave stopped: exit status 0" 0 "$(tui_wait_exit n)"
is "leave stopped: Apache is still stopped" inactive "$(in_c "$c" systemctl is-active apache2)"
ok "leave stopped: configured (cgid enabled)" in_c "$c" test -L /etc/apache2/mods-enabled/cgid.load
ok "leave stopped: apache2ctl -t accepts it" in_c "$c" apache2ctl -t
in_c "$c" systemctl start apache2
ok "leave stopped: once started, the script runs" \
	contains "$(c_body "$c" http://127.0.0.1/cgi-bin/hello.py)" "$PROOF"

# 4. configured by --no-restart, not loaded by the running Apache
sys_start c wizard-notloaded
cgs "$c" --dir /usr/lib/cgi-bin --yes --no-restart >/dev/null 2>&1
ok "not loaded: the preview" to_preview l
ok "not loaded: says configured, not active yet" tui_shows l "Configured, not active yet: the files are in place"
ok "not loaded: not 'Already configured'" tui_absent l 'Already configured'
tui_keys l Enter
is "not loaded: Finish, exit status 0" 0 "$(tui_wait_exit l)"
ok "not loaded: the command line's words after it" \
	tui_printed l "^cgisetup: configured, not active yet: the running Apache has not loaded"

done_testing
