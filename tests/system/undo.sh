#!/bin/bash
# undo.sh - `cgisetup --undo` on the real-systemd rig (issue 4), each case
# in a fresh container:
#   1. --undo before anything was applied: exit 0, "nothing to undo",
#      nothing touched (files, journal, no reload);
#   2. apply -> --status (intact) -> undo: the URL no longer runs the script
#      (404), the default site answers 200 with the same page as before,
#      /etc/apache2 and /srv byte-identical to before the apply, no cgid
#      link, the running server has no CGI module any more, and Apache
#      never stopped through apply + undo (MainPID and InvocationID); a
#      second --undo has nothing left to do;
#   3. two applies (/srv/cgi, /srv/cgi2) -> undo -> undo: the last one
#      goes first, mod_cgid stays until the change that enabled it is
#      undone, and the end state is the original;
#   4. an unrelated edit to apache2.conf after the apply: --status says
#      intact=false ("edited since"), the undo keeps the edit and takes out
#      only cgisetup's lines;
#   5. an undo whose verification cannot pass: the admin serves the same
#      URL with CGI from a config of their own (and edited hello.py, so the
#      undo keeps it): the undo exits 1, is rolled back (files as before the
#      undo, still listed by --status), and CGI must still work; it says
#      what to do next ('--undo ID --no-verify'), which then works;
#   6. the reload is a no-op (a unit drop-in ExecReload=/bin/true), so the
#      undo's graceful reload never reads the new configuration: the undo
#      must notice and fall back to a full restart.
. "$(dirname "$0")/common.sh"
sys_require

site=http://127.0.0.1/
url=http://127.0.0.1/cgi/hello.py
url2=http://127.0.0.1/cgi2/hello.py
cgibin=http://127.0.0.1/cgi-bin/

# Apache logs "... configured -- resuming normal operations" at every
# start, restart and graceful reload, under any MPM (AH00489 under event,
# AH00163 under prefork).
c_loads() {
	in_c "$1" grep -c "resuming normal operations" /var/log/apache2/error.log || true
}

# jpy FILE EXPR: a Python expression over the JSON document d in FILE.
jpy() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(str(v).lower() if isinstance(v, bool) else v)' "$1" "$2" 2>/dev/null
}

no_cgid_links() {
	in_c "$1" test ! -e /etc/apache2/mods-enabled/cgid.load -a ! -L /etc/apache2/mods-enabled/cgid.load \
		-a ! -e /etc/apache2/mods-enabled/cgid.conf -a ! -L /etc/apache2/mods-enabled/cgid.conf
}

# ---- 1. --undo with nothing applied ----
sys_start c none
etc0=$(c_snapshot "$c" /etc/apache2)
srv0=$(c_snapshot "$c" /srv)
lib0=$(c_snapshot "$c" /var/lib/cgisetup)
mt0=$(c_mtimes "$c" /etc/apache2)
loads0=$(c_loads "$c")
inv0=$(c_unit "$c" InvocationID)
cgs "$c" --undo >"$TMPD/1.out" 2>&1
is_rc "1 nothing applied: exit 0" 0 $? "$TMPD/1.out"
ok "1 nothing applied: says there is nothing to undo" grep -q "nothing to undo" "$TMPD/1.out"
cgs "$c" --undo --json >"$TMPD/1.json" 2>"$TMPD/1.err"
is_rc "1 nothing applied (--json): exit 0" 0 $? "$TMPD/1.json" "$TMPD/1.err"
is "1 nothing applied (--json): status" nothing-to-undo "$(jget status "$TMPD/1.json")"
is "1 nothing applied (--json): changed" false "$(jget changed "$TMPD/1.json")"
is "1 nothing applied: /etc/apache2 untouched" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "1 nothing applied: no mtime changed" "$mt0" "$(c_mtimes "$c" /etc/apache2)"
is "1 nothing applied: /srv untouched" "$srv0" "$(c_snapshot "$c" /srv)"
is "1 nothing applied: the journal directory untouched" "$lib0" "$(c_snapshot "$c" /var/lib/cgisetup)"
is "1 nothing applied: Apache not even reloaded" "$loads0" "$(c_loads "$c")"
is "1 nothing applied: same InvocationID" "$inv0" "$(c_unit "$c" InvocationID)"
cgs "$c" --status --json >"$TMPD/1s.json" 2>"$TMPD/1s.err"
is_rc "1 --status --json: exit 0" 0 $? "$TMPD/1s.json" "$TMPD/1s.err"
is "1 --status --json: nothing applied" 0 "$(jpy "$TMPD/1s.json" 'len(d["applied"])')"
"$RIG" stop "$c" >/dev/null 2>&1

