#!/bin/bash
# stacked.sh - an undo is judged against what the URL did before its
# apply, not against "CGI must be gone" (issue 11, item 2), on the rig:
# (a) two applies for one directory (/srv/cgi with .py, then again with
#     .py and .cgi): the first undo takes back .cgi only and proves that
#     .py scripts still run, as they did before that apply; the second undo
#     proves CGI gone. Before, the first undo failed forever with "still
#     runs the script after the undo".
# (b) Debian's /usr/lib/cgi-bin with mod_cgid enabled by the admin: the
#     apply only writes hello.py; its undo removes it and proves the
#     admin's own script there still runs.
. "$(dirname "$0")/common.sh"
sys_require

script='#!/usr/bin/env python3
print("Content-Type: text/plain")
print()
print("own-script-ran")'

# ran C URL: the script ran (its output, not its source, came back).
ran() {
	local body
	body=$(c_body "$1" "$2")
	contains "$body" own-script-ran && not contains "$body" 'print('
}

# ---- (a) two applies for one directory ----
sys_start c stacked
cgs "$c" --dir /srv/cgi --yes >"$TMPD/a1.out" 2>&1
is_rc "a: first apply exit 0" 0 $? "$TMPD/a1.out"
cgs "$c" --dir /srv/cgi --ext .py,.cgi --yes >"$TMPD/a2.out" 2>&1
is_rc "a: second apply (.py,.cgi) exit 0" 0 $? "$TMPD/a2.out"
in_c "$c" bash -c 'printf "%s\n" "$1" >/srv/cgi/t.cgi && chmod 0755 /srv/cgi/t.cgi' _ "$script"
ok "a: a .cgi script runs" ran "$c" http://127.0.0.1/cgi/t.cgi
cgs "$c" --undo --yes >"$TMPD/u1.out" 2>&1
is_rc "a: first undo exit 0" 0 $? "$TMPD/u1.out"
ok "a: first undo says CGI stays on there (the first change still applies)" \
	has "CGI stays on there" "$TMPD/u1.out"
ok "a: first undo proves .py scripts still run" has "still runs, as before" "$TMPD/u1.out"
ok "a: hello.py still runs" contains "$(c_body "$c" http://127.0.0.1/cgi/hello.py)" "$PROOF"
ok "a: the .cgi script no longer runs" not ran "$c" http://127.0.0.1/cgi/t.cgi
cgs "$c" --undo --yes >"$TMPD/u2.out" 2>&1
is_rc "a: second undo exit 0" 0 $? "$TMPD/u2.out"
ok "a: second undo says CGI is off again" has "is off again" "$TMPD/u2.out"
ok "a: second undo proves the probe no longer runs" has "no longer runs" "$TMPD/u2.out"
is "a: /cgi/hello.py is gone (404)" 404 "$(c_code "$c" http://127.0.0.1/cgi/hello.py)"
cgs "$c" --status >"$TMPD/s.out" 2>&1
ok "a: nothing left applied" has "nothing applied by cgisetup" "$TMPD/s.out"

# ---- (b) /usr/lib/cgi-bin with the module the admin enabled ----
sys_start b stacked-cgibin
in_c "$b" bash -c 'a2enmod -q cgid && systemctl restart apache2'
in_c "$b" bash -c 'printf "%s\n" "$1" >/usr/lib/cgi-bin/own.py && chmod 0755 /usr/lib/cgi-bin/own.py' _ "$script"
ok "b: the admin's script runs before" ran "$b" http://127.0.0.1/cgi-bin/own.py
conf0=$(in_c "$b" sha256sum /etc/apache2/apache2.conf)
cgs "$b" --dir /usr/lib/cgi-bin --yes >"$TMPD/b1.out" 2>&1
is_rc "b: apply exit 0" 0 $? "$TMPD/b1.out"
is "b: apache2.conf untouched" "$conf0" "$(in_c "$b" sha256sum /etc/apache2/apache2.conf)"
ok "b: hello.py runs" contains "$(c_body "$b" http://127.0.0.1/cgi-bin/hello.py)" "$PROOF"
cgs "$b" --undo --yes >"$TMPD/b2.out" 2>&1
is_rc "b: undo exit 0" 0 $? "$TMPD/b2.out"
ok "b: the undo says CGI stays on there" has "CGI stays on there" "$TMPD/b2.out"
is "b: hello.py is gone (404)" 404 "$(c_code "$b" http://127.0.0.1/cgi-bin/hello.py)"
ok "b: the admin's script still runs" ran "$b" http://127.0.0.1/cgi-bin/own.py

done_testing
