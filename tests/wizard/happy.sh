#!/bin/bash
# happy.sh - the wizard from the first screen to the result, in tmux, on
# copies of the own layouts (tests/layouts): what each screen shows, that
# the preview writes nothing, and that the files the wizard leaves are byte for byte
# those `cgisetup --dir ... --yes` leaves for the same answers. A second
# run on the configured tree says so and changes nothing. A configuration
# edited while the preview is open is not applied blind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

# The tree, with the journal's clock line left out: the two runs being
# compared do not happen in the same second.
tree() {
	find "$1" -path '*/var/lib/cgisetup/entries/*/manifest' -exec sed -i '/^meta\ttime\t/d' {} +
	snapshot "$1"
}

# 1. Debian, every proposal taken (the directory is Debian's customary
# /usr/lib/cgi-bin, served at /cgi-bin/), at 80x24.
a="$TMPD/a" b="$TMPD/b" cfg=/etc/apache2/apache2.conf
copy_layout own/debian "$a"
copy_layout own/debian "$b"
before=$(snapshot "$a")
tui_start happy 80 24 "$CGISETUP" --root "$a"
ok "screen 1: the detected layout" tui_wait happy '^  Layout: +debian$'
ok "screen 1: the main configuration" tui_wait happy "^  Main config: +$cfg\$"
ok "screen 1: the MPM" tui_wait happy '^  MPM: +event \(threaded\)$'
ok "screen 1: no CGI module yet" tui_wait happy '^  CGI module: +not loaded \(cgid matches the MPM\)$'
ok "screen 1: the service is not checked under --root" \
	tui_wait happy 'apache2.service \(not checked: --root\)'
ok "screen 1: a value not found reads unknown" tui_wait happy '^  Apache: +unknown$'
ok "screen 1: nothing applied yet" tui_wait happy '^  Applied: +nothing by cgisetup yet$'
ok "screen 1: the menu, set-up first" tui_wait happy '^  > Set up CGI for a directory$'
ok "screen 1: no undo entry while nothing is applied" tui_absent happy 'Undo the last change'
tui_keys happy Enter
ok "screen 2: the title" tui_wait happy 'step 2 of 5: CGI directory'
ok "screen 2: the proposed directory is Debian's customary one" \
	tui_wait happy '^  Directory: +\[/usr/lib/cgi-bin +\]$'
ok "screen 2: the URL path it will be served at" \
	tui_wait happy '^ +served at /cgi-bin/ \(from the directory\)$'
ok "screen 2: the extensions" tui_wait happy '^  Extensions: +\[\.py +\]$'
ok "screen 2: hello.py ticked" tui_wait happy '^  \[x\] write hello.py'
tui_keys happy Enter
ok "screen 3: the title" tui_wait happy 'step 3 of 5: Preview'
ok "screen 3: nothing written yet" tui_wait happy '^  Nothing has been written yet'
ok "screen 3: a change" tui_wait happy "^    - create directory '/usr/lib/cgi-bin' \(mode 0755\)\$"
ok "screen 3: its reason" tui_wait happy '^      the CGI directory does not exist yet$'
ok "screen 3: the Apply button" tui_wait happy '< Apply >'
is "screen 3: the preview wrote nothing" "$before" "$(snapshot "$a")"
tui_keys happy End
# the diff ends with the module's symlinks, in git's form
ok "screen 3: End shows the last line of the diff" \
	tui_wait happy '^  \+\.\./mods-available/cgid\.conf$'
ok "screen 3: and says it is the end" tui_wait happy 'lines [0-9]+-([0-9]+) of \1$'
tui_keys happy Home
ok "screen 3: Home goes back to the top" tui_wait happy 'lines 1-[0-9]+ of'
tui_keys happy PageDown
ok "screen 3: PgDn scrolls" tui_wait happy 'lines 14-'
tui_keys happy Enter
ok "screen 5: the title" tui_wait happy 'step 5 of 5: Result'
ok "screen 5: CGI is on" tui_wait happy "^  CGI is on for '/usr/lib/cgi-bin', served at /cgi-bin/\$"
ok "screen 5: the steps, as the reporter gave them" \
	tui_wait happy "^  \[changed\] +configuration: $cfg\$"
ok "screen 5: the URL to test" tui_wait happy 'http://127\.0\.0\.1/cgi-bin/hello\.py'
ok "screen 5: no step left running" tui_absent happy '\[\.\.\.\.\]'
tui_keys happy Enter
is "exit status 0" 0 "$(tui_wait_exit happy)"
ok "the command line's report stays on the terminal" \
	tui_printed happy "^cgisetup: CGI is on for '/usr/lib/cgi-bin', served at /cgi-bin/"
"$CGISETUP" --root "$b" --dir /usr/lib/cgi-bin --yes >/dev/null 2>&1
is "cgisetup --dir /usr/lib/cgi-bin --yes on a second copy exits 0" 0 $?
is "the wizard's tree = the command line's tree, byte for byte" "$(tree "$b")" "$(tree "$a")"

