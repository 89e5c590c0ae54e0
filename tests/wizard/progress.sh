#!/bin/bash
# progress.sh - the apply screen shows each step while it runs, at 80x24:
# strace slows down the module's symlink (the files step) and the
# keeping of the main configuration's owner (the configuration step) by
# 1.5 s each, so
# the screen can be read mid-step. A step that begins reads "[....]" at
# once; when it ends the same row reads "[changed]" and the next step's
# "[....]" comes below it; the result lists each step once, none left
# running. (The restart jobs and HTTP checks go through the same two
# reporter calls: tests/wizard/rig.sh shows them on the real systemd rig.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
need_tool strace strace
need_ptrace

root="$TMPD/root" cli="$TMPD/cli" cfg=/etc/apache2/apache2.conf
copy_layout own/debian "$root"
copy_layout own/debian "$cli"

# row NAME REGEX: the first screen row (1-based) that matches REGEX.
row() {
	tui_screen "$1" | grep -nE -- "$2" | head -n 1 | cut -d: -f1
}

# The frame at 80x24: title on row 1, the key line on row 24.
frame() {
	local s
	s=$(tui_screen "$1")
	[ "$(printf '%s\n' "$s" | sed -n 1p | grep -c 'step 4 of 5: Apply')" = 1 ] &&
		[ "$(printf '%s\n' "$s" | sed -n 24p | grep -c 'Please wait')" = 1 ]
}

# The first symlink is the files step's (cgid.load); fchown keeps the
# owner of a replaced file, which only the configuration step does.
tui_start p 80 24 strace -f -o /dev/null -e trace=symlink,symlinkat,fchown \
	-e inject=symlink,symlinkat:delay_enter=1500000:when=1 \
	-e inject=fchown:delay_enter=1500000 \
	"$CGISETUP" --root "$root"
tui_wait p '> Set up CGI' 20 >/dev/null
tui_keys p Enter
tui_wait p 'step 2 of 5' >/dev/null
# not Debian's /usr/lib/cgi-bin, which needs the module only: a directory
# that needs a section in the main configuration
tui_keys p C-u
tui_type p /srv/cgi
tui_keys p Enter
tui_wait p 'step 3 of 5' >/dev/null
tui_keys p Enter
ok "the apply screen" tui_wait p 'step 4 of 5: Apply'
ok "the files step reads [....] while it runs" tui_wait p '^  \[\.\.\.\.\] +files$'
files_row=$(row p '^  \[\.\.\.\.\] +files$')
ok "80x24: the title and the key line stay while a step runs" frame p
ok "the configuration step reads [....] while it runs" \
	tui_wait p "^  \\[\\.\\.\\.\\.\\] +configuration: $cfg\$"
is "the files step ended: the same row now reads [changed]" "$files_row" \
	"$(row p '^  \[changed\] +files$')"
is "the configuration step: on the row below" "$((files_row + 1))" \
	"$(row p "^  \\[\\.\\.\\.\\.\\] +configuration: $cfg\$")"
ok "the files step is shown once" test "$(tui_screen p | grep -c 'files$')" = 1
ok "the result screen" tui_wait p 'step 5 of 5: Result'
ok "the result: the configuration step changed it" \
	tui_wait p "^  \\[changed\\] +configuration: $cfg\$"
is "the result: each step once" 1 "$(tui_screen p | grep -c '^  \[changed\] *files$')"
ok "the result: --root ran no config test, and says so" \
	tui_wait p '^  \[skipped\] +config test \(--root: nothing is run\)$'
ok "the result: no step reads [done]" tui_absent p '\[done\]'
ok "the result: no step left running" tui_absent p '\[\.\.\.\.\]'
tui_keys p Enter
is "exit status 0" 0 "$(tui_wait_exit p)"
"$CGISETUP" --root "$cli" --dir /srv/cgi --yes >/dev/null 2>&1
tree() {
	find "$1" -path '*/var/lib/cgisetup/entries/*/manifest' -exec sed -i '/^meta\ttime\t/d' {} +
	snapshot "$1"
}
is "the slowed-down wizard's tree = the command line's tree" "$(tree "$cli")" "$(tree "$root")"

done_testing
