#!/bin/bash
# restart-fail.sh - systemd's job fails although the config test passed
# (drop-ins in apache2.service.d make it fail; each case in a fresh
# container):
#   1. the reload is refused while mods-enabled/cgid.load exists: cgisetup
#      reports systemd's job result, puts every file back and reloads the
#      old configuration; Apache never stops (same MainPID) and the default
#      site answers as before;
#   2. every reload fails (ExecReload=/bin/false): rolled back all the
#      same, and Apache is brought back on the old files some other way;
#   3. Apache was stopped and cannot start (ExecStartPre=/bin/false): the
#      files are put back and Apache is left stopped, as it was.
. "$(dirname "$0")/common.sh"
sys_require

site=http://127.0.0.1/
dropin=/etc/systemd/system/apache2.service.d/zz-cgisetup-test.conf

set_dropin() {  # $1 container; the [Service] lines on stdin
	in_c "$1" bash -c 'mkdir -p "${1%/*}" && { echo "[Service]"; cat; } >"$1" &&
		systemctl daemon-reload' _ "$dropin"
}

# ---- 1. the reload refused while mod_cgid is enabled ----
sys_start c reloadfail
set_dropin "$c" <<'EOF'
ExecReload=
ExecReload=/bin/sh -c "test ! -e /etc/apache2/mods-enabled/cgid.load && exec /usr/sbin/apachectl graceful"
EOF
ok "1: the drop-in is in force" contains "$(in_c "$c" systemctl cat apache2.service)" "test ! -e"
ok "1: the drop-in still lets the old configuration reload" in_c "$c" systemctl reload apache2
body0=$(c_body "$c" "$site" | sha256sum)
etc0=$(c_snapshot "$c" /etc/apache2)
srv0=$(c_snapshot "$c" /srv)
inv0=$(c_unit "$c" InvocationID)
pid0=$(c_unit "$c" MainPID)

cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/1.json" 2>"$TMPD/1.err"
is_rc "1 json: exit 1" 1 $? "$TMPD/1.json" "$TMPD/1.err"
is "1 json: status" failed "$(jget status "$TMPD/1.json")"
err=$(jget error "$TMPD/1.json")
ok "1 json: error names the job and the unit" contains "$err" "cannot reload or restart 'apache2.service'"
ok "1 json: error gives systemd's job result" contains "$err" "job result 'failed'"
is "1 json: restart.job says which job failed" reload "$(jget restart.job "$TMPD/1.json")"
is "1 json: restart.path lists it" reload "$(jlist restart.path "$TMPD/1.json" | xargs)"
ok "1 json: rollback_restart names how the old config came back" \
	contains "$(jget rollback_restart "$TMPD/1.json")" apache2.service
is "1: /etc/apache2 byte-identical" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "1: /srv byte-identical" "$srv0" "$(c_snapshot "$c" /srv)"
is "1: apache2 is active" active "$(in_c "$c" systemctl is-active apache2)"
is "1: Apache never stopped (same InvocationID)" "$inv0" "$(c_unit "$c" InvocationID)"
is "1: Apache never stopped (same MainPID)" "$pid0" "$(c_unit "$c" MainPID)"
is "1: the default site answers 200" 200 "$(c_code "$c" "$site")"
is "1: the same page as before" "$body0" "$(c_body "$c" "$site" | sha256sum)"
is "1: the running Apache has no CGI module" 404 "$(c_code "$c" http://127.0.0.1/cgi-bin/)"

cgs "$c" --dir /srv/cgi --yes >"$TMPD/2.out" 2>&1
is_rc "1 human: exit 1" 1 $? "$TMPD/2.out"
ok "1 human: names the failed job" has "cannot reload or restart 'apache2.service'" "$TMPD/2.out"
ok "1 human: says it rolled back" has "rolled back" "$TMPD/2.out"
ok "1 human: says Apache is back on the old config" has "old configuration" "$TMPD/2.out"
is "1 human: /etc/apache2 byte-identical" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "1 human: the default site answers 200" 200 "$(c_code "$c" "$site")"

# ---- 2. no reload works at all ----
sys_start c2 reloadfail2
printf '%s\n' ExecReload= ExecReload=/bin/false | set_dropin "$c2"
body0=$(c_body "$c2" "$site" | sha256sum)
etc0=$(c_snapshot "$c2" /etc/apache2)
srv0=$(c_snapshot "$c2" /srv)
cgs "$c2" --dir /srv/cgi --yes --json >"$TMPD/3.json" 2>"$TMPD/3.err"
is_rc "2: exit 1" 1 $? "$TMPD/3.json" "$TMPD/3.err"
ok "2: error gives systemd's job result" contains "$(jget error "$TMPD/3.json")" "job result 'failed'"
echo "# 2: rollback_restart: $(jget rollback_restart "$TMPD/3.json")"
ok "2: rollback_restart names how the old config came back" \
	contains "$(jget rollback_restart "$TMPD/3.json")" apache2.service
is "2: /etc/apache2 byte-identical" "$etc0" "$(c_snapshot "$c2" /etc/apache2)"
is "2: /srv byte-identical" "$srv0" "$(c_snapshot "$c2" /srv)"
is "2: apache2 is active" active "$(in_c "$c2" systemctl is-active apache2)"
is "2: the default site answers 200" 200 "$(c_code "$c2" "$site")"
is "2: the same page as before" "$body0" "$(c_body "$c2" "$site" | sha256sum)"

# ---- 3. stopped, and cannot start ----
sys_start c3 startfail
echo ExecStartPre=/bin/false | set_dropin "$c3"
in_c "$c3" systemctl stop apache2
etc0=$(c_snapshot "$c3" /etc/apache2)
srv0=$(c_snapshot "$c3" /srv)
cgs "$c3" --dir /srv/cgi --yes --json >"$TMPD/4.json" 2>"$TMPD/4.err"
is_rc "3: exit 1" 1 $? "$TMPD/4.json" "$TMPD/4.err"
err=$(jget error "$TMPD/4.json")
ok "3: error names the start" contains "$err" "cannot start 'apache2.service'"
ok "3: error gives the service result" contains "$err" "service result 'exit-code'"
is "3: restart.was_running" false "$(jget restart.was_running "$TMPD/4.json")"
is "3: /etc/apache2 byte-identical" "$etc0" "$(c_snapshot "$c3" /etc/apache2)"
is "3: /srv byte-identical" "$srv0" "$(c_snapshot "$c3" /srv)"
ok "3: Apache is left stopped, as it was" not in_c "$c3" systemctl is-active --quiet apache2
is "3: nothing answers, as before" 000 "$(c_code "$c3" "$site")"
done_testing
