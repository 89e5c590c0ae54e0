#!/bin/bash
# stopped.sh - Apache stopped before the run (systemctl stop apache2):
# cgisetup starts it (StartUnit), says that it was not running, and the
# script runs. Once with the human output, once with --json, each in a
# fresh container. --no-start leaves a stopped Apache stopped and only
# configures; a running one is activated as usual. A failed unit and one
# that hit its start limit each get their own message.
. "$(dirname "$0")/common.sh"
sys_require

url=http://127.0.0.1/cgi/hello.py

stop_apache() {  # $1 container, $2 label
	in_c "$1" systemctl stop apache2.service
	is "$2: apache2 is inactive before the run" inactive "$(in_c "$1" systemctl is-active apache2)"
	is "$2: nothing answers before the run" 000 "$(c_code "$1" http://127.0.0.1/)"
}

# ---- human output ----
sys_start c stopped-h
stop_apache "$c" human
cgs "$c" --dir /srv/cgi --yes >"$TMPD/1.out" 2>&1
is_rc "human: exit 0" 0 $? "$TMPD/1.out"
ok "human: says Apache was not running" grep -q "not running" "$TMPD/1.out"
ok "human: says it started it" grep -qi "started" "$TMPD/1.out"
is "human: apache2 is active" active "$(in_c "$c" systemctl is-active apache2)"
ok "human: the script runs" contains "$(c_body "$c" "$url")" "$PROOF"

# ---- --json ----
sys_start c2 stopped-j
stop_apache "$c2" json
cgs "$c2" --dir /srv/cgi --yes --json >"$TMPD/2.json" 2>"$TMPD/2.err"
is_rc "json: exit 0" 0 $? "$TMPD/2.json" "$TMPD/2.err"
is "json: status" applied "$(jget status "$TMPD/2.json")"
is "json: restart.job" start "$(jget restart.job "$TMPD/2.json")"
is "json: restart.how" "StartUnit apache2.service" "$(jget restart.how "$TMPD/2.json")"
is "json: restart.via_systemd" true "$(jget restart.via_systemd "$TMPD/2.json")"
is "json: restart.was_running" false "$(jget restart.was_running "$TMPD/2.json")"
is "json: restart.main_pid_before" 0 "$(jget restart.main_pid_before "$TMPD/2.json")"
is "json: restart.main_pid_after is systemd's MainPID" "$(c_unit "$c2" MainPID)" \
	"$(jget restart.main_pid_after "$TMPD/2.json")"
is "json: restart.invocation_id_after is systemd's" "$(c_unit "$c2" InvocationID)" \
	"$(jget restart.invocation_id_after "$TMPD/2.json")"
is "json: verify.verdict" ran "$(jget verify.verdict "$TMPD/2.json")"
is "json: apache2 is active" active "$(in_c "$c2" systemctl is-active apache2)"
is "json: curl HTTP 200" 200 "$(c_code "$c2" "$url")"
ok "json: the script runs" contains "$(c_body "$c2" "$url")" "$PROOF"

# ---- configured, then stopped: a re-run changes nothing and says so ----
in_c "$c" systemctl stop apache2.service
cgs "$c" --dir /srv/cgi --yes >"$TMPD/1b.out" 2>&1
is_rc "stopped re-run: exit 0" 0 $? "$TMPD/1b.out"
ok "stopped re-run: already configured" grep -q "already configured" "$TMPD/1b.out"
ok "stopped re-run: says Apache is not running, and how to start it" \
	grep -q "Apache is not running; start it with 'systemctl start apache2.service'" "$TMPD/1b.out"
is "stopped re-run: it did not start Apache" inactive "$(in_c "$c" systemctl is-active apache2)"
cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/1c.json" 2>/dev/null
is "stopped re-run json: apache_running" false "$(jget apache_running "$TMPD/1c.json")"

# ---- stopped, and the check fails: the rollback leaves it stopped ----
sys_start c3 stopped-f
stop_apache "$c3" failing
py=$(in_c "$c3" readlink -f /usr/bin/python3)
in_c "$c3" chmod 0644 "$py"
etc0=$(c_snapshot "$c3" /etc/apache2)
cgs "$c3" --dir /srv/cgi --yes --json >"$TMPD/3.json" 2>"$TMPD/3.err"
is_rc "failing: exit 1" 1 $? "$TMPD/3.json" "$TMPD/3.err"
is "failing: the check said server-error" server-error "$(jget verify.verdict "$TMPD/3.json")"
is "failing: rolled back with StopUnit" "StopUnit apache2.service" "$(jget rollback_restart "$TMPD/3.json")"
is "failing: apache2 is inactive again" inactive "$(in_c "$c3" systemctl is-active apache2)"
is "failing: /etc/apache2 byte-identical" "$etc0" "$(c_snapshot "$c3" /etc/apache2)"

# ---- --no-start: stopped stays stopped, configured only ----
sys_start c4 stopped-n
stop_apache "$c4" no-start
cgs "$c4" --dir /srv/cgi --yes --no-start >"$TMPD/4.out" 2>&1
is_rc "--no-start: exit 0" 0 $? "$TMPD/4.out"
ok "--no-start: says Apache was left stopped, and how to start it" grep -q \
	"Apache is stopped and was left stopped; the change is not proven over HTTP; start it with 'systemctl start apache2.service'" \
	"$TMPD/4.out"
