#!/bin/bash
# stopped.sh - Apache stopped before the run (systemctl stop apache2):
# cgisetup starts it (StartUnit), says that it was not running, and the
# script runs. Once with the human output, once with --json, each in a
# fresh container.
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
done_testing