# ---- 2. apply -> status -> undo ----
sys_start c single
body0=$(c_body "$c" "$site" | sha256sum)
is "2 before: the default site answers 200" 200 "$(c_code "$c" "$site")"
is "2 before: the script's URL is not served" 404 "$(c_code "$c" "$url")"
is "2 before: /cgi-bin/ is not mapped (no CGI module running)" 404 "$(c_code "$c" "$cgibin")"
etc0=$(c_snapshot "$c" /etc/apache2)
srv0=$(c_snapshot "$c" /srv)
inv0=$(c_unit "$c" InvocationID)
pid0=$(c_unit "$c" MainPID)
loads0=$(c_loads "$c")

cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/2a.json" 2>"$TMPD/2a.err"
is_rc "2 apply: exit 0" 0 $? "$TMPD/2a.json" "$TMPD/2a.err"
ok "2 apply: the script runs" contains "$(c_body "$c" "$url")" "$PROOF"
is "2 apply: /cgi-bin/ is mapped now (a CGI module runs)" 403 "$(c_code "$c" "$cgibin")"
loads1=$(c_loads "$c")
napply=$(jlist restart.path "$TMPD/2a.json" | grep -c .)
is "2 apply: Apache re-read its config once per job of restart.path" $((loads0 + napply)) "$loads1"

cgs "$c" --status --json >"$TMPD/2s.json" 2>"$TMPD/2s.err"
is_rc "2 --status --json: exit 0" 0 $? "$TMPD/2s.json" "$TMPD/2s.err"
is "2 --status: one change applied" 1 "$(jpy "$TMPD/2s.json" 'len(d["applied"])')"
is "2 --status: its dir" /srv/cgi "$(jpy "$TMPD/2s.json" 'd["applied"][0]["dir"]')"
is "2 --status: its url_path" /cgi "$(jpy "$TMPD/2s.json" 'd["applied"][0]["url_path"]')"
is "2 --status: the module it enabled" cgid "$(jpy "$TMPD/2s.json" 'd["applied"][0]["module_enabled"]')"
is "2 --status: intact" true "$(jpy "$TMPD/2s.json" 'd["applied"][0]["intact"]')"
ok "2 --status: it has a time" test -n "$(jpy "$TMPD/2s.json" 'd["applied"][0]["time"]')"
is "2 --status: the files it touched" \
	"/etc/apache2/apache2.conf /etc/apache2/mods-enabled/cgid.conf /etc/apache2/mods-enabled/cgid.load /srv/cgi /srv/cgi/hello.py" \
	"$(jpy "$TMPD/2s.json" '" ".join(sorted(d["applied"][0]["files"]))')"
cgs "$c" --status >"$TMPD/2s.out" 2>&1
is_rc "2 --status: exit 0" 0 $? "$TMPD/2s.out"
ok "2 --status: human line says intact and what --undo takes back" \
	grep -q "/srv/cgi at /cgi/  (intact)  <- --undo takes this back" "$TMPD/2s.out"

cgs "$c" --undo --json >"$TMPD/2u.json" 2>"$TMPD/2u.err"
is_rc "2 undo: exit 0" 0 $? "$TMPD/2u.json" "$TMPD/2u.err"
is "2 undo: status" undone "$(jget status "$TMPD/2u.json")"
is "2 undo: changed" true "$(jget changed "$TMPD/2u.json")"
is "2 undo: dir" /srv/cgi "$(jget dir "$TMPD/2u.json")"
is "2 undo: url_path" /cgi "$(jget url_path "$TMPD/2u.json")"
is "2 undo: a graceful reload through systemd" "ReloadOrRestartUnit apache2.service" \
	"$(jget restart.how "$TMPD/2u.json")"
