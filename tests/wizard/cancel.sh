#!/bin/bash
# cancel.sh - leaving the wizard at every screen before apply, by every
# way out (q, Esc, the Cancel buttons, Back then q, Ctrl-C), leaves every
# file byte-identical; once the preview was shown, q asks first and "n"
# stays.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

root="$TMPD/root"
copy_layout own/debian "$root"
before=$(snapshot "$root")

# start NAME: the wizard on the copy, at screen 1.
start() {
	tui_start "$1" 80 24 "$CGISETUP" --root "$root"
	tui_wait "$1" '> Set up CGI' >/dev/null
}

to_dir() {
	start "$1"
	tui_keys "$1" Enter
	tui_wait "$1" 'step 2 of 5' >/dev/null
}

to_preview() {
	to_dir "$1"
	tui_keys "$1" Enter
	tui_wait "$1" 'step 3 of 5' >/dev/null
}

# check NAME WHAT STATUS: the exit status, the words, and not a byte changed.
check() {
	is "$2: exit status $3" "$3" "$(tui_wait_exit "$1")"
	if [ "$3" = 1 ]; then
		ok "$2: says nothing was changed" tui_printed "$1" 'cgisetup: cancelled: nothing was changed'
	fi
	is "$2: every file byte-identical" "$before" "$(snapshot "$root")"
}

start s1q
tui_keys s1q q
check s1q "screen 1, q" 1

start s1esc
tui_keys s1esc Escape
ok "screen 1: Esc asks before quitting" tui_wait s1esc 'Quit without applying\?'
tui_keys s1esc y
check s1esc "screen 1, Esc then y" 1

to_dir s2cancel
tui_keys s2cancel BTab
ok "screen 2: Shift-Tab from the directory reaches Cancel" tui_wait s2cancel '< Cancel >'
tui_keys s2cancel Enter
check s2cancel "screen 2, the Cancel button" 1

to_dir s2esc
tui_keys s2esc Escape
ok "screen 2: Esc goes back to screen 1" tui_wait s2esc 'step 1 of 5'
tui_keys s2esc q
check s2esc "screen 2, Esc then q" 1

to_preview s3q
is "screen 3: the preview wrote nothing" "$before" "$(snapshot "$root")"
tui_keys s3q q
ok "screen 3: q asks first" tui_wait s3q 'Quit without applying\?'
tui_keys s3q n
ok "screen 3: n stays on the preview" tui_gone s3q 'Quit without applying\?'
ok "screen 3: still the preview" tui_wait s3q 'step 3 of 5: Preview'
tui_keys s3q q
tui_wait s3q 'Quit without applying\?' >/dev/null
tui_keys s3q y
check s3q "screen 3, q then y" 1

to_preview s3cancel
tui_keys s3cancel Tab Enter
ok "screen 3: the Cancel button asks too" tui_wait s3cancel 'Quit without applying\?'
tui_keys s3cancel y
check s3cancel "screen 3, the Cancel button" 1

to_preview s3back
tui_keys s3back Escape
ok "screen 3: Esc goes back to screen 2" tui_wait s3back 'step 2 of 5'
is "screen 3: back on screen 2, every file byte-identical" "$before" "$(snapshot "$root")"
tui_keys s3back Escape
tui_wait s3back 'step 1 of 5' >/dev/null
tui_keys s3back q
ok "screen 3: once previewed, q on screen 1 asks too" tui_wait s3back 'Quit without applying\?'
tui_keys s3back y
check s3back "screen 3, back twice then q" 1

to_preview s3int
tui_keys s3int C-c
check s3int "screen 3, Ctrl-C" 130
is "screen 3, Ctrl-C: the terminal left the alternate screen" 0 \
	"$(tui_format s3int '#{alternate_on}')"

done_testing
