#!/bin/bash
# service.sh - the sd-bus layer (service.c) and the HTTP fetch (fetch.c)
# against the real systemd and Apache of a rig container, through
# tests/rig/svc-probe: unit lookup, jobs and what they prove (a restart
# changes the InvocationID, a reload does not), and a clear, specific
# message for each failure the issue names: unit not found, access denied
# (not root, no polkit), masked unit, job failed, our own wait timing out,
# no system bus; connection refused for the fetch.
. "$(dirname "$0")/common.sh"
sys_require
PROBE=$SYS_BUILD/tests/rig/svc-probe
[ -x "$PROBE" ] || bail "no $PROBE: 'make check' builds it"
IN_PROBE=$SYS_MNT/tests/rig/svc-probe
sys_start c service

# probe OUT-BASENAME ARG...: run svc-probe inside; stdout and stderr to
# files, the exit status in $rc.
probe() {
	local base=$1
	shift
	in_c "$c" "$IN_PROBE" "$@" >"$TMPD/$base.out" 2>"$TMPD/$base.err"
	rc=$?
}

val() {  # val BASENAME KEY
	sed -n "s/^$2=//p" "$TMPD/$1.out" | head -n 1
}

probe find find nosuch.service apache2.service
is_rc "find: exit 0" 0 "$rc" "$TMPD/find.err"
is "find: the first unit systemd knows" apache2.service "$(val find unit)"
probe find0 find nosuch.service httpd.service
is "find, none known: exit 1" 1 "$rc"
ok "find, none known: says so" has "systemd knows none of 'nosuch.service', 'httpd.service'" \
	"$TMPD/find0.err"
probe state0 state nosuch.service
is "state of an unknown unit: not an error" 0 "$rc"
is "state of an unknown unit: loaded=no" no "$(val state0 loaded)"
probe state state apache2.service
is "state: active" active "$(val state active_state)"
is "state: InvocationID as systemctl shows it" "$(c_unit "$c" InvocationID)" "$(val state invocation_id)"
is "state: MainPID as systemctl shows it" "$(c_unit "$c" MainPID)" "$(val state main_pid)"

probe restart job apache2.service restart
is_rc "restart: exit 0" 0 "$rc" "$TMPD/restart.err"
is "restart: job result" "done" "$(val restart job_result)"
ok "restart: a new InvocationID" test "$(val restart invocation_id_after)" != "$(val restart invocation_id_before)"
is "restart: the new InvocationID is systemd's" "$(c_unit "$c" InvocationID)" \
	"$(val restart invocation_id_after)"
is "restart: active afterwards" active "$(val restart active_state_after)"
pid=$(val restart main_pid_after)
probe reload job apache2.service reload-or-restart
is_rc "reload-or-restart: exit 0" 0 "$rc" "$TMPD/reload.err"
is "reload-or-restart: same InvocationID (a reload)" "$(val reload invocation_id_before)" \
	"$(val reload invocation_id_after)"
is "reload-or-restart: same MainPID" "$pid" "$(val reload main_pid_after)"

probe get get http://127.0.0.1/
is "get: exit 0" 0 "$rc"
is "get: HTTP 200" 200 "$(val get status)"
ok "get: text/html" contains "$(val get content_type)" text/html
probe refused get http://127.0.0.1:81/
is "get, closed port: exit 1" 1 "$rc"
is "get, closed port: refused" refused "$(val refused error)"

probe nounit job nosuch.service restart
is "unknown unit: exit 1" 1 "$rc"
ok "unknown unit: unit not found" has "cannot restart 'nosuch.service': unit not found" "$TMPD/nounit.err"

in_c "$c" setpriv --reuid=www-data --regid=www-data --clear-groups "$IN_PROBE" \
	job apache2.service restart >"$TMPD/denied.out" 2>"$TMPD/denied.err"
is "not root: exit 1" 1 $?
ok "not root: permission denied, says what to do" \
	has "permission denied (run as root or allow it through polkit)" "$TMPD/denied.err"

probe find1 find nosuch.service nosuch.service httpd.service
ok "find, none known: each name once" has "systemd knows none of 'nosuch.service', 'httpd.service'\$" \
	"$TMPD/find1.err"
in_c "$c" systemctl mask --runtime apache2.service >/dev/null 2>&1
probe findm find apache2.service apache2.service httpd.service
is "find, masked: exit 1" 1 "$rc"
ok "find, masked: its own message" \
	has "the service 'apache2.service' is masked: systemd will not start it ('systemctl unmask apache2.service' allows it again)" \
	"$TMPD/findm.err"
probe masked job apache2.service start
is "masked: exit 1" 1 "$rc"
ok "masked: says so" has "cannot start 'apache2.service': unit is masked" "$TMPD/masked.err"
in_c "$c" systemctl unmask --runtime apache2.service >/dev/null 2>&1

in_c "$c" bash -c 'echo CgisetupNoSuchDirective >/etc/apache2/conf-enabled/zz-broken.conf'
probe failed job apache2.service restart
is "job failed: exit 1" 1 "$rc"
is "job failed: job result" failed "$(val failed job_result)"
ok "job failed: gives the job, unit and service results" has \
	"the job failed (job result 'failed', unit failed/failed, service result 'exit-code')" \
	"$TMPD/failed.err"
in_c "$c" rm -f /etc/apache2/conf-enabled/zz-broken.conf
probe start job apache2.service start
is "start after a failure: job result" "done" "$(val start job_result)"
is "start after a failure: active" active "$(val start active_state_after)"

# 20 ms: a restart of Apache takes 70 ms and more. Under load the enqueue
# call itself may be what times out; either way the message says so.
in_c "$c" env SVC_PROBE_TIMEOUT_MS=20 "$IN_PROBE" job apache2.service restart \
	>"$TMPD/timeout.out" 2>"$TMPD/timeout.err"
is "our wait times out: exit 1" 1 $?
ok "our wait times out: says so" has "no result after 20 ms\|timed out" "$TMPD/timeout.err"
# Let that restart finish before the bus goes away.
in_c "$c" bash -c 'for i in $(seq 200); do
	[ -z "$(systemctl list-jobs --no-legend)" ] && break; sleep 0.05; done'

in_c "$c" systemctl stop dbus.socket dbus.service >/dev/null 2>&1
probe nobus state apache2.service
is "no system bus: exit 1" 1 "$rc"
ok "no system bus: says so" has "cannot connect to the system bus" "$TMPD/nobus.err"
done_testing