ok "--no-start: no URL said to work now" not grep -q "test it: " "$TMPD/4.out"
is "--no-start: apache2 is still inactive" inactive "$(in_c "$c4" systemctl is-active apache2)"
ok "--no-start: cgid.load enabled" in_c "$c4" test -L /etc/apache2/mods-enabled/cgid.load
ok "--no-start: the section is in apache2.conf" \
	in_c "$c4" grep -q "^<Directory /srv/cgi>" /etc/apache2/apache2.conf
ok "--no-start: apache2ctl -t accepts the edit" in_c "$c4" apache2ctl -t
cgs "$c4" --dir /srv/cgi2 --yes --no-start --json >"$TMPD/4.json" 2>"$TMPD/4.err"
is_rc "--no-start json: exit 0" 0 $? "$TMPD/4.json" "$TMPD/4.err"
is "--no-start json: status" applied "$(jget status "$TMPD/4.json")"
is "--no-start json: apache_running" false "$(jget apache_running "$TMPD/4.json")"
is "--no-start json: no restart job" "" "$(jget restart.job "$TMPD/4.json")"
is "--no-start json: still inactive" inactive "$(in_c "$c4" systemctl is-active apache2)"
in_c "$c4" systemctl start apache2.service
ok "--no-start: once started by hand, the script runs" \
	contains "$(c_body "$c4" "$url")" "$PROOF"
inv4=$(c_unit "$c4" InvocationID)
cgs "$c4" --dir /srv/cgi3 --yes --no-start --json >"$TMPD/5.json" 2>"$TMPD/5.err"
is_rc "--no-start, Apache running: exit 0" 0 $? "$TMPD/5.json" "$TMPD/5.err"
is "--no-start, Apache running: activated as usual (reload)" reload \
	"$(jget restart.job "$TMPD/5.json")"
is "--no-start, Apache running: verified" ran "$(jget verify.verdict "$TMPD/5.json")"
is "--no-start, Apache running: same InvocationID" "$inv4" "$(c_unit "$c4" InvocationID)"
# ---- a failed unit, then one that hit its start limit ----
sys_start c5 stopped-failed
cgs "$c5" --dir /srv/cgi --yes >/dev/null 2>&1
# Debian's unit restarts on an abort: not this once
in_c "$c5" bash -c 'mkdir -p /run/systemd/system/apache2.service.d &&
	printf "[Service]\nRestart=no\n" >/run/systemd/system/apache2.service.d/zz-norestart.conf &&
	systemctl daemon-reload'
in_c "$c5" systemctl kill --signal=KILL apache2.service
for ((i = 0; i < 100; i++)); do
	[ "$(in_c "$c5" systemctl is-active apache2)" = failed ] && break
	sleep 0.05
done
is "failed: the unit is failed" failed "$(in_c "$c5" systemctl is-active apache2)"
cgs "$c5" --dir /srv/cgi --yes >"$TMPD/5f.out" 2>&1
is_rc "failed, re-run: exit 0" 0 $? "$TMPD/5f.out"
ok "failed, re-run: says the service failed, with its result and what to run" grep -q \
	"Apache is not running: its service 'apache2.service' failed (result 'signal'; 'systemctl status apache2.service' says why); start it with 'systemctl start apache2.service'" \
	"$TMPD/5f.out"
cgs "$c5" --dir /srv/cgi2 --yes >"$TMPD/5g.out" 2>&1
is_rc "failed, a new apply: exit 0 (started)" 0 $? "$TMPD/5g.out"
ok "failed, a new apply: says it had failed" grep -q \
	"Apache's service 'apache2.service' had failed before this run (result 'signal')" "$TMPD/5g.out"
is "failed, a new apply: active again" active "$(in_c "$c5" systemctl is-active apache2)"
in_c "$c5" bash -c 'mkdir -p /run/systemd/system/apache2.service.d &&
	printf "[Unit]\nStartLimitIntervalSec=300\nStartLimitBurst=1\n" \
		>/run/systemd/system/apache2.service.d/zz-limit.conf && systemctl daemon-reload'
in_c "$c5" systemctl restart apache2.service >/dev/null 2>&1
in_c "$c5" systemctl restart apache2.service >/dev/null 2>&1
is "start limit: the unit's result" start-limit-hit \
	"$(in_c "$c5" systemctl show -p Result --value apache2.service)"
cgs "$c5" --dir /srv/cgi --yes >"$TMPD/5l.out" 2>&1
is_rc "start limit, re-run: exit 0" 0 $? "$TMPD/5l.out"
ok "start limit, re-run: its own message, with what clears it" grep -q \
	"its service 'apache2.service' was started too often in a short time (start-limit-hit); 'systemctl reset-failed apache2.service' clears the limit" \
	"$TMPD/5l.out"
etc5=$(c_snapshot "$c5" /etc/apache2)
cgs "$c5" --dir /srv/cgi3 --yes >"$TMPD/5m.out" 2>&1
is_rc "start limit, a new apply: exit 1" 1 $? "$TMPD/5m.out"
ok "start limit, a new apply: the start fails, saying why" grep -q \
	"it was started too often in a short time; 'systemctl reset-failed' clears the limit" \
	"$TMPD/5m.out"
is "start limit, a new apply: rolled back" "$etc5" "$(c_snapshot "$c5" /etc/apache2)"
done_testing
