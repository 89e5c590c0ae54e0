#!/bin/bash
# restricted.sh - the proof is cgisetup's own (issue 11, item 1).
# (a) an admin's "Require ip 10.0.0.0/8" for /srv/cgi in a conf-available
#     file: cgisetup completes that section in place, never grants, and
#     the 403 its check gets is "configured, not proven": exit 0, a warning
#     naming the rule, no rollback;
# (b) the same with Basic auth (Require valid-user): 401, exit 0, and with
#     the credentials the script runs;
# (c) the user's own hello.py in DIR is kept byte for byte and never
#     fetched: a transient probe proves the change and is gone afterwards;
# (d) Debian's /usr/lib/cgi-bin: only the module is enabled (apache2.conf
#     byte-identical), verified; the undo leaves /cgi-bin/hello.py at 404;
# (e) cgisetup killed (SIGKILL) while the probe stands: the next run's
#     recovery removes it;
# (f) a 403 without an access rule the plan knows (a path component not
#     searchable) stays a failure: exit 1, rolled back.
. "$(dirname "$0")/common.sh"
sys_require

ADMIN=/etc/apache2/conf-available/admin-tools.conf
# the name Apache read it by (apache2.conf includes conf-enabled/*.conf)
ADMIN_READ=/etc/apache2/conf-enabled/admin-tools.conf
url=http://127.0.0.1/cgi/hello.py
PROBE_RE='cgisetup-probe-'

# admin_conf C TEXT: the admin's file for /srv/cgi, enabled and live.
admin_conf() {
	in_c "$1" bash -c 'printf "%s" "$1" >'"$ADMIN"' && a2enconf -q admin-tools &&
		systemctl reload apache2' _ "$2"
}

# no_probe C LABEL: nothing of the probe is left in /srv/cgi.
no_probe() {
	is "$2: no probe left in /srv/cgi" "" "$(in_c "$1" ls -A /srv/cgi | grep -- "$PROBE_RE")"
}

# ---- (a) Require ip ----
sys_start c restr-ip
admin_conf "$c" $'<Directory /srv/cgi>\n Require ip 10.0.0.0/8\n</Directory>\n'
grants0=$(in_c "$c" grep -ci 'require all granted' /etc/apache2/apache2.conf)
cgs "$c" --dir /srv/cgi --yes >"$TMPD/a.out" 2>&1
is_rc "a: exit 0" 0 $? "$TMPD/a.out"
ok "a: says the change is not proven over HTTP" has "not proven over HTTP (HTTP 403)" "$TMPD/a.out"
ok "a: names the admin's rule and where it is" \
	has "restricted by 'Require ip 10.0.0.0/8' in '$ADMIN_READ' line 2" "$TMPD/a.out"
ok "a: printed as a warning" has "^cgisetup: warning: not proven" "$TMPD/a.out"
ok "a: no rollback" not grep -q "rolled back" "$TMPD/a.out"
admin=$(in_c "$c" cat "$ADMIN")
ok "a: the admin's section has Options +ExecCGI" contains "$admin" "Options +ExecCGI"
ok "a: the admin's section has the AddHandler" contains "$admin" "AddHandler cgi-script .py"
ok "a: the admin's rule is kept" contains "$admin" "Require ip 10.0.0.0/8"
is "a: nothing grants /srv/cgi (no 'Require all granted' in the admin's file)" "" \
	"$(grep -i 'require all granted' <<<"$admin")"
is "a: apache2.conf grants nothing more (the section was completed in place)" "$grants0" \
	"$(in_c "$c" grep -ci 'require all granted' /etc/apache2/apache2.conf)"
ok "a: apache2.conf has no section of cgisetup's for /srv/cgi" \
	not in_c "$c" grep -qi '<Directory "\?/srv/cgi' /etc/apache2/apache2.conf
ok "a: the link in conf-enabled stays a link" in_c "$c" test -L /etc/apache2/conf-enabled/admin-tools.conf
is "a: curl still gets 403" 403 "$(c_code "$c" "$url")"
ok "a: hello.py was written" in_c "$c" test -x /srv/cgi/hello.py
no_probe "$c" a
ok "a: the apply is in the journal (undo can take it back)" \
	has /srv/cgi <(cgs "$c" --status)
"$RIG" stop "$c" >/dev/null 2>&1

