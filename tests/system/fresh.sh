#!/bin/bash
# fresh.sh - a fresh Debian apache2 under a real systemd. The first
# `cgisetup --dir /srv/cgi --yes` activates the change over D-Bus without
# downtime (graceful reloads only: mod_cgid's daemon needs a second one),
# Apache re-reads its config exactly once per job the JSON lists, and an
# independent curl gets the script's output. The second run says "already
# configured", neither restarts nor reloads (InvocationID, MainPID and the
# count of config loads unchanged) and touches no file (bytes and mtimes).
# With --restart: a full RestartUnit and a new InvocationID.
. "$(dirname "$0")/common.sh"
sys_require
sys_start c fresh

url=http://127.0.0.1/cgi/hello.py
inv0=$(c_unit "$c" InvocationID)
pid0=$(c_unit "$c" MainPID)
gen0=$(c_generations "$c")
ok "apache2.service has an InvocationID before the run" test -n "$inv0"

# ---- first run ----
cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/1.json" 2>"$TMPD/1.err"
is_rc "first run: exit 0" 0 $? "$TMPD/1.json" "$TMPD/1.err"
is "first run: status" applied "$(jget status "$TMPD/1.json")"
is "first run: changed" true "$(jget changed "$TMPD/1.json")"
is "first run: url_path" /cgi "$(jget url_path "$TMPD/1.json")"
is "first run: restart.via_systemd" true "$(jget restart.via_systemd "$TMPD/1.json")"
is "first run: restart.unit" apache2.service "$(jget restart.unit "$TMPD/1.json")"
is "first run: restart.was_running" true "$(jget restart.was_running "$TMPD/1.json")"
path=$(jlist restart.path "$TMPD/1.json")
n=$(grep -c . <<<"$path")
echo "# restart.path: $(echo $path); reason: $(jget restart.reason "$TMPD/1.json")"
ok "first run: restart.path lists the jobs run" test "$n" -ge 1
job=$(jget restart.job "$TMPD/1.json")
is "first run: restart.job is the last job of restart.path" "$(tail -n 1 <<<"$path")" "$job"
is "first run: restart.how is that job's D-Bus call" "$(unit_method "$job") apache2.service" \
	"$(jget restart.how "$TMPD/1.json")"
is "first run: Apache re-read its config once per job" $((gen0 + n)) "$(c_generations "$c")"
is "first run: zero downtime (no full restart in restart.path)" "" "$(grep -x restart <<<"$path")"
is "first run: invocation_id_before is systemd's before the run" "$inv0" \
	"$(jget restart.invocation_id_before "$TMPD/1.json")"
is "first run: the unit never stopped (same InvocationID)" "$inv0" "$(c_unit "$c" InvocationID)"
is "first run: invocation_id_after is systemd's now" "$(c_unit "$c" InvocationID)" \
	"$(jget restart.invocation_id_after "$TMPD/1.json")"
is "first run: the same main process (MainPID)" "$pid0" "$(c_unit "$c" MainPID)"
is "first run: main_pid_before" "$pid0" "$(jget restart.main_pid_before "$TMPD/1.json")"
is "first run: main_pid_after" "$(c_unit "$c" MainPID)" "$(jget restart.main_pid_after "$TMPD/1.json")"
ok "first run: verify.url is a probe beside hello.py, not hello.py" \
	has "^${url%/hello.py}/cgisetup-probe-[0-9a-f]\{16\}\\.py$" <(jget verify.url "$TMPD/1.json")
is "first run: verdict" proven "$(jget verdict "$TMPD/1.json")"
is "first run: no probe left in /srv/cgi" "" "$(in_c "$c" ls -A /srv/cgi | grep cgisetup-probe)"
is "first run: verify.status" 200 "$(jget verify.status "$TMPD/1.json")"
is "first run: verify.verdict" ran "$(jget verify.verdict "$TMPD/1.json")"
is "first run: apache2 is active" active "$(in_c "$c" systemctl is-active apache2)"

# Independent of cgisetup's own check: curl inside the container.
is "curl: HTTP 200" 200 "$(c_code "$c" "$url")"
ok "curl: text/html" contains "$(c_ctype "$c" "$url")" text/html
ok "curl: the body holds the proof only running the script gives" \
	contains "$(c_body "$c" "$url")" "$PROOF"
ok "mod_cgid enabled the a2enmod way" in_c "$c" test -L /etc/apache2/mods-enabled/cgid.load
ok "apache2ctl -M lists cgid" contains "$(in_c "$c" apache2ctl -M 2>/dev/null)" cgid_module

# ---- second run: already configured ----
inv1=$(c_unit "$c" InvocationID)
pid1=$(c_unit "$c" MainPID)
gen1=$(c_generations "$c")
etc1=$(c_snapshot "$c" /etc/apache2)
srv1=$(c_snapshot "$c" /srv/cgi)
mt1=$(c_mtimes "$c" /etc/apache2; c_mtimes "$c" /srv/cgi)
cgs "$c" --dir /srv/cgi --yes >"$TMPD/2.out" 2>&1
is_rc "second run: exit 0" 0 $? "$TMPD/2.out"
ok "second run: says already configured" grep -q "already configured" "$TMPD/2.out"
cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/3.json" 2>"$TMPD/3.err"
is_rc "third run (--json): exit 0" 0 $? "$TMPD/3.json" "$TMPD/3.err"
is "third run: status" unchanged "$(jget status "$TMPD/3.json")"
is "third run: changed" false "$(jget changed "$TMPD/3.json")"
is "third run: no restart job" "" "$(jget restart.job "$TMPD/3.json")"
is "re-runs: InvocationID unchanged" "$inv1" "$(c_unit "$c" InvocationID)"
is "re-runs: MainPID unchanged" "$pid1" "$(c_unit "$c" MainPID)"
is "re-runs: not even a graceful reload" "$gen1" "$(c_generations "$c")"
is "re-runs: /etc/apache2 byte-identical" "$etc1" "$(c_snapshot "$c" /etc/apache2)"
is "re-runs: /srv/cgi byte-identical" "$srv1" "$(c_snapshot "$c" /srv/cgi)"
is "re-runs: no mtime changed" "$mt1" "$(c_mtimes "$c" /etc/apache2; c_mtimes "$c" /srv/cgi)"
ok "re-runs: the script still runs" contains "$(c_body "$c" "$url")" "$PROOF"

# ---- --restart: a full restart on request ----
sys_start c2 fresh-restart
inv0=$(c_unit "$c2" InvocationID)
cgs "$c2" --dir /srv/cgi --yes --restart --json >"$TMPD/4.json" 2>"$TMPD/4.err"
is_rc "--restart: exit 0" 0 $? "$TMPD/4.json" "$TMPD/4.err"
is "--restart: restart.job" restart "$(jget restart.job "$TMPD/4.json")"
is "--restart: restart.how" "RestartUnit apache2.service" "$(jget restart.how "$TMPD/4.json")"
is "--restart: invocation_id_before" "$inv0" "$(jget restart.invocation_id_before "$TMPD/4.json")"
inv_a=$(jget restart.invocation_id_after "$TMPD/4.json")
ok "--restart: a new InvocationID" test -n "$inv_a" -a "$inv_a" != "$inv0"
is "--restart: invocation_id_after is systemd's" "$(c_unit "$c2" InvocationID)" "$inv_a"
ok "--restart: the script runs" contains "$(c_body "$c2" "$url")" "$PROOF"
done_testing
