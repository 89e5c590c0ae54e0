#!/bin/bash
# keybar.sh - one key bar, the same on every screen and true for the
# focused widget: the bottom line lists the focused widget's own keys, then
# Tab, Enter and Esc as they act on it, then F1 and q, in that order and
# with the same words everywhere; "q: quit" is not offered where q is typed
# into a field; Enter names what the focused button does.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

root="$TMPD/root"
copy_layout own/debian "$root"

# bar NAME: the bottom line of the screen, trimmed
bar() {
	tui_screen "$1" | sed -n 24p | sed 's/^ *//; s/ *$//'
}

# is_bar NAME DESCRIPTION WANT: wait until the key bar reads WANT
is_bar() {
	local i got
	for ((i = 0; i < 100; i++)); do
		got=$(bar "$1")
		[ "$got" = "$3" ] && break
		sleep 0.05
	done
	is "$2" "$3" "$got"
}

tui_start k 80 24 "$CGISETUP" --root "$root"
tui_wait k '> Set up CGI' >/dev/null
is_bar k "screen 1, the menu: choose, select; Esc asks" \
	"Up/Down: choose  Enter: select  Esc: quit?  F1: help  q: quit"
tui_keys k Enter
tui_wait k 'step 2 of 5' >/dev/null
is_bar k "screen 2, the Directory field: its own key, no 'q: quit' (q is typed)" \
	"Ctrl-W: delete word  Tab: move  Enter: next  Esc: back  F1: help"
tui_keys k Tab
is_bar k "screen 2, the URL path field: the same" \
	"Ctrl-W: delete word  Tab: move  Enter: next  Esc: back  F1: help"
tui_keys k Tab Tab
is_bar k "screen 2, the hello.py box: Space ticks, q quits" \
	"Space: tick  Tab: move  Enter: next  Esc: back  F1: help  q: quit"
tui_keys k Tab
is_bar k "screen 2, the Back button: Enter goes back" \
	"Left/Right: button  Tab: move  Enter: back  Esc: back  F1: help  q: quit"
tui_keys k Tab Tab
is_bar k "screen 2, the Cancel button: Enter cancels" \
	"Left/Right: button  Tab: move  Enter: cancel  Esc: back  F1: help  q: quit"
tui_keys k Tab
is_bar k "screen 2, back on the Directory field" \
	"Ctrl-W: delete word  Tab: move  Enter: next  Esc: back  F1: help"
tui_keys k Enter
tui_wait k 'step 3 of 5: Preview' >/dev/null
is_bar k "the preview, on Apply: Enter applies" \
	"PgUp/PgDn: scroll  Tab: button  Enter: apply  Esc: back  F1: help  q: quit"
tui_keys k Tab
is_bar k "the preview, on Cancel: Enter cancels" \
	"PgUp/PgDn: scroll  Tab: button  Enter: cancel  Esc: back  F1: help  q: quit"
tui_keys k Tab
is_bar k "the preview, on Back: Enter goes back" \
	"PgUp/PgDn: scroll  Tab: button  Enter: back  Esc: back  F1: help  q: quit"
tui_keys k Tab Enter
ok "the result" tui_wait k 'step 5 of 5: Result' 30
is_bar k "the result: every way out quits" \
	"PgUp/PgDn: scroll  Enter: quit  Esc: quit  F1: help  q: quit"
tui_keys k Enter
is "exit status 0" 0 "$(tui_wait_exit k)"

tui_start u 80 24 "$CGISETUP" --root "$root"
tui_wait u '> Set up CGI' >/dev/null
is_bar u "screen 1 with a change applied: u undoes" \
	"Up/Down: choose  u: undo  Enter: select  Esc: quit?  F1: help  q: quit"
tui_keys u u
tui_wait u 'undo step 1 of 3' >/dev/null
is_bar u "the undo preview, on Undo: Enter undoes" \
	"PgUp/PgDn: scroll  Tab: button  Enter: undo  Esc: back  F1: help  q: quit"
tui_keys u q
tui_wait u 'Quit without undoing\?' >/dev/null && tui_keys u y
tui_wait_exit u >/dev/null
done_testing
