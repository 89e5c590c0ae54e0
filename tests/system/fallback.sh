#!/bin/bash
# fallback.sh - the restart fallback without systemd, on this build
# machine's own Apache (its PID 1 is not systemd): cgisetup starts Apache
# with `apache2ctl start` when it is stopped, reloads it with
# `apache2ctl graceful` when the module is already loaded, and the script
# runs over HTTP; a re-run restarts nothing; --no-restart restarts nothing
# and tells what to run.
#
# The host is left as it was: /etc/apache2 and cgisetup's journal
# (/var/lib/cgisetup) are copied first and put back exactly (contents,
# modes, owners, link targets, mtimes; the journal removed when there was
# none), the test's CGI directories are removed, and Apache is stopped
# again (or started again when it was running before), also when the
# script is interrupted. Apache's logs under /var/log/apache2 do grow. Runs of this script are
# serialised by a lock, so two make check runs cannot share the host's
# Apache. Skips when the host runs systemd as PID 1 (the fallback is then
# not used) or has no apache2ctl.
. "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || skip_all "not root: the test drives this host's Apache"
if [ -d /run/systemd/system ] || [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; then
	skip_all "this host runs systemd as PID 1: cgisetup would not use the fallback"
fi
CTL=$(command -v apache2ctl) || skip_all "no apache2ctl on this host"
[ -f /etc/apache2/apache2.conf ] || skip_all "no /etc/apache2/apache2.conf on this host"
[ -x "$CGISETUP" ] || bail "no cgisetup binary at $CGISETUP: build it first"

mkdir -p /run/lock
exec 8>/run/lock/cgisetup-host-apache.lock
flock -w 600 8 || skip_all "another test run holds this host's Apache"

D1=/srv/cgisetup-fallback-test
D2=/srv/cgisetup-fallback-test2
D3=/srv/cgisetup-fallback-test3
for d in "$D1" "$D2" "$D3"; do
	[ -e "$d" ] && skip_all "'$d' exists on this host (a killed earlier run?): remove it first"
done
PIDFILE=$(. /etc/apache2/envvars >/dev/null 2>&1; echo "${APACHE_PID_FILE:-}")
PIDFILE=${PIDFILE:-/var/run/apache2/apache2.pid}

# The PID of this host's Apache, from its PidFile: alive (not a zombie),
# an apache2, and in our PID namespace (the rig's containers run Apaches
# too, visible from here).
host_apache_pid() {
	local pid st
	pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = apache2 ] || return 1
	st=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null) || return 1
	[ "$st" != Z ] && [ "$st" != X ] || return 1
	[ "$(readlink "/proc/$pid/ns/pid")" = "$(readlink /proc/self/ns/pid)" ] || return 1
	echo "$pid"
}

host_stop_apache() {
	local pid i
	pid=$(host_apache_pid) || return 0
	"$CTL" stop >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 300); do
		host_apache_pid >/dev/null || return 0
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null || true
}

