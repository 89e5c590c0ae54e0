#!/bin/bash
# undo.sh - undo from the wizard, on copies of the own Debian layout with
# changes applied by the command line first: screen 1 lists what cgisetup
# applied (one, then two changes, intact or edited since, as
# `cgisetup --status` says); the undo preview shows the actions and the
# diff and writes nothing; leaving it (q, Esc, Cancel) leaves every file
# byte-identical; confirming takes the change back, leaving the tree byte
# for byte the original layout copy, as `cgisetup --undo` does; an undo
# that changed while its preview was open is shown again, not applied
# blind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

cfg=/etc/apache2/apache2.conf
orig="$TMPD/orig"
copy_layout own/debian "$orig"
pristine=$(snapshot "$orig")

# applied DEST DIR...: a copy of the own Debian layout with each DIR applied in turn.
applied() {
	local dest=$1 dir
	shift
	copy_layout own/debian "$dest"
	for dir in "$@"; do
		"$CGISETUP" --root "$dest" --dir "$dir" --yes >/dev/null 2>&1 || return 1
	done
}

# start NAME ROOT: the wizard on ROOT, at screen 1.
start() {
	tui_start "$1" 80 24 "$CGISETUP" --root "$2"
	tui_wait "$1" '> Set up CGI' >/dev/null
}

# to_undo NAME ROOT: on the undo preview.
to_undo() {
	start "$1" "$2"
	tui_keys "$1" u
	tui_wait "$1" 'undo step 1 of 3: Undo preview' >/dev/null
	tui_settle "$1"
}

# ---- one change applied ----
root="$TMPD/one"
applied "$root" /srv/cgi
ok "the command line applied /srv/cgi" test -f "$root/srv/cgi/hello.py"
when=$("$CGISETUP" --root "$root" --status | awk '{ print $2; exit }') # after the ID
applied_tree=$(snapshot "$root")

start list "$root"
ok "screen 1: the change applied, when, where and intact, as --status says" \
	tui_wait list "^  Applied: +$when  /srv/cgi at /cgi/  \\(intact\\)\$"
ok "screen 1: the menu offers the undo, naming what it takes back" \
	tui_wait list "^    Undo the last change \\(CGI for '/srv/cgi' at /cgi/\\)\$"
tui_keys list Down
ok "screen 1: Down reaches the undo entry" tui_wait list '^  > Undo the last change'
tui_keys list Enter
ok "the undo preview: its title" tui_wait list 'undo step 1 of 3: Undo preview'
ok "the undo preview: what it takes back" \
	tui_wait list "^  Take back CGI for '/srv/cgi' at /cgi/ \\(applied $when\\)\$"
ok "the undo preview: the files are intact" tui_wait list 'still as cgisetup left them \(intact\)'
ok "the undo preview: restore the configuration" tui_wait list "^    - restore '$cfg'\$"
ok "the undo preview: remove hello.py" tui_wait list "^    - remove file '/srv/cgi/hello.py'\$"
ok "the undo preview: remove the directory" tui_wait list "^    - remove directory '/srv/cgi'\$"
ok "the undo preview: the Undo button" tui_wait list '< Undo >'
is "the undo preview wrote nothing" "$applied_tree" "$(snapshot "$root")"
tui_keys list PageDown
ok "the undo preview: PgDn shows the diff, cgisetup's section going" \
	tui_wait list '^  -<Directory /srv/cgi>$'
tui_keys list End
ok "the undo preview: End shows the diff's end, hello.py going" \
	tui_wait list '^  -sys\.stdout\.write\("</body></html>\\n"\)$'
tui_keys list Escape
ok "Esc: back on screen 1" tui_wait list 'step 1 of 5: Detected system'
ok "Esc: the change is still listed" tui_wait list "/srv/cgi at /cgi/  \\(intact\\)"
tui_keys list q
tui_wait list 'Quit without applying\?' >/dev/null && tui_keys list y
is "Esc then q: exit status 1" 1 "$(tui_wait_exit list)"
is "Esc then q: every file byte-identical" "$applied_tree" "$(snapshot "$root")"

to_undo cancel "$root"
tui_keys cancel q
ok "q on the undo preview asks first" tui_wait cancel 'Quit without undoing\?'
tui_keys cancel n
ok "n stays on the undo preview" tui_wait cancel 'undo step 1 of 3'
tui_keys cancel Tab Enter
ok "the Cancel button asks too" tui_wait cancel 'Quit without undoing\?'
tui_keys cancel y
is "cancelled undo: exit status 1" 1 "$(tui_wait_exit cancel)"
ok "cancelled undo: says nothing was changed" \
	tui_printed cancel 'cgisetup: cancelled: nothing was changed'
