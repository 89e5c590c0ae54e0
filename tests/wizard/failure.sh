#!/bin/bash
# failure.sh - an apply that fails halfway (strace makes the module's
# symlink fail with EIO): the result screen names the failure, the steps
# as the reporter gave them and the rollback; the exit status and the
# words after the wizard are the command line's; every file is back.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
need_tool strace strace
need_ptrace

root="$TMPD/root"
copy_layout own/debian "$root"
before=$(snapshot "$root")

tui_start f 80 24 strace -f -o /dev/null -e trace=symlink,symlinkat \
	-e inject=symlink,symlinkat:error=EIO:when=1 "$CGISETUP" --root "$root"
tui_wait f '> Set up CGI' >/dev/null
tui_keys f Enter
tui_wait f 'step 2 of 5' >/dev/null
tui_keys f Enter
tui_wait f 'step 3 of 5' >/dev/null
tui_keys f Enter
ok "the result screen" tui_wait f 'step 5 of 5: Result'
ok "it names the failure" \
	tui_wait f "^  Failed: cannot create symlink '/etc/apache2/mods-enabled/cgid\.load':"
ok "the step that failed, as reported" tui_wait f '^  \[failed\] +files$'
ok "the rollback, as reported" tui_wait f '^  \[changed\] +rollback$'
ok "it says every change was rolled back" tui_wait f '^  Every change was rolled back\.$'
tui_keys f Enter
is "exit status 1, as the command line's" 1 "$(tui_wait_exit f)"
ok "the command line's words follow" tui_printed f '^cgisetup: every change was rolled back$'
is "every file byte-identical" "$before" "$(snapshot "$root")"

done_testing