ok "2 undo: the check fetched a probe of its own, not hello.py" \
	has "^${url%/hello.py}/cgisetup-probe-[0-9a-f]\{16\}\\.py$" <(jget verify.url "$TMPD/2u.json")
is "2 undo: verify_status" 404 "$(jget verify.status "$TMPD/2u.json")"
is "2 undo: verify_verdict" not-found "$(jget verify.verdict "$TMPD/2u.json")"
is "2 undo: no warning" "" "$(jlist warnings "$TMPD/2u.json")"

is "2 after: the script's URL answers 404 (curl)" 404 "$(c_code "$c" "$url")"
ok "2 after: no proof in the answer" not contains "$(c_body "$c" "$url")" "$PROOF"
is "2 after: the default site answers 200" 200 "$(c_code "$c" "$site")"
is "2 after: the same page as before the apply" "$body0" "$(c_body "$c" "$site" | sha256sum)"
is "2 after: /etc/apache2 byte-identical to before the apply" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "2 after: /srv byte-identical to before the apply" "$srv0" "$(c_snapshot "$c" /srv)"
ok "2 after: /srv/cgi is gone" in_c "$c" test ! -e /srv/cgi
ok "2 after: no cgid link in mods-enabled" no_cgid_links "$c"
is "2 after: the running server has no CGI module (/cgi-bin/ unmapped)" 404 "$(c_code "$c" "$cgibin")"
ok "2 after: apache2ctl -M has no cgid" not contains "$(in_c "$c" apache2ctl -M 2>/dev/null)" cgid_module
is "2 after: apache2 is active" active "$(in_c "$c" systemctl is-active apache2)"
is "2 apply+undo: the unit never stopped (same InvocationID)" "$inv0" "$(c_unit "$c" InvocationID)"
is "2 apply+undo: the same main process (MainPID)" "$pid0" "$(c_unit "$c" MainPID)"
loads2=$(c_loads "$c")
ok "2 undo: Apache re-read its config gracefully ($loads1 -> $loads2 loads)" test "$loads2" -gt "$loads1"
cgs "$c" --status --json >"$TMPD/2s2.json" 2>&1
is "2 after: --status lists nothing" 0 "$(jpy "$TMPD/2s2.json" 'len(d["applied"])')"

cgs "$c" --undo >"$TMPD/2u2.out" 2>&1
is_rc "2 second undo: exit 0" 0 $? "$TMPD/2u2.out"
ok "2 second undo: nothing to undo" grep -q "nothing to undo" "$TMPD/2u2.out"
is "2 second undo: /etc/apache2 still as before the apply" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "2 second undo: no reload" "$loads2" "$(c_loads "$c")"
"$RIG" stop "$c" >/dev/null 2>&1

# ---- 3. two applies, two undos ----
sys_start c twice
body0=$(c_body "$c" "$site" | sha256sum)
etc0=$(c_snapshot "$c" /etc/apache2)
srv0=$(c_snapshot "$c" /srv)
inv0=$(c_unit "$c" InvocationID)
pid0=$(c_unit "$c" MainPID)
cgs "$c" --dir /srv/cgi --yes >"$TMPD/3a.out" 2>&1
is_rc "3 apply /srv/cgi: exit 0" 0 $? "$TMPD/3a.out"
etc1=$(c_snapshot "$c" /etc/apache2)
srv1=$(c_snapshot "$c" /srv/cgi)
cgs "$c" --dir /srv/cgi2 --yes >"$TMPD/3b.out" 2>&1
is_rc "3 apply /srv/cgi2: exit 0" 0 $? "$TMPD/3b.out"
ok "3 both scripts run: /cgi" contains "$(c_body "$c" "$url")" "$PROOF"
ok "3 both scripts run: /cgi2" contains "$(c_body "$c" "$url2")" "$PROOF"
cgs "$c" --status --json >"$TMPD/3s.json" 2>&1
is "3 --status: two changes, oldest first" "/srv/cgi /srv/cgi2" \
	"$(jpy "$TMPD/3s.json" '" ".join(a["dir"] for a in d["applied"])')"
is "3 --status: only the first enabled a module" "cgid|" \
	"$(jpy "$TMPD/3s.json" '"|".join(a["module_enabled"] or "" for a in d["applied"])')"
