#!/bin/bash
# invalid.sh - bad answers typed on screen 2: the message shown while
# typing is the very one `cgisetup --dir ...` prints for the same value
# (request_validate), Next is refused, and nothing is written; a refusal
# that only the plan can make (a world-writable directory) is shown too.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

root="$TMPD/root"
copy_layout own/debian "$root"
mkdir -m 0777 "$root/srv/open" 2>/dev/null || { mkdir -p "$root/srv/open" && chmod 0777 "$root/srv/open"; }
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
tui_keys w C-u
tui_type w /srv/cgi
ok "a good directory clears the message" tui_gone w 'refusing|relative|component|double quote'
tui_keys w Tab
try "URL path '/'" / --dir /srv/cgi --url-path /
try "URL path with '?'" '/a?b' --dir /srv/cgi --url-path '/a?b'
tui_keys w C-u Tab C-u
try "extension without a dot" py --dir /srv/cgi --ext py
tui_keys w C-u
tui_type w .py
tui_keys w BTab BTab C-u
tui_type w /srv/open
ok "world-writable: the fields are acceptable" tui_gone w 'refusing|invalid'
msg=$(cli_message --dir /srv/open)
tui_keys w Enter
ok "world-writable: the plan's refusal is shown, as the command line words it" shows "$msg"
ok "world-writable: still screen 2" tui_wait w 'step 2 of 5'
tui_keys w Escape
tui_wait w 'step 1 of 5' >/dev/null
tui_keys w q
is "exit status 1" 1 "$(tui_wait_exit w)"
is "every file byte-identical" "$before" "$(snapshot "$root")"

done_testing
