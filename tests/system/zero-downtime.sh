#!/bin/bash
# zero-downtime.sh - issue 5 on the real-systemd rig: cgisetup activates
# a change without stopping Apache, each case in a fresh container:
#   1. mpm_event: mod_cgid is newly loaded, so two graceful reloads
#      (restart.path ["reload","reload"]); the script runs; the unit's
#      InvocationID and Apache's MainPID are unchanged; Apache read its
#      config exactly twice; ab hammering the default page across the
#      apply (and across the undo) sees no failed and no non-2xx request;
#   2. mpm_prefork (switched before the before-state is taken): mod_cgi,
#      one graceful reload is enough (["reload"]), same PIDs, no failure
#      under load;
#   3. --restart: a full RestartUnit (["restart"]), a new InvocationID and
#      MainPID; --undo --restart likewise;
#   4. the graceful path cannot work: a unit drop-in makes the reload a
#      no-op (ExecReload=/bin/true), so Apache never reads the new files;
#      cgisetup falls back to one full restart (path ends in "restart"),
#      the script runs, the InvocationID changed; under event and prefork.
. "$(dirname "$0")/common.sh"
sys_require

site=http://127.0.0.1/
url=http://127.0.0.1/cgi/hello.py

c_loads() {  # config loads (start, restart, graceful) under any MPM
	in_c "$1" grep -c "resuming normal operations" /var/log/apache2/error.log || true
}

c_mpm() {
	in_c "$1" apache2ctl -V 2>/dev/null | sed -n 's/^Server MPM: *//p'
}

path_of() {  # restart.path of a JSON result, space-separated
	jlist restart.path "$1" | xargs
}

# under_load C OUT ARG...: run cgisetup ARG... --json inside C while ab
# hammers the default page (4 workers, from 1 s before the run until 4 s
# after it started). Writes OUT.json, OUT.err, OUT.ab; OUT.span says
# whether ab was still running when cgisetup returned; returns
# cgisetup's exit status.
under_load() {
	local c=$1 out=$2
	shift 2
	in_c "$c" bash -c '
		ab -r -t 5 -n 10000000 -c 4 http://127.0.0.1/ >/tmp/zd.ab 2>&1 &
		ab=$!
		sleep 1
		"$@" --json >/tmp/zd.json 2>/tmp/zd.err
		rc=$?
		if kill -0 $ab 2>/dev/null; then echo yes; else echo no; fi >/tmp/zd.span
		wait $ab
		exit $rc' _ "$IN_CGISETUP" "$@" </dev/null
	local rc=$?
	in_c "$c" cat /tmp/zd.json >"$out.json"
	in_c "$c" cat /tmp/zd.err >"$out.err"
	in_c "$c" cat /tmp/zd.ab >"$out.ab"
	in_c "$c" cat /tmp/zd.span >"$out.span"
	return $rc
}

# load_ok LABEL OUT: the ab run of under_load lost nothing.
load_ok() {
	local complete failed non2xx
	complete=$(sed -n 's/^Complete requests: *//p' "$2.ab")
	failed=$(sed -n 's/^Failed requests: *//p' "$2.ab")
	non2xx=$(sed -n 's/^Non-2xx responses: *//p' "$2.ab")
	echo "# $1: ab: ${complete:-?} requests, ${failed:-?} failed, ${non2xx:-0} non-2xx"
	is "$1: ab ran across the whole change" yes "$(cat "$2.span")"
	ok "$1: ab completed requests" test "${complete:-0}" -gt 0
	is "$1: no failed request under load" 0 "${failed:-?}"
	is "$1: no non-2xx answer under load" 0 "${non2xx:-0}"
	if [ "${failed:-?}" != 0 ]; then
		grep -A1 "^Failed requests" "$2.ab" | sed 's/^/# | /'
	fi
}

# apply_run C OUT ARG...: the run, always under load.
apply_run() {
	under_load "$@"
}

