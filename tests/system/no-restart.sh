#!/bin/bash
# no-restart.sh - `--no-restart`: the files are edited, Apache is neither
# restarted nor reloaded (same InvocationID and MainPID, the running server
# does not serve the script yet), and the output says what to run; running
# exactly that then makes the script run. A re-run before that says
# "configured, not active yet" (not "already configured"): the running
# server read its configuration before cgisetup wrote it; with --yes it
# activates it (config test, graceful path, HTTP check) and says so; after
# the admin's own restart a re-run is "already configured" again.
. "$(dirname "$0")/common.sh"
sys_require
sys_start c norestart

url=http://127.0.0.1/cgi/hello.py
inv0=$(c_unit "$c" InvocationID)
pid0=$(c_unit "$c" MainPID)

cgs "$c" --dir /srv/cgi --yes --no-restart >"$TMPD/1.out" 2>&1
is_rc "exit 0" 0 $? "$TMPD/1.out"
ok "the output says to run 'systemctl restart apache2'" \
	grep -qE "systemctl restart apache2(\.service)?'" "$TMPD/1.out"
is "InvocationID unchanged" "$inv0" "$(c_unit "$c" InvocationID)"
is "MainPID unchanged" "$pid0" "$(c_unit "$c" MainPID)"
ok "hello.py written" in_c "$c" test -x /srv/cgi/hello.py
ok "cgid.load enabled" in_c "$c" test -L /etc/apache2/mods-enabled/cgid.load
ok "cgid.conf enabled" in_c "$c" test -L /etc/apache2/mods-enabled/cgid.conf
conf=$(in_c "$c" cat /etc/apache2/apache2.conf)
ok "the Alias is in apache2.conf" contains "$conf" "Alias /cgi/ /srv/cgi/"
ok "the section is in apache2.conf" contains "$conf" "<Directory /srv/cgi>"
ok "apache2ctl -t accepts the edit" in_c "$c" apache2ctl -t
is "the running Apache does not serve the script yet" 404 "$(c_code "$c" "$url")"

cgs "$c" --dir /srv/cgi --yes --no-restart >"$TMPD/1r.out" 2>&1
is_rc "--no-restart re-run: exit 0" 0 $? "$TMPD/1r.out"
ok "--no-restart re-run: configured, not active yet (not 'already configured')" grep -q \
	"configured, not active yet: the running Apache has not loaded what cgisetup wrote for '/srv/cgi'; activate it with 'systemctl restart apache2.service' (or 'cgisetup --dir /srv/cgi --yes'" \
	"$TMPD/1r.out"
ok "--no-restart re-run: not 'already configured'" not grep -q "already configured" "$TMPD/1r.out"
cgs "$c" --dir /srv/cgi --yes --no-restart --json >"$TMPD/2.json" 2>"$TMPD/2.err"
is_rc "--json re-run: exit 0" 0 $? "$TMPD/2.json" "$TMPD/2.err"
is "--json re-run: status" unchanged "$(jget status "$TMPD/2.json")"
is "--json re-run: loaded false" false "$(jget loaded "$TMPD/2.json")"
is "--json re-run: no restart" "" "$(jget restart.job "$TMPD/2.json")"
is "still the same InvocationID" "$inv0" "$(c_unit "$c" InvocationID)"

# Run what the output told us to run, as it says it.
cmd=$(sed -n "s/.*activate it with '\([^']*\)'.*/\1/p" "$TMPD/1.out" | head -n 1)
ok "the command to run is quoted in the output ('$cmd')" test -n "$cmd"
read -ra argv <<<"$cmd"
ok "running '$cmd' succeeds" in_c "$c" "${argv[@]}"
ok "then the script runs" contains "$(c_body "$c" "$url")" "$PROOF"
cgs "$c" --dir /srv/cgi --yes >"$TMPD/3.out" 2>&1
gen3=$(c_generations "$c")
is_rc "after the admin's restart, a re-run: exit 0" 0 $? "$TMPD/3.out"
ok "after the admin's restart: already configured" grep -q "already configured" "$TMPD/3.out"
ok "after the admin's restart: not 'not active yet'" not grep -q "not active yet" "$TMPD/3.out"
# an admin's own edit, not loaded yet, after an apply that was activated:
# not cgisetup's to activate
in_c "$c" bash -c 'echo "# the admin was here" >>/etc/apache2/apache2.conf'
cgs "$c" --dir /srv/cgi --yes >"$TMPD/3b.out" 2>&1
is_rc "an admin's later edit: exit 0" 0 $? "$TMPD/3b.out"
ok "an admin's later edit: still 'already configured'" grep -q "already configured" "$TMPD/3b.out"
is "an admin's later edit: no reload (same InvocationID, no new generation)" \
	"$(c_unit "$c" InvocationID) $gen3" "$(c_unit "$c" InvocationID) $(c_generations "$c")"

