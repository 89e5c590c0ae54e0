#!/bin/bash
# invalid.sh - bad answers typed on screen 2: the message shown while
# typing is the very one `cgisetup --dir ...` prints for the same value
# (request_validate, and the plan's checks of what is there: a file, a
# symbolic link, a world-writable directory), Next is refused, and nothing
# is written; a world-writable directory can be used anyway once the user
# confirms (--force). Ctrl-W and the scroll markers of a field.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

root="$TMPD/root"
copy_layout own/debian "$root"
mkdir -m 0777 "$root/srv/open" 2>/dev/null || { mkdir -p "$root/srv/open" && chmod 0777 "$root/srv/open"; }
: >"$root/srv/afile"
mkdir -p "$root/srv/real"
ln -s real "$root/srv/link"
before=$(snapshot "$root")

# The command line's message for these options, without "cgisetup: ".
cli_message() {
	"$CGISETUP" --root "$root" "$@" --dry-run 2>&1 >/dev/null | sed -n 's/^cgisetup: //p' | head -n 1
}

# The screen as one line: a message wrapped over two rows reads whole.
flat() {
	tui_screen w | sed 's/^ *//' | tr '\n' ' ' | tr -s ' '
}

# On screen: the message, as a fixed string.
shows() {
	local i want
	want=$(printf '%s' "$1" | tr -s ' ')
	for ((i = 0; i < 200; i++)); do
		flat | grep -Fq -- "$want" && return 0
		sleep 0.05
	done
	echo "not on the screen: $1"
	tui_screen w
	return 1
}

# Enter on a refused field: still screen 2, still the message.
refused() {
	tui_keys w Enter
	tui_settle w
	tui_title w | grep -q 'step 2 of 5' && shows "$1"
}

# try WHAT VALUE OPTION...: type VALUE in the focused field; the message
# must be the command line's for OPTION...
try() {
	local what=$1 value=$2
	shift 2
	local msg
	msg=$(cli_message "$@")
	tui_keys w C-u
	tui_type w "$value"
	ok "$what: the command line refuses it" test -n "$msg"
	ok "$what: the same message, while typing" shows "$msg"
	ok "$what: Next is refused" refused "$msg"
}

tui_start w 80 24 "$CGISETUP" --root "$root"
tui_wait w '> Set up CGI' >/dev/null
tui_keys w Enter
tui_wait w 'step 2 of 5' >/dev/null

try "relative 'etc'" etc --dir etc
try "system directory '/etc'" /etc --dir /etc
try "inside /etc" /etc/cgi --dir /etc/cgi
try "a '..' component" /srv/../etc --dir /srv/../etc
try "a double quote" '/srv/a"b' --dir '/srv/a"b'
try "empty" "" --dir ""
try "a pasted path with trailing spaces" '/srv/cgi  ' --dir '/srv/cgi  '
try "a leading space" ' /srv/cgi' --dir ' /srv/cgi'
try "a wildcard" '/srv/cgi*' --dir '/srv/cgi*'
try "a variable" '/srv/${X}' --dir '/srv/${X}'
try "an existing file" /srv/afile --dir /srv/afile
try "a symbolic link" /srv/link --dir /srv/link
tui_keys w C-u
tui_type w /srv/cgi
ok "a good directory clears the message" tui_gone w 'refusing|relative|component|double quote|space|symbolic|not a directory'

# Ctrl-W takes back one path component; a field too narrow shows '<'
tui_keys w C-u
tui_type w /srv/www/cgi-bin/
tui_keys w C-w
ok "Ctrl-W deletes the word before the cursor" tui_wait w '^  Directory: +\[/srv/www/ +\]$'
tui_keys w C-w
ok "Ctrl-W again: the next component" tui_wait w '^  Directory: +\[/srv/ +\]$'
long=/srv/$(printf 'd%.0s' {1..90})
tui_keys w C-u
tui_type w "$long"
ok "a scrolled field shows '<' where text is hidden on the left" tui_wait w '^  Directory: +<d+ *\]$'
tui_keys w C-a
ok "at its start, '>' where text is hidden on the right" tui_wait w '^  Directory: +\[/srv/d+>$'
tui_keys w C-u C-e C-u
tui_type w /srv/cgi
tui_wait w '^  Directory: +\[/srv/cgi +\]$' >/dev/null

tui_keys w Tab
try "URL path '/'" / --dir /srv/cgi --url-path /
try "URL path with '?'" '/a?b' --dir /srv/cgi --url-path '/a?b'
tui_keys w C-u Tab C-u
try "extension without a dot" py --dir /srv/cgi --ext py
tui_keys w C-u
tui_type w .py
tui_keys w BTab BTab C-u

# a world-writable directory: refused as you type, with the command
# line's words; Next asks, n keeps it refused, y uses it (--force)
msg=$(cli_message --dir /srv/open)
tui_type w /srv/open
ok "world-writable: the command line refuses it" test -n "$msg"
ok "world-writable: refused as you type, as the command line words it" shows "$msg"
ok "world-writable: Next would ask" shows "Next asks whether to use it anyway"
tui_keys w Enter
ok "world-writable: Next asks first" tui_wait w 'Use a world-writable directory\?'
tui_keys w n
ok "world-writable: n keeps it refused" shows "$msg"
ok "world-writable: still screen 2" tui_wait w 'step 2 of 5'
tui_keys w Enter
tui_wait w 'Use a world-writable directory\?' >/dev/null
tui_keys w y
ok "world-writable: y goes on to the preview" tui_wait w 'step 3 of 5'
tui_keys w Escape
ok "world-writable: back on screen 2, the choice is said" tui_wait w 'used anyway, as you chose'
tui_keys w C-w
tui_type w open
ok "world-writable: the choice holds for the same path" tui_wait w 'used anyway, as you chose'
tui_keys w C-u
tui_type w /srv/cgi
tui_keys w Escape
tui_wait w 'step 1 of 5' >/dev/null
tui_keys w q
tui_wait w 'Quit without applying\?' >/dev/null
tui_keys w y
is "exit status 1" 1 "$(tui_wait_exit w)"
is "every file byte-identical" "$before" "$(snapshot "$root")"

done_testing
