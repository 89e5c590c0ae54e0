#!/bin/bash
# urlpath.sh - screen 2's proposal and its live URL path: the directory
# proposed is the distribution's customary one (Debian: /usr/lib/cgi-bin,
# RHEL: /var/www/cgi-bin) unless --dir gave one; the URL path the
# directory will be served at follows what is typed (plan_url_path: the
# very path `cgisetup --dry-run --json` reports for the same answers); a
# URL path that an existing Alias/ScriptAlias uses shows the command
# line's message for --url-path and Next is refused. Nothing is written.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

root="$TMPD/root"
copy_layout own/debian "$root"
before=$(snapshot "$root")

# The command line's URL path for these options.
cli_url() {
	"$CGISETUP" --root "$root" "$@" --dry-run --json 2>/dev/null | json_get url_path
}

# The command line's message for these options, without "cgisetup: ".
cli_message() {
	"$CGISETUP" --root "$root" "$@" --dry-run 2>&1 >/dev/null | sed -n 's/^cgisetup: //p' |
		grep -v '^warning: ' | head -n 1
}

# The screen as one line: a message wrapped over two rows reads whole.
flat() {
	tui_screen "$1" | sed 's/^ *//' | tr '\n' ' ' | tr -s ' '
}

# shows NAME TEXT: TEXT on NAME's screen, as a fixed string.
shows() {
	local i want
	want=$(printf '%s' "$2" | tr -s ' ')
	for ((i = 0; i < 200; i++)); do
		flat "$1" | grep -Fq -- "$want" && return 0
		sleep 0.05
	done
	echo "not on the screen: $2"
	tui_screen "$1"
	return 1
}

# to_dir NAME ROOT [OPTION...]: the wizard at screen 2.
to_dir() {
	local name=$1 r=$2
	shift 2
	tui_start "$name" 80 24 "$CGISETUP" --root "$r" "$@"
	tui_wait "$name" '> Set up CGI' >/dev/null
	tui_keys "$name" Enter
	tui_wait "$name" 'step 2 of 5' >/dev/null
}

# served NAME URL SUFFIX: the row below the URL field.
served() {
	tui_wait "$1" "^ +served at $2/$3\$"
}

# ---- the proposals ----
to_dir w "$root"
ok "own/debian: the proposal is /usr/lib/cgi-bin" tui_wait w '^  Directory: +\[/usr/lib/cgi-bin +\]$'
url=$(cli_url --dir /usr/lib/cgi-bin)
is "the command line serves /usr/lib/cgi-bin at /cgi-bin" /cgi-bin "$url"
ok "own/debian: the URL path of the proposal, live" served w "$url" ' \(from the directory\)'

rhel="$TMPD/rhel"
copy_layout own/rhel "$rhel"
to_dir r "$rhel"
ok "own/rhel: the proposal is /var/www/cgi-bin" tui_wait r '^  Directory: +\[/var/www/cgi-bin +\]$'
tui_keys r Escape
tui_wait r 'step 1 of 5' >/dev/null && tui_keys r q
tui_wait_exit r >/dev/null

to_dir given "$root" --dir /srv/given
ok "--dir given: the field holds it, not the proposal" \
	tui_wait given '^  Directory: +\[/srv/given +\]$'
ok "--dir given: its URL path" served given /given ' \(from the directory, a new Alias\)'
tui_keys given Escape
tui_wait given 'step 1 of 5' >/dev/null && tui_keys given q
tui_wait_exit given >/dev/null

# ---- the URL path, live, as the directory is typed ----
tui_keys w C-u
tui_type w /srv/xyz
is "the command line serves /srv/xyz at /xyz" /xyz "$(cli_url --dir /srv/xyz)"
ok "typing /srv/xyz: served at /xyz/, through a new Alias" \
	served w /xyz ' \(from the directory, a new Alias\)'
tui_keys w C-u
tui_type w /var/www/html/app/cgi
is "the command line serves /var/www/html/app/cgi at /app/cgi" /app/cgi \
	"$(cli_url --dir /var/www/html/app/cgi)"
ok "typing a directory below the document root: its path below it" \
	served w /app/cgi ' \(from the directory\)'
tui_keys w BSpace BSpace BSpace BSpace
ok "every key follows: /var/www/html/app" served w /app ' \(from the directory\)'
tui_keys w C-u
tui_type w etc
ok "a refused directory: no URL path shown" tui_wait w '^ +empty: chosen from the directory$'
tui_keys w C-u
tui_type w /srv/xyz
served w /xyz ' \(from the directory, a new Alias\)' >/dev/null

# ---- the URL path typed ----
tui_keys w Tab
tui_type w /scripts
ok "a URL path typed: served there, through a new Alias" served w /scripts ' \(a new Alias\)'
tui_keys w C-u
tui_type w /cgi-bin
msg=$(cli_message --dir /srv/xyz --url-path /cgi-bin)
ok "the command line refuses --url-path /cgi-bin" test -n "$msg"
echo "# the command line says: $msg"
ok "a URL path in use: the command line's message, while typing" shows w "$msg"
ok "a URL path in use: no URL path shown" tui_wait w '^ +empty: chosen from the directory$'
tui_keys w Enter
tui_settle w
ok "a URL path in use: Next is refused" tui_wait w 'step 2 of 5'
ok "a URL path in use: the message stays" shows w "$msg"
tui_keys w C-u
ok "the URL path emptied: the message goes" tui_gone w 'already used'
ok "the URL path emptied: chosen from the directory again" \
	served w /xyz ' \(from the directory, a new Alias\)'
tui_keys w Enter
ok "Next: the preview maps it there too" tui_wait w "add 'Alias /xyz/ /srv/xyz/' to"
tui_keys w q
tui_wait w 'Quit without applying\?' >/dev/null && tui_keys w y
is "exit status 1" 1 "$(tui_wait_exit w)"

# ---- --url-path given on the command line, already in use ----
to_dir taken "$root" --dir /srv/xyz --url-path /cgi-bin
ok "--url-path in use: the field holds it" tui_wait taken '^  URL path: +\[/cgi-bin +\]$'
ok "--url-path in use: the command line's message at once" shows taken "$msg"
tui_keys taken Enter
tui_settle taken
ok "--url-path in use: Next is refused" tui_wait taken 'step 2 of 5'
tui_keys taken Escape
tui_wait taken 'step 1 of 5' >/dev/null && tui_keys taken q
is "--url-path in use: exit status 1" 1 "$(tui_wait_exit taken)"

is "every file byte-identical" "$before" "$(snapshot "$root")"

done_testing