is "cancelled undo: every file byte-identical" "$applied_tree" "$(snapshot "$root")"

to_undo confirm "$root"
tui_keys confirm Enter
ok "Undo: the result screen" tui_wait confirm 'undo step 3 of 3: Undo result'
ok "Undo: says the change is off again" \
	tui_wait confirm "^  Undone: CGI for '/srv/cgi' \\(applied $when\\) is off again\\.\$"
ok "Undo: names where the change applied" tui_wait confirm "^  Where it applied: server-wide\$"
ok "Undo: what was done" tui_wait confirm "^    - remove file '/srv/cgi/hello.py'\$"
ok "Undo: the steps, as the reporter gave them" tui_wait confirm '^  \[changed\] +files$'
ok "Undo: no step left running" tui_absent confirm '\[\.\.\.\.\]'
tui_keys confirm Enter
is "Undo: exit status 0" 0 "$(tui_wait_exit confirm)"
ok "Undo: the command line's report stays on the terminal" \
	tui_printed confirm "^cgisetup: undone: CGI for '/srv/cgi' \\(applied $when\\) is off again\$"
is "Undo: the tree is the original layout copy, byte for byte" "$pristine" "$(snapshot "$root")"
cli="$TMPD/cli"
applied "$cli" /srv/cgi
"$CGISETUP" --root "$cli" --undo >/dev/null 2>&1
is "cgisetup --undo on another copy exits 0" 0 $?
is "the wizard's undo = the command line's undo, byte for byte" "$(snapshot "$cli")" \
	"$(snapshot "$root")"

start after "$root"
ok "after the undo: screen 1 lists nothing applied" \
	tui_wait after '^  Applied: +nothing by cgisetup yet$'
ok "after the undo: no undo entry" tui_absent after 'Undo the last change'
tui_keys after u
ok "after the undo: the key u does nothing" tui_wait after 'step 1 of 5: Detected system'
tui_keys after q
is "after the undo: exit status 1" 1 "$(tui_wait_exit after)"

# ---- two changes applied, the first edited since ----
root="$TMPD/two"
applied "$root" /srv/a /srv/b
echo '# edited by hand' >>"$root/srv/a/hello.py"
status=$("$CGISETUP" --root "$root" --status)
t1=$(awk 'NR == 1 { print $2 }' <<<"$status") # after the ID
t2=$(awk 'NR == 2 { print $2 }' <<<"$status")
start two "$root"
ok "two applies: the first, edited since, as --status says" \
	tui_wait two "^  Applied: +$t1  /srv/a at /a/  \\(edited since\\)\$"
ok "two applies: the second, intact, on the row below" \
	tui_wait two "^ {17}$t2  /srv/b at /b/  \\(intact\\)\$"
ok "two applies: the undo takes the last one back" \
	tui_wait two "Undo the last change \\(CGI for '/srv/b' at /b/\\)"
two_tree=$(snapshot "$root")
tui_keys two u
tui_wait two 'undo step 1 of 3' >/dev/null
ok "two applies: the preview is the last one's" \
	tui_wait two "^  Take back CGI for '/srv/b' at /b/ "
tui_keys two Enter
ok "two applies: undone" tui_wait two "^  Undone: CGI for '/srv/b'"
tui_keys two Enter
is "two applies: exit status 0" 0 "$(tui_wait_exit two)"
ok "two applies: /srv/b is gone" test ! -e "$root/srv/b"
ok "two applies: /srv/a is kept, with its edit" grep -q '^# edited by hand$' "$root/srv/a/hello.py"
start one_left "$root"
ok "two applies: screen 1 now lists the first one only" \
	tui_wait one_left "^  Applied: +$t1  /srv/a at /a/  \\(edited since\\)\$"
ok "two applies: and nothing below it" tui_absent one_left '/srv/b'
tui_keys one_left q
tui_wait_exit one_left >/dev/null

# ---- picking which change to take back (n: older, p: newer) ----
root="$TMPD/pick" cli="$TMPD/pick-cli"
applied "$root" /srv/a /srv/b
applied "$cli" /srv/a /srv/b
id1=$("$CGISETUP" --root "$root" --status | awk 'NR == 1 { print $1 }')
id2=$("$CGISETUP" --root "$root" --status | awk 'NR == 2 { print $1 }')
pick_tree=$(snapshot "$root")
to_undo pick "$root"
ok "pick: the latest first, with the choice named" \
	tui_wait pick "Change $id2, 1 of 2 applied \\(newest first\\): n shows an older one"