# (the first one shows intact=false here: the second apply edited the
# apache2.conf it left; only the last one is asserted)
echo "# 3 --status: intact flags: $(jpy "$TMPD/3s.json" '" ".join(str(a["intact"]).lower() for a in d["applied"])')"
is "3 --status: the last change is intact" true "$(jpy "$TMPD/3s.json" 'd["applied"][1]["intact"]')"

cgs "$c" --undo --json >"$TMPD/3u1.json" 2>"$TMPD/3u1.err"
is_rc "3 first undo: exit 0" 0 $? "$TMPD/3u1.json" "$TMPD/3u1.err"
is "3 first undo: takes back the last apply (/srv/cgi2)" /srv/cgi2 "$(jget dir "$TMPD/3u1.json")"
is "3 first undo: /cgi2 answers 404" 404 "$(c_code "$c" "$url2")"
ok "3 first undo: /cgi still runs the script" contains "$(c_body "$c" "$url")" "$PROOF"
ok "3 first undo: mod_cgid stays (the first change enabled it)" \
	in_c "$c" test -L /etc/apache2/mods-enabled/cgid.load
is "3 first undo: /etc/apache2 as after the first apply" "$etc1" "$(c_snapshot "$c" /etc/apache2)"
is "3 first undo: /srv/cgi as after the first apply" "$srv1" "$(c_snapshot "$c" /srv/cgi)"
ok "3 first undo: /srv/cgi2 is gone" in_c "$c" test ! -e /srv/cgi2
cgs "$c" --undo --json >"$TMPD/3u2.json" 2>"$TMPD/3u2.err"
is_rc "3 second undo: exit 0" 0 $? "$TMPD/3u2.json" "$TMPD/3u2.err"
is "3 second undo: takes back /srv/cgi" /srv/cgi "$(jget dir "$TMPD/3u2.json")"
is "3 second undo: /cgi answers 404" 404 "$(c_code "$c" "$url")"
is "3 end: /etc/apache2 byte-identical to the original" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "3 end: /srv byte-identical to the original" "$srv0" "$(c_snapshot "$c" /srv)"
ok "3 end: no cgid link" no_cgid_links "$c"
is "3 end: the running server has no CGI module" 404 "$(c_code "$c" "$cgibin")"
is "3 end: the same page as before" "$body0" "$(c_body "$c" "$site" | sha256sum)"
is "3 end: same InvocationID through 2 applies and 2 undos" "$inv0" "$(c_unit "$c" InvocationID)"
is "3 end: same MainPID" "$pid0" "$(c_unit "$c" MainPID)"
cgs "$c" --undo --json >"$TMPD/3u3.json" 2>&1
is_rc "3 third undo: exit 0" 0 $? "$TMPD/3u3.json"
is "3 third undo: nothing to undo" nothing-to-undo "$(jget status "$TMPD/3u3.json")"
"$RIG" stop "$c" >/dev/null 2>&1

# ---- 4. an unrelated edit: intact=false, kept by the undo ----
sys_start c edited
in_c "$c" cp /etc/apache2/apache2.conf /tmp/apache2.conf.orig
cgs "$c" --dir /srv/cgi --yes >"$TMPD/4a.out" 2>&1
is_rc "4 apply: exit 0" 0 $? "$TMPD/4a.out"
cgs "$c" --status --json >"$TMPD/4s1.json" 2>&1
is "4 --status before the edit: intact" true "$(jpy "$TMPD/4s1.json" 'd["applied"][0]["intact"]')"
in_c "$c" bash -c 'echo "# the admin was here: ServerTokens Prod" >>/etc/apache2/apache2.conf'
cgs "$c" --status --json >"$TMPD/4s2.json" 2>"$TMPD/4s2.err"
is_rc "4 --status --json after the edit: exit 0" 0 $? "$TMPD/4s2.json" "$TMPD/4s2.err"
is "4 --status after the edit: still listed" /srv/cgi "$(jpy "$TMPD/4s2.json" 'd["applied"][0]["dir"]')"
is "4 --status after the edit: intact=false" false "$(jpy "$TMPD/4s2.json" 'd["applied"][0]["intact"]')"
cgs "$c" --status >"$TMPD/4s2.out" 2>&1
ok "4 --status (human) after the edit: edited since" grep -q "(edited since)" "$TMPD/4s2.out"
cgs "$c" --undo >"$TMPD/4u.out" 2>&1
is_rc "4 undo: exit 0" 0 $? "$TMPD/4u.out"
is "4 undo: apache2.conf is the original plus the admin's line" \
	"$(in_c "$c" bash -c 'cat /tmp/apache2.conf.orig; echo "# the admin was here: ServerTokens Prod"' | sha256sum)" \
	"$(in_c "$c" cat /etc/apache2/apache2.conf | sha256sum)"
