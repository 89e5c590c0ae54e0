#!/bin/bash
# fallback.sh - the restart fallback without systemd, in a rig container
# started without systemd (rig.sh start --no-boot: PID 1 is a shell, as on
# a sysvinit or container host): cgisetup starts Apache with
# `apache2ctl start` when it is stopped, reloads it with
# `apache2ctl graceful` when the module is already loaded (same parent PID
# in the PidFile), and the script runs over HTTP; a re-run restarts
# nothing and touches no file; --no-restart restarts nothing and tells
# what to run (apache2ctl's command, not systemctl's).
#
# Nothing of this host is used: Apache, its configuration, the CGI
# directories and cgisetup's journal are the container's, on a tmpfs
# overlay over the cached rootfs (which is checked unchanged at the end),
# and curl runs inside.
. "$(dirname "$0")/common.sh"
sys_require
sys_start c fallback --no-boot

# The container is what this test claims: no systemd for cgisetup to find
# (sd_booted() looks for /run/systemd/system), PID 1 not systemd (Debian's
# apache2ctl would hand over to systemctl), no Apache running yet.
ROOTFS=${CGISETUP_RIG_CACHE:-/var/cache/cgisetup-rig}/rootfs
rootfs0=$(bash -c "$SNAPSHOT_SH" _ "$ROOTFS/etc/apache2")
ok "container: no /run/systemd/system" in_c "$c" test ! -e /run/systemd/system
pid1_exe=$(in_c "$c" readlink -f /proc/1/exe)
case $pid1_exe in
*systemd*) pid1_ok="no: $pid1_exe" ;;
*) pid1_ok=yes ;;
esac
is "container: PID 1 is no systemd" yes "$pid1_ok"
ok "container: Apache is stopped before the run" not c_apache_pid "$c"
CTL=$(in_c "$c" sh -c 'command -v apache2ctl')
ok "container: has apache2ctl" test -n "$CTL"

D1=/srv/cgisetup-fallback-test
D2=/srv/cgisetup-fallback-test2
D3=/srv/cgisetup-fallback-test3
url1=http://127.0.0.1/cgisetup-fallback-test/hello.py
url2=http://127.0.0.1/cgisetup-fallback-test2/hello.py

# ---- Apache stopped: apache2ctl start ----
cgs "$c" --dir "$D1" --yes --json >"$TMPD/1.json" 2>"$TMPD/1.err"
is_rc "stopped: exit 0" 0 $? "$TMPD/1.json" "$TMPD/1.err"
is "stopped: status" applied "$(jget status "$TMPD/1.json")"
is "stopped: restart.via_systemd" false "$(jget restart.via_systemd "$TMPD/1.json")"
ok "stopped: restart.how runs apache2ctl" contains "$(jget restart.how "$TMPD/1.json")" apache2ctl
is "stopped: restart.how" "$CTL start" "$(jget restart.how "$TMPD/1.json")"
is "stopped: restart.job" start "$(jget restart.job "$TMPD/1.json")"
is "stopped: restart.was_running" false "$(jget restart.was_running "$TMPD/1.json")"
pid1=$(c_apache_pid "$c")
ok "stopped: Apache runs afterwards" test -n "$pid1"
is "stopped: restart.main_pid_after is the PidFile's" "$pid1" "$(jget restart.main_pid_after "$TMPD/1.json")"
is "stopped: verify.verdict" ran "$(jget verify.verdict "$TMPD/1.json")"
is "stopped: curl HTTP 200" 200 "$(c_code "$c" "$url1")"
ok "stopped: curl gets the script's output" contains "$(c_body "$c" "$url1")" "$PROOF"