# 2. The same tree again: already configured, nothing changes.
after=$(snapshot "$a")
mtimes=$(snapshot_mtimes "$a")
tui_start again 80 24 "$CGISETUP" --root "$a"
ok "configured tree: screen 1 lists the change applied" \
	tui_wait again '^  Applied: +[^ ]+  /usr/lib/cgi-bin at /cgi-bin/  \(intact\)$'
tui_wait again 'Set up CGI' >/dev/null && tui_keys again Enter
tui_wait again 'step 2 of 5' >/dev/null && tui_keys again Enter
ok "configured tree: the preview says so" tui_wait again 'Already configured: nothing would change'
ok "configured tree: Finish instead of Apply" tui_wait again '< Finish >'
ok "configured tree: no 'Apply makes exactly these changes' above it" \
	tui_absent again 'Apply makes|< Apply >'
ok "configured tree: Finish is the one way out (no Cancel)" tui_absent again '< Cancel >'
ok "configured tree: the intro says nothing is to do" tui_wait again 'Nothing to do: the directory is set up'
tui_keys again Enter
is "configured tree: exit status 0" 0 "$(tui_wait_exit again)"
ok "configured tree: the command line's words" tui_printed again 'cgisetup: already configured'
is "configured tree: no byte changed" "$after" "$(snapshot "$a")"
is "configured tree: no mtime changed" "$mtimes" "$(snapshot_mtimes "$a")"
tui_start againq 80 24 "$CGISETUP" --root "$a"
tui_wait againq 'Set up CGI' >/dev/null && tui_keys againq Enter
tui_wait againq 'step 2 of 5' >/dev/null && tui_keys againq Enter
tui_wait againq 'Already configured' >/dev/null && tui_keys againq q
is "configured tree: q leaves with exit status 0 too, nothing to ask" 0 "$(tui_wait_exit againq)"
ok "configured tree, q: the command line's words" tui_printed againq 'cgisetup: already configured'

# 3. RHEL, every answer changed, at 100x30: directory, URL path,
# extensions, no hello.py.
a="$TMPD/c" b="$TMPD/d"
copy_layout own/rhel "$a"
copy_layout own/rhel "$b"
tui_start answers 100 30 "$CGISETUP" --root "$a"
tui_wait answers 'Set up CGI' >/dev/null && tui_keys answers Enter
tui_wait answers 'step 2 of 5' >/dev/null
tui_keys answers C-u
tui_type answers /srv/www/scripts
tui_keys answers Tab
tui_type answers /scripts
tui_keys answers Tab C-u
tui_type answers .py,.cgi
tui_keys answers Tab Space
ok "answers: hello.py unticked" tui_wait answers '^  \[ \] write hello.py'
tui_keys answers Enter
ok "answers: the preview uses them" \
	tui_wait answers "'/srv/www/scripts' will be served at /scripts/"
tui_keys answers End
ok "answers: both extensions" tui_wait answers 'AddHandler cgi-script \.py \.cgi'
tui_keys answers Enter
ok "answers: the result" tui_wait answers "CGI is on for '/srv/www/scripts', served at /scripts/"
tui_keys answers q
is "answers: exit status 0" 0 "$(tui_wait_exit answers)"
"$CGISETUP" --root "$b" --dir /srv/www/scripts --url-path /scripts --ext .py,.cgi --no-hello \
	--yes >/dev/null 2>&1
is "answers: the command line with the same answers exits 0" 0 $?
is "answers: the wizard's tree = the command line's tree" "$(tree "$b")" "$(tree "$a")"
ok "answers: no hello.py" test ! -e "$a/srv/www/scripts/hello.py"

# 4. The configuration edited while the preview is on the screen: Apply
# does not apply a plan nobody saw; it shows the new one, and applies that.
a="$TMPD/e" b="$TMPD/f"
copy_layout own/debian "$a"
copy_layout own/debian "$b"
tui_start edited 80 24 "$CGISETUP" --root "$a"
tui_wait edited 'Set up CGI' >/dev/null && tui_keys edited Enter
tui_wait edited 'step 2 of 5' >/dev/null && tui_keys edited Enter
tui_wait edited 'step 3 of 5' >/dev/null
# the admin turns Debian's own cgi-bin off: /usr/lib/cgi-bin now needs a
# URL mapping and a section of its own
rm "$a/etc/apache2/conf-enabled/serve-cgi-bin.conf" "$b/etc/apache2/conf-enabled/serve-cgi-bin.conf"
edited=$(snapshot "$a")
tui_keys edited Enter
ok "edited meanwhile: Apply shows the new plan instead" tui_wait edited 'The files changed meanwhile'
ok "edited meanwhile: still the preview" tui_wait edited 'step 3 of 5: Preview'
is "edited meanwhile: nothing written" "$edited" "$(snapshot "$a")"
tui_keys edited Enter
ok "edited meanwhile: Apply again applies" tui_wait edited "CGI is on for '/usr/lib/cgi-bin'"
tui_keys edited Enter
is "edited meanwhile: exit status 0" 0 "$(tui_wait_exit edited)"
"$CGISETUP" --root "$b" --dir /usr/lib/cgi-bin --yes >/dev/null 2>&1
is "edited meanwhile: the wizard's tree = the command line's tree" "$(tree "$b")" "$(tree "$a")"

done_testing