ok "pick: the latest's plan" tui_wait pick "^  Take back CGI for '/srv/b' at /b/ "
tui_keys pick n
ok "pick: n shows the older change" tui_wait pick "Change $id1, 2 of 2 applied"
ok "pick: its plan" tui_wait pick "^  Take back CGI for '/srv/a' at /a/ "
ok "pick: its actions" tui_wait pick "^    - remove file '/srv/a/hello.py'\$"
tui_keys pick p
ok "pick: p goes back to the newer one" tui_wait pick "^  Take back CGI for '/srv/b' at /b/ "
tui_keys pick n
tui_wait pick "^  Take back CGI for '/srv/a' at /a/ " >/dev/null
is "pick: the previews wrote nothing" "$pick_tree" "$(snapshot "$root")"
tui_keys pick Enter
ok "pick: the older change undone" tui_wait pick "^  Undone: CGI for '/srv/a'"
tui_keys pick Enter
is "pick: exit status 0" 0 "$(tui_wait_exit pick)"
ok "pick: /srv/a is gone" test ! -e "$root/srv/a"
ok "pick: /srv/b stays" test -f "$root/srv/b/hello.py"
"$CGISETUP" --root "$cli" --undo "$id1" >/dev/null 2>&1
is "pick: cgisetup --undo $id1 on another copy exits 0" 0 $?
# the two copies were applied a moment apart: their manifests' "meta time"
# lines may differ by a second, nothing else may
for t in "$cli" "$root"; do
	find "$t/var/lib/cgisetup/entries" -name manifest -exec sed -i '/^meta\ttime\t/d' {} +
done
is "pick: the wizard's undo = 'cgisetup --undo $id1', byte for byte" "$(snapshot "$cli")" \
	"$(snapshot "$root")"

root="$TMPD/pick-refused"
applied "$root" /srv/cgi
"$CGISETUP" --root "$root" --dir /srv/cgi --ext .py,.cgi --yes >/dev/null 2>&1
refused_tree=$(snapshot "$root")
to_undo refused "$root"
tui_keys refused n
ok "pick, a later change builds on it: refused, with the reason" \
	tui_wait refused "cannot be undone now: cannot undo change 1 alone: change 2"
ok "pick, refused: no plan shown" tui_absent refused 'Take back CGI'
tui_keys refused Enter
ok "pick, refused: Enter on Back returns to screen 1" tui_wait refused 'step 1 of 5: Detected system'
tui_keys refused q
tui_wait refused 'Quit without applying\?' >/dev/null && tui_keys refused y
tui_wait_exit refused >/dev/null
is "pick, refused: every file byte-identical" "$refused_tree" "$(snapshot "$root")"

# ---- the configuration edited while the undo preview is open ----
root="$TMPD/edited" cli="$TMPD/edited-cli"
applied "$root" /srv/cgi
applied "$cli" /srv/cgi
to_undo edited "$root"
printf 'Alias /edited/ /var/www/edited/\n' >>"$root$cfg"
printf 'Alias /edited/ /var/www/edited/\n' >>"$cli$cfg"
edited=$(snapshot "$root")
tui_keys edited Enter
ok "edited meanwhile: Undo shows the new undo instead" tui_wait edited 'The files changed meanwhile'
ok "edited meanwhile: still the undo preview" tui_wait edited 'undo step 1 of 3: Undo preview'
ok "edited meanwhile: now it says the files were edited" tui_wait edited 'edited since'
is "edited meanwhile: nothing written" "$edited" "$(snapshot "$root")"
tui_keys edited Enter
ok "edited meanwhile: Undo again takes it back" tui_wait edited "^  Undone: CGI for '/srv/cgi'"
tui_keys edited Enter
is "edited meanwhile: exit status 0" 0 "$(tui_wait_exit edited)"
ok "edited meanwhile: the other edit is kept" grep -q '^Alias /edited/ /var/www/edited/$' "$root$cfg"
"$CGISETUP" --root "$cli" --undo >/dev/null 2>&1
is "edited meanwhile: the wizard's tree = the command line's tree" "$(snapshot "$cli")" \
	"$(snapshot "$root")"

done_testing
