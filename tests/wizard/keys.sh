#!/bin/bash
# keys.sh - key decoding never destroys input: an escape sequence curses
# does not know (PuTTY's F1 "ESC [ 1 1 ~", an unknown "ESC [ 9 9 ~") or one
# a slow link split (an arrow whose "[B" comes 60 ms after its Esc) is one
# key or nothing, on screen 1 and on the preview: never Esc (back, quit)
# followed by its bytes typed into the Directory field. A lone Esc on
# screen 1 asks before quitting.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

root="$TMPD/root"
copy_layout own/debian "$root"
before=$(snapshot "$root")

# raw NAME HEX...: bytes as the terminal would send them
raw() {
	local name=$1
	shift
	tui_tmux send-keys -t "$name" -H "$@"
}

# An arrow down cut by the link: the Esc, then "[B" 60 ms later.
split_down() {
	raw "$1" 1b
	sleep 0.06
	raw "$1" 5b 42
}

tui_start k 80 24 "$CGISETUP" --root "$root"
tui_wait k '> Set up CGI' >/dev/null

# screen 1
raw k 1b 5b 31 31 7e
ok "screen 1: ESC[11~ is F1 (help)" tui_wait k 'Help: Detected system'
tui_keys k Space
ok "screen 1: help closed" tui_gone k 'Help: Detected system'
raw k 1b 5b 39 39 7e
tui_settle k
ok "screen 1: an unknown ESC[99~ is dropped (no quit question)" tui_absent k 'Quit without'
ok "screen 1: still screen 1" tui_wait k 'step 1 of 5'
split_down k
tui_settle k
ok "screen 1: a split arrow moves the menu" tui_wait k '^  > (Undo|Quit)'
ok "screen 1: a split arrow is no Esc" tui_absent k 'Quit without'
tui_keys k Up
tui_wait k '^  > Set up CGI' >/dev/null
tui_keys k Escape
ok "screen 1: a lone Esc asks before quitting" tui_wait k 'Quit without applying\?'
tui_keys k n
ok "screen 1: n stays" tui_gone k 'Quit without'
ok "screen 1: still screen 1 after n" tui_wait k 'step 1 of 5'

# the preview
tui_keys k Enter
tui_wait k 'step 2 of 5' >/dev/null
tui_keys k Enter
tui_wait k 'step 3 of 5' >/dev/null
raw k 1b 5b 31 31 7e
ok "preview: ESC[11~ is F1 (help)" tui_wait k 'Help: Preview'
tui_keys k Space
tui_gone k 'Help: Preview' >/dev/null
raw k 1b 5b 39 39 7e
split_down k
raw k 1b 4f 5a
tui_settle k
ok "preview: unknown and split sequences leave it on the preview" tui_wait k 'step 3 of 5'
ok "preview: the split arrow scrolled" tui_wait k 'lines 2-'
tui_keys k Escape
ok "preview: Esc goes back to screen 2" tui_wait k 'step 2 of 5'
ok "screen 2: the directory field has nothing typed into it" \
	tui_wait k '^  Directory: +\[/usr/lib/cgi-bin +\]$'
# The directory screen's help is taller than an 80x24 box: it scrolls, and
# a scrolling key never closes it.
tui_keys k F1
ok "screen 2 help: opened" tui_wait k 'Help: CGI directory'
ok "screen 2 help: its footer says how to scroll" tui_wait k 'Up/Down, PgUp/PgDn: scroll'
ok "screen 2 help: its last lines are below the box" tui_absent k 'hidden on that side'
tui_keys k End
ok "screen 2 help: End shows its last line" tui_wait k 'hidden on that side'
ok "screen 2 help: still open after End" tui_shows k 'Help: CGI directory'
tui_keys k Home
ok "screen 2 help: Home shows its first line again" tui_wait k 'Directory: where the CGI'
tui_keys k PageDown
ok "screen 2 help: PgDn scrolls, still open" tui_wait k 'Help: CGI directory'
tui_keys k x
ok "screen 2 help: another key closes it" tui_gone k 'Help: CGI directory'
ok "screen 2 help: that key was not typed into the field" \
	tui_wait k '^  Directory: +\[/usr/lib/cgi-bin +\]$'
tui_keys k Escape
tui_wait k 'step 1 of 5' >/dev/null
tui_keys k q
ok "q then asks (the preview was shown)" tui_wait k 'Quit without applying\?'
tui_keys k y
is "exit status 1" 1 "$(tui_wait_exit k)"
is "every file byte-identical" "$before" "$(snapshot "$root")"

done_testing