# ---- 1. mpm_event ----
sys_start c event
# apache2 depends on apache2-utils: the rig image always has ab, and
# without it there would be no load to prove zero downtime under.
ok "1: the rig image has ab (apache2-utils)" in_c "$c" test -x /usr/bin/ab
is "1: the rig runs mpm_event" event "$(c_mpm "$c")"
inv0=$(c_unit "$c" InvocationID)
pid0=$(c_unit "$c" MainPID)
loads0=$(c_loads "$c")
apply_run "$c" "$TMPD/1" --dir /srv/cgi --yes
is_rc "1 event: exit 0" 0 $? "$TMPD/1.json" "$TMPD/1.err"
is "1 event: status" applied "$(jget status "$TMPD/1.json")"
is "1 event: the module wanted is cgid" cgid "$(jget layout.cgi_module_wanted "$TMPD/1.json")"
is "1 event: restart.path is two graceful reloads" "reload reload" "$(path_of "$TMPD/1.json")"
ok "1 event: restart.reason names mod_cgid's second pass" \
	contains "$(jget restart.reason "$TMPD/1.json")" "mod_cgid"
is "1 event: restart.job" reload "$(jget restart.job "$TMPD/1.json")"
is "1 event: restart.how" "ReloadOrRestartUnit apache2.service" "$(jget restart.how "$TMPD/1.json")"
is "1 event: invocation_id_before" "$inv0" "$(jget restart.invocation_id_before "$TMPD/1.json")"
is "1 event: invocation_id_after unchanged" "$inv0" "$(jget restart.invocation_id_after "$TMPD/1.json")"
is "1 event: main_pid_before" "$pid0" "$(jget restart.main_pid_before "$TMPD/1.json")"
is "1 event: main_pid_after unchanged" "$pid0" "$(jget restart.main_pid_after "$TMPD/1.json")"
is "1 event: systemd's InvocationID unchanged" "$inv0" "$(c_unit "$c" InvocationID)"
is "1 event: systemd's MainPID unchanged" "$pid0" "$(c_unit "$c" MainPID)"
is "1 event: Apache read its config twice (two graceful passes)" $((loads0 + 2)) "$(c_loads "$c")"
is "1 event: verify.verdict" ran "$(jget verify.verdict "$TMPD/1.json")"
is "1 event: curl: HTTP 200" 200 "$(c_code "$c" "$url")"
ok "1 event: curl: the script ran" contains "$(c_body "$c" "$url")" "$PROOF"
ok "1 event: mod_cgid is linked" in_c "$c" test -L /etc/apache2/mods-enabled/cgid.load
ok "1 event: mod_cgi is not" in_c "$c" test ! -e /etc/apache2/mods-enabled/cgi.load
load_ok "1 event apply" "$TMPD/1"
apply_run "$c" "$TMPD/1u" --undo
is_rc "1 event undo under load: exit 0" 0 $? "$TMPD/1u.json" "$TMPD/1u.err"
is "1 event undo: graceful" "ReloadOrRestartUnit apache2.service" "$(jget restart.how "$TMPD/1u.json")"
is "1 event undo: the URL answers 404" 404 "$(c_code "$c" "$url")"
is "1 event undo: InvocationID still unchanged" "$inv0" "$(c_unit "$c" InvocationID)"
is "1 event undo: MainPID still unchanged" "$pid0" "$(c_unit "$c" MainPID)"
load_ok "1 event undo" "$TMPD/1u"
"$RIG" stop "$c" >/dev/null 2>&1

