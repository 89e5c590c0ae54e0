#!/bin/bash
# resize.sh - resizing the terminal while the wizard is open: after each
# resize the screen is exactly the one a wizard started at that size draws
# for the same state (so no garbage is left from the old size), and what
# matters is on it (title, fields, buttons, key line, long lines whole). A terminal below 80x24 says so, and the wizard comes back
# when it grows again.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

root="$TMPD/root"
copy_layout own/debian "$root"
before=$(snapshot "$root")

# Screen 2 with a directory typed, at COLS x ROWS.
to_dir() {
	tui_start "$1" "$2" "$3" "$CGISETUP" --root "$root"
	tui_wait "$1" '> Set up CGI' >/dev/null
	tui_keys "$1" Enter
	tui_wait "$1" 'step 2 of 5' >/dev/null
	tui_keys "$1" C-u
	tui_type "$1" /srv/www/cgi-bin
	tui_wait "$1" 'cgi-bin' >/dev/null
	tui_settle "$1"
}

to_preview() {
	tui_keys "$1" Enter
	tui_wait "$1" 'step 3 of 5' >/dev/null
	tui_settle "$1"
}

# same NAME REF WHAT: NAME's screen equals the fresh REF's, line by line.
same() {
	tui_settle "$1"
	is "$3" "$(tui_screen "$2")" "$(tui_screen "$1")"
}

# The frame at ROWS rows: title on the first row, key line on the last.
frame() {
	local s
	s=$(tui_screen "$1")
	[ "$(printf '%s\n' "$s" | sed -n 1p | grep -c 'cgisetup - step')" = 1 ] &&
		[ "$(printf '%s\n' "$s" | sed -n "${2}p" | grep -c 'F1')" = 1 ]
}

to_dir w 80 24
to_dir big 200 60
to_dir small 80 24

tui_resize w 200 60
same w big "screen 2, 80x24 -> 200x60: as drawn fresh at 200x60"
ok "screen 2 at 200x60: title on top, keys on row 60" frame w 60
ok "screen 2 at 200x60: the directory typed" tui_wait w '^  Directory: +\[/srv/www/cgi-bin +\]$'
ok "screen 2 at 200x60: the buttons" tui_wait w '< Back >  < Next >  < Cancel >'

tui_resize w 80 24
same w small "screen 2, 200x60 -> 80x24: as drawn fresh at 80x24"
ok "screen 2 at 80x24: title on top, keys on row 24" frame w 24

to_preview w
to_preview big
to_preview small
tui_resize w 200 60
same w big "screen 3, 80x24 -> 200x60: as drawn fresh at 200x60"
ok "screen 3 at 200x60: the plan and the diff's start" tui_wait w '^  \+\+\+ b/etc/apache2/apache2.conf$'
ok "screen 3 at 200x60: a long plan line is not cut" \
	tui_wait w "^    - create symlink '/etc/apache2/mods-enabled/cgid.load' -> '../mods-available/cgid.load'$"
ok "screen 3 at 200x60: the position in the text" tui_wait w 'lines 1-[0-9]+ of [0-9]+$'

tui_resize w 80 24
same w small "screen 3, 200x60 -> 80x24: as drawn fresh at 80x24"
ok "screen 3 at 80x24: the buttons" tui_wait w '< Back >  < Apply >  < Cancel >'
ok "screen 3 at 80x24: the position in the text" tui_wait w 'lines 1-14 of [0-9]+$'
tui_keys w End
tui_keys small End
same w small "screen 3 at 80x24, End: as drawn fresh"
tui_resize w 200 60
# the diff ends with the module's symlinks, in git's form
ok "screen 3 at the end, then 200x60: the last line of the diff" \
	tui_wait w '^  \+\.\./mods-available/cgid\.conf$'
ok "screen 3 at the end, then 200x60: still at the end" tui_wait w 'lines [0-9]+-([0-9]+) of \1$'

tui_resize w 60 20
ok "60x20: the wizard asks for a larger terminal" tui_wait w 'needs at least 80x24'
tui_resize w 80 24
tui_gone w 'needs at least' >/dev/null
tui_keys w Home
tui_keys small Home
same w small "back to 80x24, Home: the preview again, as drawn fresh"

tui_keys w q
tui_wait w 'Quit without applying' >/dev/null
tui_keys w y
is "exit status 1" 1 "$(tui_wait_exit w)"
is "every file byte-identical" "$before" "$(snapshot "$root")"

done_testing