is "4 undo: the URL answers 404" 404 "$(c_code "$c" "$url")"
is "4 undo: the default site answers 200" 200 "$(c_code "$c" "$site")"
"$RIG" stop "$c" >/dev/null 2>&1

# ---- 5. an undo whose verification cannot pass ----
# The admin, after the apply, serves the same URL with CGI from a file of
# their own (loading mod_cgi whenever mod_cgid is not loaded) and edited
# hello.py (so the undo keeps it). Taking back cgisetup's change leaves the
# script running: the undo must fail and put everything back.
sys_start c undofail
cgs "$c" --dir /srv/cgi --yes >"$TMPD/5a.out" 2>&1
is_rc "5 apply: exit 0" 0 $? "$TMPD/5a.out"
in_c "$c" bash -c 'echo "# edited by the admin" >>/srv/cgi/hello.py
cat >/etc/apache2/conf-enabled/admin-cgi.conf <<EOF
<IfModule !mod_cgid.c>
    LoadModule cgi_module /usr/lib/apache2/modules/mod_cgi.so
</IfModule>
Alias /cgi/ /srv/cgi/
<Directory /srv/cgi>
    Options +ExecCGI
    AddHandler cgi-script .py
    Require all granted
</Directory>
EOF
systemctl reload apache2'
ok "5 the admin's config passes the config test" in_c "$c" apache2ctl -t
sleep 0.5
ok "5 before the undo: the script runs" contains "$(c_body "$c" "$url")" "$PROOF"
etc1=$(c_snapshot "$c" /etc/apache2)
srv1=$(c_snapshot "$c" /srv)
cgs "$c" --undo --json >"$TMPD/5u.json" 2>"$TMPD/5u.err"
is_rc "5 undo: exit 1" 1 $? "$TMPD/5u.json" "$TMPD/5u.err"
is "5 undo: status" failed "$(jget status "$TMPD/5u.json")"
is "5 undo: changed" false "$(jget changed "$TMPD/5u.json")"
ok "5 undo: the error names the URL that still runs the script" \
	contains "$(jget error "$TMPD/5u.json")" "still runs the script after the undo"
is "5 undo: the check saw the script run" ran "$(jget verify.verdict "$TMPD/5u.json")"
is "5 rolled back: /etc/apache2 byte-identical to before the undo" "$etc1" "$(c_snapshot "$c" /etc/apache2)"
is "5 rolled back: /srv byte-identical to before the undo" "$srv1" "$(c_snapshot "$c" /srv)"
ok "5 rolled back: cgid is linked again" in_c "$c" test -L /etc/apache2/mods-enabled/cgid.load
cgs "$c" --status --json >"$TMPD/5s.json" 2>&1
is "5 rolled back: --status still lists the change" /srv/cgi "$(jpy "$TMPD/5s.json" 'd["applied"][0]["dir"]')"
is "5 rolled back: apache2 is active" active "$(in_c "$c" systemctl is-active apache2)"
is "5 rolled back: the default site answers 200" 200 "$(c_code "$c" "$site")"
sleep 1
code=$(c_code "$c" "$url")
is "5 rolled back: the script runs again (the running Apache is on the restored config)" 200 "$code"
cgs "$c" --undo >"$TMPD/5u2.out" 2>&1
is_rc "5 human undo: exit 1" 1 $? "$TMPD/5u2.out"
ok "5 human undo: says the undo was rolled back" grep -q "the undo was rolled back" "$TMPD/5u2.out"
ok "5 human undo: says what to do next, --no-verify included" grep -q \
	"what to do: the files and Apache are as before the undo. If scripts should keep running there (a mapping of your own serves the directory), 'cgisetup --undo 1 --no-verify' undoes it without this check" \
	"$TMPD/5u2.out"