# ---- --no-verify: the same graceful path, and the output says nothing proved it ----
sys_start c4 noverify
inv4=$(c_unit "$c4" InvocationID)
cgs "$c4" --dir /srv/cgi --yes --no-verify >"$TMPD/nv.out" 2>&1
is_rc "--no-verify: exit 0" 0 $? "$TMPD/nv.out"
ok "--no-verify: the graceful path, as README and man say (two passes for mod_cgid)" grep -q \
	"cgisetup: Apache: reload, then reload (systemd, apache2.service): graceful, no connection dropped" \
	"$TMPD/nv.out"
ok "--no-verify: says nothing proved it" grep -q \
	"cgisetup: --no-verify: Apache was brought onto the change as usual, but nothing proved over HTTP that a script runs" \
	"$TMPD/nv.out"
ok "--no-verify: no 'verified'" not grep -q "verified:" "$TMPD/nv.out"
is "--no-verify: same InvocationID (no full restart)" "$inv4" "$(c_unit "$c4" InvocationID)"
ok "--no-verify: the script runs" contains "$(c_body "$c4" "$url")" "$PROOF"

# ---- --no-restart, then a re-run with --yes activates it ----
sys_start c2 norestart-yes
inv0=$(c_unit "$c2" InvocationID)
cgs "$c2" --dir /srv/cgi --yes --no-restart >/dev/null 2>&1
is "yes: the running Apache does not serve the script yet" 404 "$(c_code "$c2" "$url")"
etc0=$(c_snapshot "$c2" /etc/apache2; c_snapshot "$c2" /srv/cgi)
gen0=$(c_generations "$c2")
cgs "$c2" --dir /srv/cgi --yes >"$TMPD/4.out" 2>&1
is_rc "yes re-run: exit 0" 0 $? "$TMPD/4.out"
ok "yes re-run: says configured, not active yet, and that it activated it" grep -q \
	"configured, not active yet: the running Apache had not loaded what cgisetup wrote for '/srv/cgi'; activated it now (no file changed)" \
	"$TMPD/4.out"
ok "yes re-run: says how (graceful)" grep -q "cgisetup: Apache: reload, then reload (systemd, apache2.service): graceful, no connection dropped" "$TMPD/4.out"
ok "yes re-run: verified by the probe" grep -q "cgisetup: verified: a probe script ran" "$TMPD/4.out"
ok "yes re-run: the script runs" contains "$(c_body "$c2" "$url")" "$PROOF"
is "yes re-run: same InvocationID (graceful, no restart)" "$inv0" "$(c_unit "$c2" InvocationID)"
ok "yes re-run: Apache read its configuration again" test "$(c_generations "$c2")" -gt "$gen0"
is "yes re-run: no file changed, no probe left" "$etc0" \
	"$(c_snapshot "$c2" /etc/apache2; c_snapshot "$c2" /srv/cgi)"
is "yes re-run: no journal entry added (one apply)" 1 \
	"$(in_c "$c2" bash -c 'ls /var/lib/cgisetup/entries | wc -l')"
cgs "$c2" --dir /srv/cgi --yes --json >"$TMPD/5.json" 2>"$TMPD/5.err"
is_rc "then --json: exit 0" 0 $? "$TMPD/5.json" "$TMPD/5.err"
is "then --json: unchanged (loaded now)" unchanged "$(jget status "$TMPD/5.json")"
is "then --json: no 'loaded' (nothing pending)" "" "$(jget loaded "$TMPD/5.json")"

# the same with --json
sys_start c3 norestart-json
cgs "$c3" --dir /srv/cgi --yes --no-restart >/dev/null 2>&1
cgs "$c3" --dir /srv/cgi --yes --json >"$TMPD/6.json" 2>"$TMPD/6.err"
is_rc "json activation: exit 0" 0 $? "$TMPD/6.json" "$TMPD/6.err"
is "json activation: status" activated "$(jget status "$TMPD/6.json")"
is "json activation: changed" false "$(jget changed "$TMPD/6.json")"
is "json activation: loaded" true "$(jget loaded "$TMPD/6.json")"
is "json activation: verify.verdict" ran "$(jget verify.verdict "$TMPD/6.json")"
ok "json activation: the script runs" contains "$(c_body "$c3" "$url")" "$PROOF"
done_testing