# ---- 2. mpm_prefork ----
sys_start c prefork
in_c "$c" bash -c 'a2dismod -q mpm_event && a2enmod -q mpm_prefork && systemctl restart apache2' >/dev/null
is "2: switched to mpm_prefork" prefork "$(c_mpm "$c")"
is "2 before: the default site answers 200" 200 "$(c_code "$c" "$site")"
inv0=$(c_unit "$c" InvocationID)
pid0=$(c_unit "$c" MainPID)
loads0=$(c_loads "$c")
apply_run "$c" "$TMPD/2" --dir /srv/cgi --yes
is_rc "2 prefork: exit 0" 0 $? "$TMPD/2.json" "$TMPD/2.err"
is "2 prefork: layout.mpm" prefork "$(jget layout.mpm "$TMPD/2.json")"
is "2 prefork: not threaded" false "$(jget layout.threaded "$TMPD/2.json")"
is "2 prefork: the module wanted is cgi" cgi "$(jget layout.cgi_module_wanted "$TMPD/2.json")"
is "2 prefork: restart.path is one graceful reload" reload "$(path_of "$TMPD/2.json")"
is "2 prefork: no reason to go further" "" "$(jget restart.reason "$TMPD/2.json")"
is "2 prefork: restart.how" "ReloadOrRestartUnit apache2.service" "$(jget restart.how "$TMPD/2.json")"
is "2 prefork: invocation_id_after unchanged" "$inv0" "$(jget restart.invocation_id_after "$TMPD/2.json")"
is "2 prefork: main_pid_after unchanged" "$pid0" "$(jget restart.main_pid_after "$TMPD/2.json")"
is "2 prefork: systemd's InvocationID unchanged" "$inv0" "$(c_unit "$c" InvocationID)"
is "2 prefork: systemd's MainPID unchanged" "$pid0" "$(c_unit "$c" MainPID)"
is "2 prefork: Apache read its config once" $((loads0 + 1)) "$(c_loads "$c")"
ok "2 prefork: mod_cgi is linked" in_c "$c" test -L /etc/apache2/mods-enabled/cgi.load
ok "2 prefork: mod_cgid is not" in_c "$c" test ! -e /etc/apache2/mods-enabled/cgid.load
mods=$(in_c "$c" apache2ctl -M 2>/dev/null)
ok "2 prefork: apache2ctl -M lists cgi_module" contains "$mods" " cgi_module"
ok "2 prefork: apache2ctl -M has no cgid_module" not contains "$mods" cgid_module
is "2 prefork: verify.verdict" ran "$(jget verify.verdict "$TMPD/2.json")"
ok "2 prefork: curl: the script ran" contains "$(c_body "$c" "$url")" "$PROOF"
load_ok "2 prefork apply" "$TMPD/2"
apply_run "$c" "$TMPD/2u" --undo
is_rc "2 prefork undo under load: exit 0" 0 $? "$TMPD/2u.json" "$TMPD/2u.err"
is "2 prefork undo: the URL answers 404" 404 "$(c_code "$c" "$url")"
is "2 prefork undo: InvocationID still unchanged" "$inv0" "$(c_unit "$c" InvocationID)"
load_ok "2 prefork undo" "$TMPD/2u"
"$RIG" stop "$c" >/dev/null 2>&1

# ---- 3. --restart ----
sys_start c restart
inv0=$(c_unit "$c" InvocationID)
pid0=$(c_unit "$c" MainPID)
cgs "$c" --dir /srv/cgi --yes --restart --json >"$TMPD/3.json" 2>"$TMPD/3.err"
is_rc "3 --restart: exit 0" 0 $? "$TMPD/3.json" "$TMPD/3.err"
is "3 --restart: restart.path" restart "$(path_of "$TMPD/3.json")"
is "3 --restart: restart.job" restart "$(jget restart.job "$TMPD/3.json")"
is "3 --restart: restart.how" "RestartUnit apache2.service" "$(jget restart.how "$TMPD/3.json")"
is "3 --restart: invocation_id_before" "$inv0" "$(jget restart.invocation_id_before "$TMPD/3.json")"
inv1=$(c_unit "$c" InvocationID)
ok "3 --restart: a new InvocationID" test -n "$inv1" -a "$inv1" != "$inv0"
is "3 --restart: invocation_id_after is systemd's" "$inv1" "$(jget restart.invocation_id_after "$TMPD/3.json")"
pid1=$(c_unit "$c" MainPID)
ok "3 --restart: a new MainPID" test "$pid1" -gt 0 -a "$pid1" != "$pid0"
ok "3 --restart: the script runs" contains "$(c_body "$c" "$url")" "$PROOF"
cgs "$c" --undo --restart --json >"$TMPD/3u.json" 2>"$TMPD/3u.err"
is_rc "3 --undo --restart: exit 0" 0 $? "$TMPD/3u.json" "$TMPD/3u.err"
is "3 --undo --restart: a full restart" "RestartUnit apache2.service" "$(jget restart.how "$TMPD/3u.json")"
inv2=$(c_unit "$c" InvocationID)
ok "3 --undo --restart: a new InvocationID" test -n "$inv2" -a "$inv2" != "$inv1"
is "3 --undo --restart: the URL answers 404" 404 "$(c_code "$c" "$url")"
"$RIG" stop "$c" >/dev/null 2>&1

