#!/bin/bash
# sizes.sh - the wizard at 79x24 (below the minimum), 80x24 and 200x60:
# below the minimum the quit question is still seen and answered; on a
# tall terminal each screen's buttons stay right under its content (no
# rows of nothing between); a resize keeps the line at the top of a
# scrolled view, not its row number.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

root="$TMPD/root"
copy_layout own/debian "$root"

# row NAME REGEX: the first row (1-based) matching REGEX
row() {
	tui_screen "$1" | grep -nE -- "$2" | head -n 1 | cut -d: -f1
}

# near NAME ABOVE BELOW MAX: the row of BELOW at most MAX rows under ABOVE
near() {
	local a b
	a=$(row "$1" "$2") b=$(row "$1" "$3")
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ] && [ $((b - a)) -le "$4" ] && return 0
	echo "# /$2/ on row ${a:-none}, /$3/ on row ${b:-none}: more than $4 rows apart"
	tui_screen "$1"
	return 1
}

# under_last NAME ABOVE BELOW MAX: BELOW at most MAX rows under the last
# row that matches ABOVE (a view that fills the screen ends where it ends)
under_last() {
	local a b
	a=$(tui_screen "$1" | grep -nE -- "$2" | tail -n 1 | cut -d: -f1)
	b=$(row "$1" "$3")
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ] && [ $((b - a)) -le "$4" ] && return 0
	echo "# last /$2/ on row ${a:-none}, /$3/ on row ${b:-none}: more than $4 rows apart"
	tui_screen "$1"
	return 1
}

# The first row of a pager's view: after the title, the blank row, the
# introduction and the blank row under it.
view_top() {
	tui_screen "$1" | awk 'NR > 2 && !s && /^ *$/ { s = 1; next } s { print; exit }'
}

# 200x60
tui_start big 200 60 "$CGISETUP" --root "$root"
tui_wait big '> Set up CGI' >/dev/null
ok "200x60, screen 1: the menu right under what was found" near big '^  Applied:' '^  > Set up CGI' 3
ok "200x60: the key line on the last row" test "$(row big 'Up/Down: choose')" = 60
tui_keys big Enter
tui_wait big 'step 2 of 5' >/dev/null
ok "200x60, screen 2: the buttons right under the fields" near big 'write hello\.py' '< Next >' 8
tui_keys big Enter
tui_wait big 'step 3 of 5' >/dev/null
ok "200x60, preview: the buttons right under the diff's last row on the screen" \
	under_last big '^  [-+ @dn]' '< Apply >' 4
tui_keys big Enter
tui_wait big 'step 5 of 5' >/dev/null
ok "200x60, result: Quit right under the steps" near big 'config test' '< Quit >' 4
tui_keys big Enter
is "200x60: exit status 0" 0 "$(tui_wait_exit big)"

# 80x24: the preview, scrolled to a line; a resize keeps it at the top
root2="$TMPD/root2"
copy_layout own/debian "$root2"
before=$(snapshot "$root2")
tui_start s 80 24 "$CGISETUP" --root "$root2"
tui_wait s '> Set up CGI' >/dev/null
tui_keys s Enter
tui_wait s 'step 2 of 5' >/dev/null
tui_keys s Enter
tui_wait s 'step 3 of 5' >/dev/null
ok "80x24: the preview's buttons on the body's last row" test "$(row s '< Apply >')" = 22
# down to the second symlink: the first one wraps at 80 columns, not at 200
for ((i = 0; i < 8; i++)); do tui_keys s Down; done
tui_settle s
ok "80x24: scrolled to the cgid.conf symlink" \
	bash -c "[[ \"\$1\" == *\"create symlink '/etc/apache2/mods-enabled/cgid.conf'\"* ]]" _ "$(view_top s)"
tui_resize s 200 24
tui_settle s
ok "resized to 200x24: the same line at the top" \
	bash -c "[[ \"\$1\" == *\"create symlink '/etc/apache2/mods-enabled/cgid.conf'\"* ]]" _ "$(view_top s)"
tui_resize s 80 24
tui_settle s
ok "back to 80x24: still that line" \
	bash -c "[[ \"\$1\" == *\"create symlink '/etc/apache2/mods-enabled/cgid.conf'\"* ]]" _ "$(view_top s)"

# 79x24: below the minimum; q still shows the quit question
tui_resize s 79 24
ok "79x24: says the terminal is too small" tui_wait s 'The terminal is 79x24; the wizard needs at least 80x24'
tui_keys s q
ok "79x24: q shows the quit question" tui_wait s 'Quit without applying\?'
ok "79x24: with its answers" tui_wait s 'y: quit +n or Esc: stay'
tui_keys s n
ok "79x24: n stays (too small again)" tui_wait s 'The terminal is 79x24'
tui_resize s 80 24
ok "80x24 again: the preview" tui_wait s 'step 3 of 5: Preview'
tui_resize s 79 24
tui_wait s 'The terminal is 79x24' >/dev/null
tui_keys s q
tui_wait s 'Quit without applying\?' >/dev/null
tui_keys s y
is "79x24: y quits, exit status 1" 1 "$(tui_wait_exit s)"
ok "79x24: nothing was changed" tui_printed s 'cgisetup: cancelled: nothing was changed'
is "79x24: every file byte-identical" "$before" "$(snapshot "$root2")"

done_testing
