#!/bin/bash
# honest.sh - what the screens say is what happens: with hello.py
# unticked no hello.py URL is given (it would answer 404), in the preview,
# on the result screen and in the report; a re-run proposes the directory
# cgisetup configured, not the distribution's customary one. "Before you
# apply" on the preview: hello.py ticked while '.py' is not an extension
# is said, and Apply refused, before anything is written.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

root="$TMPD/root"
copy_layout own/debian "$root"

tui_start h 80 24 "$CGISETUP" --root "$root"
tui_wait h '> Set up CGI' >/dev/null
ok "screen 1: under --root, detected from the files" \
	tui_wait h '^  Detected from: +the configuration files$'
tui_keys h Enter
tui_wait h 'step 2 of 5' >/dev/null
tui_keys h C-u
tui_type h /srv/cgi
tui_keys h Tab Tab Tab
ok "screen 2: the hello.py box focused" tui_wait h '\[x\] write hello.py'
tui_keys h Space
ok "screen 2: hello.py unticked" tui_wait h '\[ \] write hello.py'
tui_keys h Enter
ok "preview" tui_wait h 'step 3 of 5: Preview'
tui_keys h NPage
ok "preview: no hello.py URL, the reason instead" \
	tui_wait h "served at /cgi/ \\(no hello.py: test it with a script"
ok "preview: no hello.py URL on the page" tui_absent h 'http://[^ ]*/hello\.py'
tui_keys h Home
tui_keys h Enter
ok "result" tui_wait h 'step 5 of 5: Result'
ok "result: no hello.py URL" tui_absent h 'http://[^ ]*/hello\.py'
ok "result: says no test script was written, and where scripts run" \
	tui_wait h "No test script was written: a script you put in '/srv/cgi' runs"
tui_keys h Enter
is "exit status 0" 0 "$(tui_wait_exit h)"
ok "the report: no hello.py URL" bash -c "! { tmux -S '$TUI_SOCK' capture-pane -p -S - -t h | grep -q 'hello\\.py\$'; }"
ok "the report: no test script, where scripts run" \
	tui_printed h "^cgisetup: no test script \\(--no-hello\\): a script you put in '/srv/cgi' runs at"
ok "no hello.py on disk" test ! -e "$root/srv/cgi/hello.py"

# a re-run: the configured directory is proposed
tui_start again 80 24 "$CGISETUP" --root "$root"
tui_wait again '> Set up CGI' >/dev/null
ok "re-run: screen 1 lists the change" tui_wait again '/srv/cgi at /cgi/'
tui_keys again Enter
ok "re-run: the configured directory is proposed" \
	tui_wait again '^  Directory: +\[/srv/cgi +\]$'
tui_keys again Escape
tui_wait again 'step 1 of 5' >/dev/null
tui_keys again q
is "re-run: exit status 1 (cancelled)" 1 "$(tui_wait_exit again)"

# hello.py ticked, extensions without .py: named before Apply, refused
root3="$TMPD/root3"
copy_layout own/debian "$root3"
before3=$(snapshot "$root3")
tui_start ext 80 24 "$CGISETUP" --root "$root3"
tui_wait ext '> Set up CGI' >/dev/null
tui_keys ext Enter
tui_wait ext 'step 2 of 5' >/dev/null
tui_keys ext C-u
tui_type ext /srv/cgi
tui_keys ext Tab Tab C-u
tui_type ext .cgi
tui_keys ext Enter
ok ".cgi only: the preview" tui_wait ext 'step 3 of 5: Preview'
ok ".cgi only: a 'Before you apply' block" tui_wait ext '^  Before you apply:$'
ok ".cgi only: hello.py cannot run, in plain words" \
	tui_wait ext "^    - hello.py cannot run: '.py' is not one of the extensions"
ok ".cgi only: Apply refused, and why" tui_wait ext 'Apply refused: hello.py would not run'
tui_keys ext Tab Enter
tui_settle ext
ok ".cgi only: Enter on Apply stays on the preview" tui_wait ext 'step 3 of 5: Preview'
is ".cgi only: nothing written" "$before3" "$(snapshot "$root3")"
tui_keys ext Escape
tui_wait ext 'step 2 of 5' >/dev/null
tui_keys ext Tab
tui_keys ext Space
tui_wait ext '\[ \] write hello.py' >/dev/null
tui_keys ext Enter
ok ".cgi only, hello.py unticked: the preview" tui_wait ext 'step 3 of 5: Preview'
ok ".cgi only, hello.py unticked: nothing before applying" tui_absent ext 'Before you apply|Apply is refused'
ok ".cgi only, hello.py unticked: Apply offered" tui_wait ext '< Apply >'
tui_keys ext q
tui_wait ext 'Quit without' >/dev/null
tui_keys ext y
is ".cgi only: exit status 1 (cancelled)" 1 "$(tui_wait_exit ext)"

done_testing