# ---- 4. a reload that does nothing: fall back to a full restart ----
noop_fallback() {  # $1 label, $2 mpm, $3 expected path
	local c label=$1
	sys_start c "noop-$2"
	if [ "$2" = prefork ]; then
		in_c "$c" bash -c 'a2dismod -q mpm_event && a2enmod -q mpm_prefork && systemctl restart apache2' >/dev/null
	fi
	is "$label: mpm_$2" "$2" "$(c_mpm "$c")"
	in_c "$c" bash -c 'mkdir -p /etc/systemd/system/apache2.service.d &&
		printf "[Service]\nExecReload=\nExecReload=/bin/true\n" \
			>/etc/systemd/system/apache2.service.d/50-cgisetup-test-noop.conf &&
		systemctl daemon-reload'
	ok "$label: ExecReload is /bin/true" contains "$(c_unit "$c" ExecReload)" "path=/bin/true"
	local inv0 pid0 loads0 path inv1
	inv0=$(c_unit "$c" InvocationID)
	pid0=$(c_unit "$c" MainPID)
	loads0=$(c_loads "$c")
	ok "$label: a reload job succeeds and Apache reads nothing" in_c "$c" systemctl reload apache2
	is "$label: (no config load for that reload)" "$loads0" "$(c_loads "$c")"
	cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/$label.json" 2>"$TMPD/$label.err"
	is_rc "$label: exit 0" 0 $? "$TMPD/$label.json" "$TMPD/$label.err"
	path=$(path_of "$TMPD/$label.json")
	echo "# $label: restart.path: $path; reason: $(jget restart.reason "$TMPD/$label.json")"
	is "$label: status" applied "$(jget status "$TMPD/$label.json")"
	is "$label: graceful first, then one full restart" "$3" "$path"
	is "$label: the path ends in restart" restart "${path##* }"
	is "$label: restart.job" restart "$(jget restart.job "$TMPD/$label.json")"
	is "$label: restart.how" "RestartUnit apache2.service" "$(jget restart.how "$TMPD/$label.json")"
	ok "$label: restart.reason says the graceful path did not work" \
		contains "$(jget restart.reason "$TMPD/$label.json")" "graceful reload did not make the script run"
	inv1=$(c_unit "$c" InvocationID)
	ok "$label: a new InvocationID" test -n "$inv1" -a "$inv1" != "$inv0"
	is "$label: invocation_id_before" "$inv0" "$(jget restart.invocation_id_before "$TMPD/$label.json")"
	is "$label: invocation_id_after is systemd's" "$inv1" "$(jget restart.invocation_id_after "$TMPD/$label.json")"
	ok "$label: a new MainPID" test "$(c_unit "$c" MainPID)" != "$pid0"
	is "$label: only the restart loaded a config" $((loads0 + 1)) "$(c_loads "$c")"
	is "$label: verify.status" 200 "$(jget verify.status "$TMPD/$label.json")"
	is "$label: verify.verdict" ran "$(jget verify.verdict "$TMPD/$label.json")"
	ok "$label: curl: the script ran" contains "$(c_body "$c" "$url")" "$PROOF"
	"$RIG" stop "$c" >/dev/null 2>&1
}
noop_fallback "4 event no-op reload" event "reload reload restart"
noop_fallback "4 prefork no-op reload" prefork "reload restart"
done_testing