# ---- Apache running, module already loaded: apache2ctl graceful ----
# The human-readable output this time: it must name the command it ran.
cgs "$c" --dir "$D2" --yes >"$TMPD/2.out" 2>&1
is_rc "running: exit 0" 0 $? "$TMPD/2.out"
ok "running: the output names '$CTL graceful'" grep -qF "'$CTL graceful'" "$TMPD/2.out"
ok "running: the output says nothing of systemd" not grep -qi systemd "$TMPD/2.out"
is "running: the graceful reload keeps the parent" "$pid1" "$(c_apache_pid "$c")"
ok "running: verified over HTTP" grep -q "verified: a probe script ran in '$D2' (HTTP 200" "$TMPD/2.out"
ok "running: curl gets the second script's output" contains "$(c_body "$c" "$url2")" "$PROOF"
ok "running: the first script still runs" contains "$(c_body "$c" "$url1")" "$PROOF"

# The same reload in JSON (a third directory: a re-run would be
# "unchanged" and reload nothing).
cgs "$c" --dir "$D3" --yes --json >"$TMPD/2b.json" 2>"$TMPD/2b.err"
is_rc "running (--json): exit 0" 0 $? "$TMPD/2b.json" "$TMPD/2b.err"
is "running: restart.via_systemd" false "$(jget restart.via_systemd "$TMPD/2b.json")"
is "running: restart.how" "$CTL graceful" "$(jget restart.how "$TMPD/2b.json")"
is "running: restart.was_running" true "$(jget restart.was_running "$TMPD/2b.json")"
is "running: restart.main_pid_before" "$pid1" "$(jget restart.main_pid_before "$TMPD/2b.json")"
is "running: the parent is still the PidFile's" "$pid1" "$(c_apache_pid "$c")"
is "running: verify.verdict" ran "$(jget verify.verdict "$TMPD/2b.json")"

# ---- re-run: nothing restarted, no file touched ----
gen2=$(c_generations "$c")
# A start and three gracefuls so far: the count below can move.
ok "re-run: Apache logged its config loads (AH00489)" test "$gen2" -ge 3
etc2=$(c_snapshot "$c" /etc/apache2)
mt2=$(c_mtimes "$c" /etc/apache2; c_mtimes "$c" "$D1")
cgs "$c" --dir "$D1" --yes >"$TMPD/3.out" 2>&1
is_rc "re-run: exit 0" 0 $? "$TMPD/3.out"
ok "re-run: already configured" grep -q "already configured" "$TMPD/3.out"
is "re-run: same Apache PID" "$pid1" "$(c_apache_pid "$c")"
is "re-run: not even a graceful reload" "$gen2" "$(c_generations "$c")"
is "re-run: /etc/apache2 byte-identical" "$etc2" "$(c_snapshot "$c" /etc/apache2)"
is "re-run: no mtime changed" "$mt2" "$(c_mtimes "$c" /etc/apache2; c_mtimes "$c" "$D1")"

# ---- --no-restart: nothing restarted, and advice that works here ----
D4=/srv/cgisetup-fallback-test4
gen3=$(c_generations "$c")
cgs "$c" --dir "$D4" --yes --no-restart >"$TMPD/4.out" 2>&1
is_rc "no-restart: exit 0" 0 $? "$TMPD/4.out"
is "no-restart: same Apache PID" "$pid1" "$(c_apache_pid "$c")"
is "no-restart: no reload either" "$gen3" "$(c_generations "$c")"
advice=$(sed -n "s/.*activate it with '\([^']*\)'.*/\1/p" "$TMPD/4.out")
ok "no-restart: says what to run" test -n "$advice"
case $advice in
*apache2ctl*) uses_ctl=yes ;;
*) uses_ctl="no: '$advice'" ;;
esac
is "no-restart: the advice is apache2ctl's (no systemd here)" yes "$uses_ctl"
# The advice works: run as given, the new directory is served.
in_c "$c" sh -c "$advice" >"$TMPD/5.out" 2>&1
is_rc "no-restart: the advice runs (exit 0)" 0 $? "$TMPD/5.out"
ok "no-restart: after it, the script runs" \
	contains "$(c_body "$c" http://127.0.0.1/cgisetup-fallback-test4/hello.py)" "$PROOF"

# ---- nothing left the container ----
is "the rig's cached rootfs is unchanged (all writes went to the overlay)" \
	"$rootfs0" "$(bash -c "$SNAPSHOT_SH" _ "$ROOTFS/etc/apache2")"
done_testing