was_running=no
host_apache_pid >/dev/null && was_running=yes
# What cgisetup writes on this host besides the CGI directories: Apache's
# configuration and its own journal (present or not before).
SAVED=(/etc/apache2 /var/lib/cgisetup)
BK=$TMPD/backup
mkdir -p "$BK"
for p in "${SAVED[@]}"; do
	b=$BK/${p//\//_}
	if [ -e "$p" ]; then
		cp -a "$p" "$b" || bail "cannot back up $p"
	else
		touch "$b.absent"
	fi
done
echo "# ${SAVED[*]} backed up in $BK (Apache was running before: $was_running)"
snap_saved() {
	local p
	for p in "${SAVED[@]}"; do
		echo "== $p"
		h_snapshot "$p"
		h_mtimes "$p"
	done
}
saved0=$(snap_saved)
srv0=$(h_snapshot /srv)

# Idempotent; also the exit trap's. Each saved path is replaced whole by
# its copy (moved aside first, so a failed copy loses nothing).
restore_host() {
	local p b
	[ -e "$BK/done" ] && return 0
	host_stop_apache
	for p in "${SAVED[@]}"; do
		b=$BK/${p//\//_}
		rm -rf "$p.cgisetup-test-old"
		if [ -e "$b.absent" ]; then
			rm -rf "$p"
		elif [ -e "$b" ]; then
			{ [ ! -e "$p" ] || mv "$p" "$p.cgisetup-test-old"; } &&
				cp -a "$b" "$p" && rm -rf "$p.cgisetup-test-old"
		fi
	done
	rm -rf "$D1" "$D2" "$D3"
	if [ "$was_running" = yes ]; then
		"$CTL" start >/dev/null 2>&1 || true
	fi
	touch "$BK/done"
}
sys_on_exit restore_host

host_stop_apache
ok "the host's Apache is stopped before the run" not host_apache_pid

# ---- Apache stopped: apache2ctl start ----
"$CGISETUP" --dir "$D1" --yes --json </dev/null >"$TMPD/1.json" 2>"$TMPD/1.err"
is_rc "stopped: exit 0" 0 $? "$TMPD/1.json" "$TMPD/1.err"
is "stopped: status" applied "$(jget status "$TMPD/1.json")"
is "stopped: restart.via_systemd" false "$(jget restart.via_systemd "$TMPD/1.json")"
ok "stopped: restart.how runs apache2ctl" contains "$(jget restart.how "$TMPD/1.json")" apache2ctl
is "stopped: restart.how" "$CTL start" "$(jget restart.how "$TMPD/1.json")"
is "stopped: restart.job" start "$(jget restart.job "$TMPD/1.json")"
is "stopped: restart.was_running" false "$(jget restart.was_running "$TMPD/1.json")"
pid1=$(host_apache_pid)
ok "stopped: Apache runs afterwards" test -n "$pid1"
is "stopped: restart.main_pid_after is the PidFile's" "$pid1" "$(jget restart.main_pid_after "$TMPD/1.json")"
is "stopped: verify.verdict" ran "$(jget verify.verdict "$TMPD/1.json")"
url1=http://127.0.0.1/cgisetup-fallback-test/hello.py
is "stopped: curl HTTP 200" 200 "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url1")"
ok "stopped: curl gets the script's output" contains "$(curl -s --max-time 5 "$url1")" "$PROOF"

# ---- Apache running, module already loaded: apache2ctl graceful ----
"$CGISETUP" --dir "$D2" --yes --json </dev/null >"$TMPD/2.json" 2>"$TMPD/2.err"
is_rc "running: exit 0" 0 $? "$TMPD/2.json" "$TMPD/2.err"
is "running: restart.via_systemd" false "$(jget restart.via_systemd "$TMPD/2.json")"
is "running: restart.how" "$CTL graceful" "$(jget restart.how "$TMPD/2.json")"
is "running: restart.was_running" true "$(jget restart.was_running "$TMPD/2.json")"
is "running: restart.main_pid_before" "$pid1" "$(jget restart.main_pid_before "$TMPD/2.json")"
is "running: the graceful reload keeps the parent" "$pid1" "$(host_apache_pid)"
is "running: verify.verdict" ran "$(jget verify.verdict "$TMPD/2.json")"
url2=http://127.0.0.1/cgisetup-fallback-test2/hello.py
ok "running: curl gets the second script's output" contains "$(curl -s --max-time 5 "$url2")" "$PROOF"
ok "running: the first script still runs" contains "$(curl -s --max-time 5 "$url1")" "$PROOF"

# ---- re-run: nothing restarted ----
etc2=$(h_snapshot /etc/apache2)
"$CGISETUP" --dir "$D1" --yes </dev/null >"$TMPD/3.out" 2>&1
is_rc "re-run: exit 0" 0 $? "$TMPD/3.out"
ok "re-run: already configured" grep -q "already configured" "$TMPD/3.out"
is "re-run: same Apache PID" "$pid1" "$(host_apache_pid)"
is "re-run: /etc/apache2 byte-identical" "$etc2" "$(h_snapshot /etc/apache2)"

# ---- --no-restart: nothing restarted, and advice that works here ----
"$CGISETUP" --dir "$D3" --yes --no-restart </dev/null >"$TMPD/4.out" 2>&1
is_rc "no-restart: exit 0" 0 $? "$TMPD/4.out"
is "no-restart: same Apache PID" "$pid1" "$(host_apache_pid)"
advice=$(sed -n "s/.*activate it with '\([^']*\)'.*/\1/p" "$TMPD/4.out")
ok "no-restart: says what to run" test -n "$advice"
case $advice in
*apache2ctl*) uses_ctl=yes ;;
*) uses_ctl="no: '$advice'" ;;
esac
is "no-restart: the advice is apache2ctl's (no systemd here)" yes "$uses_ctl"

# ---- the host as it was ----
restore_host
is "host: ${SAVED[*]} restored exactly (bytes, modes, owners, links, mtimes)" \
	"$saved0" "$(snap_saved)"
is "host: /srv as it was" "$srv0" "$(h_snapshot /srv)"
if [ "$was_running" = yes ]; then
	ok "host: Apache runs again, as before" host_apache_pid
else
	ok "host: Apache stopped again, as before" not host_apache_pid
fi
done_testing