# ---- (b) Basic auth ----
sys_start c restr-auth
in_c "$c" htpasswd -bc /etc/apache2/htpasswd user pass >/dev/null 2>&1
ok "b: htpasswd file created" in_c "$c" test -s /etc/apache2/htpasswd
admin_conf "$c" $'<Directory /srv/cgi>\n AuthType Basic\n AuthName x\n AuthUserFile /etc/apache2/htpasswd\n Require valid-user\n</Directory>\n'
cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/b.json" 2>"$TMPD/b.err"
is_rc "b: exit 0" 0 $? "$TMPD/b.json" "$TMPD/b.err"
is "b: status" applied "$(jget status "$TMPD/b.json")"
is "b: verdict" restricted "$(jget verdict "$TMPD/b.json")"
is "b: verify.verdict" unauthorized "$(jget verify.verdict "$TMPD/b.json")"
is "b: verify.status" 401 "$(jget verify.status "$TMPD/b.json")"
ok "b: the warning names the rule (English)" \
	contains "$(jlist warnings "$TMPD/b.json")" "not proven over HTTP (HTTP 401): access to '/srv/cgi' is restricted by 'Require valid-user' in '$ADMIN_READ' line 5"
is "b: curl without credentials: 401" 401 "$(c_code "$c" "$url")"
ok "b: curl with the credentials runs the script" \
	contains "$(in_c "$c" curl -s --max-time 5 -u user:pass "$url")" "$PROOF"
no_probe "$c" b
"$RIG" stop "$c" >/dev/null 2>&1

# ---- (c) the user's own hello.py ----
sys_start c restr-mine
in_c "$c" bash -c 'mkdir -p /srv/cgi && printf "%s\n" "#!/usr/bin/python3" \
	"print(\"Content-Type: text/plain\")" "print()" "print(\"mine\")" >/srv/cgi/hello.py &&
	chmod 0755 /srv/cgi/hello.py'
mine0=$(in_c "$c" sha256sum /srv/cgi/hello.py)
cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/c.json" 2>"$TMPD/c.err"
is_rc "c: exit 0" 0 $? "$TMPD/c.json" "$TMPD/c.err"
is "c: verify.verdict" ran "$(jget verify.verdict "$TMPD/c.json")"
is "c: verdict" proven "$(jget verdict "$TMPD/c.json")"
ok "c: the check fetched a probe, not hello.py ($(jget verify.url "$TMPD/c.json"))" \
	has "^http://127.0.0.1/cgi/${PROBE_RE}[0-9a-f]\{16\}\.py$" <(jget verify.url "$TMPD/c.json")
is "c: the user's hello.py is byte-identical" "$mine0" "$(in_c "$c" sha256sum /srv/cgi/hello.py)"
is "c: and it runs as the user wrote it" mine "$(c_body "$c" "$url")"
no_probe "$c" c
ok "c: the probe is not a file of the apply (--status)" \
	not grep -q cgisetup-probe <(cgs "$c" --status --json)

# --no-hello still proves the change (a second directory)
cgs "$c" --dir /srv/cgi2 --no-hello --yes --json >"$TMPD/c2.json" 2>"$TMPD/c2.err"
is_rc "c --no-hello: exit 0" 0 $? "$TMPD/c2.json" "$TMPD/c2.err"
is "c --no-hello: verified all the same" ran "$(jget verify.verdict "$TMPD/c2.json")"
is "c --no-hello: /srv/cgi2 is empty" "" "$(in_c "$c" ls -A /srv/cgi2)"
cgs "$c" --undo --yes --json >"$TMPD/c2u.json" 2>"$TMPD/c2u.err"
is_rc "c --no-hello undo: exit 0" 0 $? "$TMPD/c2u.json" "$TMPD/c2u.err"
ok "c --no-hello undo: its check fetched a probe (an empty DIR has no hello.py)" \
	has "^http://127.0.0.1/cgi2/${PROBE_RE}[0-9a-f]\{16\}\.py$" <(jget verify.url "$TMPD/c2u.json")
ok "c --no-hello undo: /srv/cgi2 is gone (no probe kept it)" in_c "$c" test ! -e /srv/cgi2
cgs "$c" --undo --yes >"$TMPD/cu.out" 2>&1
is_rc "c undo: exit 0" 0 $? "$TMPD/cu.out"
ok "c undo: verified with a probe" has "verified: a probe script in '/srv/cgi' no longer runs" "$TMPD/cu.out"
is "c undo: the user's hello.py is still byte-identical" "$mine0" "$(in_c "$c" sha256sum /srv/cgi/hello.py)"
no_probe "$c" "c undo"
"$RIG" stop "$c" >/dev/null 2>&1