cgs "$c" --undo 1 --no-verify >"$TMPD/5u3.out" 2>&1
is_rc "5 --undo 1 --no-verify, as told: exit 0" 0 $? "$TMPD/5u3.out"
is "5 --no-verify: nothing left to undo" "" "$(cgs "$c" --status --json | jpy /dev/stdin 'd["applied"] and d["applied"][0]["dir"] or ""')"
ok "5 --no-verify: the admin's own mapping still runs the script" \
	contains "$(c_body "$c" "$url")" "$PROOF"
"$RIG" stop "$c" >/dev/null 2>&1

# ---- 6. the graceful reload is a no-op ----
# ExecReload=/bin/true: systemd's reload job succeeds but Apache never
# reads the new files. (a) hello.py was edited (kept by the undo) so the
# check sees the script still running and falls back to a full restart;
# (b) the admin's own script in DIR: it must not run after a "verified"
# undo either.
set_noop_reload() {
	in_c "$1" bash -c 'mkdir -p /etc/systemd/system/apache2.service.d &&
		printf "[Service]\nExecReload=\nExecReload=/bin/true\n" \
			>/etc/systemd/system/apache2.service.d/50-cgisetup-test-noop.conf &&
		systemctl daemon-reload'
	ok "$2: ExecReload is /bin/true" contains "$(c_unit "$1" ExecReload)" "path=/bin/true"
}

sys_start c noopa
cgs "$c" --dir /srv/cgi --yes >"$TMPD/6a.out" 2>&1
is_rc "6a apply: exit 0" 0 $? "$TMPD/6a.out"
in_c "$c" bash -c 'echo "# edited" >>/srv/cgi/hello.py'
set_noop_reload "$c" 6a
inv1=$(c_unit "$c" InvocationID)
cgs "$c" --undo --json >"$TMPD/6a.json" 2>"$TMPD/6a.err"
is_rc "6a undo: exit 0" 0 $? "$TMPD/6a.json" "$TMPD/6a.err"
is "6a undo: fell back to a full restart" "RestartUnit apache2.service" "$(jget restart.how "$TMPD/6a.json")"
is "6a undo: verify_status" 404 "$(jget verify.status "$TMPD/6a.json")"
ok "6a undo: warns that the edited hello.py was kept" \
	contains "$(jlist warnings "$TMPD/6a.json")" "kept '/srv/cgi/hello.py'"
inv2=$(c_unit "$c" InvocationID)
ok "6a undo: a new InvocationID (a real restart)" test -n "$inv2" -a "$inv2" != "$inv1"
is "6a undo: the URL answers 404" 404 "$(c_code "$c" "$url")"
is "6a undo: the running server has no CGI module" 404 "$(c_code "$c" "$cgibin")"
"$RIG" stop "$c" >/dev/null 2>&1

sys_start c noopb
cgs "$c" --dir /srv/cgi --yes >"$TMPD/6b.out" 2>&1
is_rc "6b apply: exit 0" 0 $? "$TMPD/6b.out"
in_c "$c" bash -c 'sed "s/hello/mine/" /srv/cgi/hello.py >/srv/cgi/mine.py && chmod 0755 /srv/cgi/mine.py'
ok "6b the admin's script runs" contains "$(c_body "$c" http://127.0.0.1/cgi/mine.py)" "$PROOF"
set_noop_reload "$c" 6b
cgs "$c" --undo --json >"$TMPD/6b.json" 2>"$TMPD/6b.err"
rc=$?
ok "6b undo: exit 0 or 1 (not a crash: $rc)" test "$rc" -le 1
ok "6b undo: keeps the non-empty /srv/cgi" in_c "$c" test -x /srv/cgi/mine.py
if [ "$rc" = 0 ]; then
	# An undo that says "undone" must leave a running server without CGI.
	is "6b undone: the admin's script no longer runs in the running Apache" no \
		"$(c_body "$c" http://127.0.0.1/cgi/mine.py | grep -q "$PROOF" && echo yes || echo no)"
else
	is "6b undo failed: it was rolled back (still listed)" /srv/cgi \
		"$(cgs "$c" --status --json | jpy /dev/stdin 'd["applied"][0]["dir"]')"
fi
done_testing