# ---- (d) Debian's /usr/lib/cgi-bin ----
sys_start c restr-cgibin
main0=$(in_c "$c" sha256sum /etc/apache2/apache2.conf)
cgs "$c" --dir /usr/lib/cgi-bin --yes --json >"$TMPD/d.json" 2>"$TMPD/d.err"
is_rc "d: exit 0" 0 $? "$TMPD/d.json" "$TMPD/d.err"
is "d: verify.verdict" ran "$(jget verify.verdict "$TMPD/d.json")"
is "d: apache2.conf byte-identical (only the module enabled)" "$main0" \
	"$(in_c "$c" sha256sum /etc/apache2/apache2.conf)"
ok "d: the module is enabled" in_c "$c" test -L /etc/apache2/mods-enabled/cgid.load
ok "d: /cgi-bin/hello.py runs" contains "$(c_body "$c" http://127.0.0.1/cgi-bin/hello.py)" "$PROOF"
is "d: no probe left" "" "$(in_c "$c" ls -A /usr/lib/cgi-bin | grep -- "$PROBE_RE")"
cgs "$c" --undo --yes >"$TMPD/d-undo.out" 2>&1
is_rc "d undo: exit 0" 0 $? "$TMPD/d-undo.out"
is "d undo: /cgi-bin/hello.py answers 404" 404 "$(c_code "$c" http://127.0.0.1/cgi-bin/hello.py)"
is "d undo: apache2.conf byte-identical" "$main0" "$(in_c "$c" sha256sum /etc/apache2/apache2.conf)"
"$RIG" stop "$c" >/dev/null 2>&1

# ---- (e) killed while the probe stands ----
# Inside the container a watcher starts cgisetup and sends it SIGKILL the
# moment the probe (its final name, not the temporary file) appears: the
# probe stands from just before the HTTP check until right after it, and
# running a Python CGI takes tens of milliseconds, far longer than one scan.
KILL_AT_PROBE='import os, re, signal, subprocess, sys, time
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
name = re.compile(r"^cgisetup-probe-[0-9a-f]{16}\.py$")
deadline = time.time() + 60
while p.poll() is None and time.time() < deadline:
    try:
        names = os.listdir("/srv/cgi")
    except OSError:
        continue
    if any(name.match(n) for n in names):
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        print("killed")
        sys.exit(0)
print("not killed: exit %s" % p.poll())
sys.exit(1)'
sys_start c restr-crash
srv0=$(c_snapshot "$c" /srv)
# Scripts start half a second late in this container (python3 is a
# wrapper that sleeps first), so the probe stands long enough for the
# watcher to see it even on a loaded machine; the watcher itself runs on
# the real interpreter.
py=$(in_c "$c" readlink -f /usr/bin/python3)
in_c "$c" sh -c "rm /usr/bin/python3 && printf '#!/bin/sh\nsleep 0.5\nexec %s \"\$@\"\n' '$py' \
	>/usr/bin/python3 && chmod 0755 /usr/bin/python3"
out=$(in_c "$c" "$py" -c "$KILL_AT_PROBE" "$IN_CGISETUP" --dir /srv/cgi --yes)
is "e: cgisetup killed while the probe stood" killed "$out"
ok "e: the crash left the probe behind" has "$PROBE_RE" <(in_c "$c" ls -A /srv/cgi)
cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/e.json" 2>"$TMPD/e.err"
is_rc "e: the next run: exit 0" 0 $? "$TMPD/e.json" "$TMPD/e.err"
is "e: the next run recovered the killed one" 1 "$(jget recovered "$TMPD/e.json")"
is "e: the next run verified" ran "$(jget verify.verdict "$TMPD/e.json")"
no_probe "$c" e
cgs "$c" --undo --yes >"$TMPD/e-undo.out" 2>&1
is_rc "e: undo: exit 0" 0 $? "$TMPD/e-undo.out"
is "e: after the undo /srv is as before" "$srv0" "$(c_snapshot "$c" /srv)"
"$RIG" stop "$c" >/dev/null 2>&1

# ---- (f) a 403 no rule of the admin's explains stays a failure ----
# /srv not searchable for Apache's user: the planner sees no access rule,
# so the 403 is a failure, rolled back as before.
sys_start c restr-perm
in_c "$c" chmod 0700 /srv
srv0=$(c_snapshot "$c" /srv)
cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/f.json" 2>"$TMPD/f.err"
is_rc "f: exit 1" 1 $? "$TMPD/f.json" "$TMPD/f.err"
is "f: verify.verdict" forbidden "$(jget verify.verdict "$TMPD/f.json")"
is "f: verdict" failed "$(jget verdict "$TMPD/f.json")"
ok "f: error names the failed check" contains "$(jget error "$TMPD/f.json")" "did not run the script (HTTP 403)"
is "f: /srv is as before (rolled back, no probe)" "$srv0" "$(c_snapshot "$c" /srv)"
"$RIG" stop "$c" >/dev/null 2>&1
done_testing
