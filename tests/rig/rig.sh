#!/usr/bin/env bash
# rig.sh - the system-test rig: a real systemd (PID 1 of a systemd-nspawn
# container booted from a Debian bookworm rootfs) managing a real
# apache2.service, on a host whose own PID 1 is not systemd.
#
# Usage (as root)
#   rig.sh setup                               build the cached rootfs (once)
#   rig.sh start NAME [--bind-ro HOST:CONT]... boot NAME, wait for apache 200
#   rig.sh start NAME --no-boot [--bind-ro ..] a container with no systemd (and
#                                              no Apache running): PID 1 is a
#                                              bash that reaps; for the
#                                              no-systemd fallback (apache2ctl)
#   rig.sh exec NAME -- CMD [ARG]...           run CMD inside NAME; stdio and
#                                              exit status pass through
#   rig.sh stop NAME                           throw NAME away (SIGKILL)
#   rig.sh stop-all                            throw every rig container away
#   rig.sh leader NAME                         print the host PID of NAME's PID 1
#
# Measured on this Debian 12 VM (2 vCPU, PID 1 not systemd, cgroup hybrid):
#   setup, first build (mmdebstrap, 3 suites)   21 s, rootfs 307 MB
#   setup, cached (stamp unchanged)             0.015 s
#   start, until apache answers 200             0.31-0.35 s (two in parallel: 0.44 s)
#   exec (nsenter + env)                        ~16 ms
#   RestartUnit apache2.service until JobRemoved 70-100 ms
#   stop (SIGKILL to the container's PID 1)     ~80 ms
#
# Environment
#   CGISETUP_RIG_CACHE         (/var/cache/cgisetup-rig) rootfs + stamp live here
#   CGISETUP_RIG_STATE         (/run/cgisetup-rig) per-container pid files, console logs
#   CGISETUP_RIG_EXTRA_PACKAGES ("") more comma-separated packages for the rootfs
#   CGISETUP_RIG_TIMEOUT       (60) seconds allowed for one boot
#   CGISETUP_RIG_VERBOSE       (0) 1: report timings on stderr
#
# Why it is built the way it is (each point was found on these VMs; see
# shared/reference/real-systemd-harness.md):
# - There is no host systemd, so nspawn runs with --register=no --keep-unit
#   and creates its "payload"/"supervisor" cgroups below the cgroup it was
#   started from. Two containers started from one cgroup fight over those,
#   so each container is started from a cgroup of its own.
# - SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 shows the container a pure cgroup v2
#   tree, like a real Debian 12 host, whatever the host's hybrid mix is.
# - The rootfs is never written at run time: --volatile=overlay puts a tmpfs
#   over it, so any number of containers share it and a stop is a SIGKILL.
# - machinectl/systemd-run -M need a host machined: commands enter through
#   nsenter into the namespaces of the container's PID 1 instead.
# - systemctl fails at once until PID 1 listens on its private socket, hence
#   the retry loop around "is-system-running --wait".
# - The host's PID 1 reaps orphans late: a dead nspawn stays a zombie for a
#   while, so liveness is read from /proc/PID/stat, not from kill -0.
# - --no-boot is nspawn without -b and without --as-pid2: Debian's
#   apache2ctl hands over to systemctl whenever `readlink -f /proc/1/exe`
#   contains "systemd", which nspawn's stub init (/usr/bin/systemd-nspawn)
#   does. PID 1 is a bash loop instead: it reaps the orphans Apache's
#   daemonising leaves, as any init does. /run is an empty tmpfs there and
#   nothing plays systemd-tmpfiles, so the payload first creates /run/lock
#   (apache2ctl makes its lock directory in /var/lock, a link to it), as a
#   sysvinit boot would; its existence is the readiness signal. nspawn
#   brings up lo itself, so curl reaches 127.0.0.1.
# - Apache's default start limit (5 in 10 s) trips tests that restart it in a
#   row (Result=start-limit-hit): the image turns it off in a drop-in.
set -euo pipefail

RIG_CACHE=${CGISETUP_RIG_CACHE:-/var/cache/cgisetup-rig}
RIG_STATE=${CGISETUP_RIG_STATE:-/run/cgisetup-rig}
RIG_TIMEOUT=${CGISETUP_RIG_TIMEOUT:-60}
RIG_VERBOSE=${CGISETUP_RIG_VERBOSE:-0}
ROOTFS=$RIG_CACHE/rootfs
STAMP=$RIG_CACHE/rootfs.stamp
SUITE=bookworm
HOSTNAME_IN=cgisetup-rig
CGROUP_PREFIX=cgisetup-rig-
INNER_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Bump when configure_rootfs changes, so that the cached rootfs is rebuilt.
RECIPE=1

# libsystemd0 comes with systemd; libcurl4 is what libcurl4-openssl-dev
# links against; curl, iproute2 and procps are for readiness and debugging.
PACKAGES=systemd,systemd-sysv,dbus,apache2,python3,libaugeas0,augeas-lenses
PACKAGES+=,libncursesw6,libcurl4,curl,iproute2,procps
if [ -n "${CGISETUP_RIG_EXTRA_PACKAGES:-}" ]; then
	PACKAGES+=,$CGISETUP_RIG_EXTRA_PACKAGES
fi

die() { printf 'rig: %s\n' "$*" >&2; exit 1; }
note() { [ "$RIG_VERBOSE" = 1 ] && printf 'rig: %s\n' "$*" >&2; return 0; }
need_root() { [ "$(id -u)" = 0 ] || die "must be run as root"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

check_name() {
	[[ ${1:-} =~ ^[A-Za-z0-9][A-Za-z0-9-]{0,40}$ ]] ||
		die "bad container name '${1:-}' (letters, digits and '-'; it becomes the machine name)"
}

# ---------------------------------------------------------------- setup

# The mirrors this host's apt uses, so that the rootfs gets exactly the
# library versions the host builds against. Reads deb822 .sources files and
# one-line .list files; falls back to deb.debian.org.
host_mirror() {  # $1 = suite to look for, $2 = fallback URI
	local uri
	uri=$(awk -v s="$1" '
		/^[ \t]*#/ { next }
		/^URIs:/ { u = $2 }
		/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s && u != "") { print u; exit } }
		/^$/ { u = "" }
		' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
	if [ -z "$uri" ]; then
		uri=$(awk -v s="$1" '$1 == "deb" && $3 == s { print $2; exit }' \
			/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
	fi
	echo "${uri:-$2}"
}

install_host_tools() {
	local missing=()
	command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
	command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
	command -v nsenter >/dev/null || missing+=(util-linux)
	[ ${#missing[@]} -eq 0 ] && return 0
	apt-get -o DPkg::Lock::Timeout=300 update -qq
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 \
		install -y -qq "${missing[@]}" >/dev/null
}

# Everything the image needs beyond the packages. Runs on the fresh tree,
# before it replaces the cached one.
configure_rootfs() {  # $1 = rootfs
	local r=$1 u
	# Empty (not missing): systemd then makes up a new id on every boot, so
	# containers booted from one image do not share a machine id.
	: > "$r/etc/machine-id"
	rm -f "$r/var/lib/dbus/machine-id"
	# A hostname that resolves, or Apache logs AH00557 at every start.
	echo "$HOSTNAME_IN" > "$r/etc/hostname"
	printf '%s\n' "127.0.0.1	localhost" "127.0.1.1	$HOSTNAME_IN" \
		"::1	localhost ip6-localhost ip6-loopback" > "$r/etc/hosts"
	mkdir -p "$r/etc/systemd/system/apache2.service.d"
	printf '%s\n' "# cgisetup rig: tests restart apache many times in a row" \
		"[Unit]" "StartLimitIntervalSec=0" \
		> "$r/etc/systemd/system/apache2.service.d/90-cgisetup-rig.conf"
	# Timers and gettys only cost boot time in a throw-away container.
	for u in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
		e2scrub_all.timer e2scrub_reap.service systemd-tmpfiles-clean.timer \
		console-getty.service getty@.service; do
		ln -sfn /dev/null "$r/etc/systemd/system/$u"
	done
	rm -f "$r"/var/cache/apt/archives/*.deb
}

stamp_text() {  # $1 main mirror, $2 security mirror
	printf 'recipe=%s\nsuite=%s\nmirror=%s\nsecurity=%s\npackages=%s\n' \
		"$RECIPE" "$SUITE" "$1" "$2" "$PACKAGES"
}

build_rootfs() {  # $1 main mirror, $2 security mirror, $3 stamp text
	local new=$RIG_CACHE/rootfs.new log=$RIG_CACHE/build.log t0
	t0=$(now_ms)
	rm -rf "$new" "$RIG_CACHE/rootfs.old"
	if ! mmdebstrap --mode=root --variant=minbase --include="$PACKAGES" \
		"$SUITE" "$new" \
		"deb $1 $SUITE main" "deb $1 $SUITE-updates main" \
		"deb $2 $SUITE-security main" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		rm -rf "$new"
		die "mmdebstrap failed (full log: $log)"
	fi
	configure_rootfs "$new"
	# Swap in the finished tree only now: a failed or interrupted build
	# never leaves a half rootfs behind a valid stamp.
	rm -f "$STAMP"
	[ -d "$ROOTFS" ] && mv "$ROOTFS" "$RIG_CACHE/rootfs.old"
	mv "$new" "$ROOTFS"
	rm -rf "$RIG_CACHE/rootfs.old"
	printf '%s' "$3" > "$STAMP"
	note "rootfs built in $(( $(now_ms) - t0 )) ms ($(du -sh "$ROOTFS" | cut -f1))"
}

cmd_setup() {
	local main sec want n
	need_root
	[ $# -eq 0 ] || die "usage: rig.sh setup"
	install_host_tools
	mkdir -p "$RIG_CACHE"
	main=$(host_mirror "$SUITE" http://deb.debian.org/debian)
	sec=$(host_mirror "$SUITE-security" http://deb.debian.org/debian-security)
	want=$(stamp_text "$main" "$sec")
	# Serialise parallel setups (several test jobs starting at once).
	exec 9>"$RIG_CACHE/lock"
	flock 9
	if [ -x "$ROOTFS/lib/systemd/systemd" ] && [ -f "$STAMP" ] &&
		[ "$(cat "$STAMP")" = "$want" ]; then
		return 0
	fi
	# Running containers have the old tree as their overlay's lower layer.
	for n in $(running_names); do
		[ "$(cat "$(state_dir "$n")/rootfs" 2>/dev/null)" = "$ROOTFS" ] &&
			die "container '$n' runs on the old rootfs; run: rig.sh stop-all"
	done
	build_rootfs "$main" "$sec" "$want"
}

# ---------------------------------------------------------------- state

state_dir() { echo "$RIG_STATE/$1"; }

# Running, not a zombie: after rig.sh exits, nspawn belongs to a PID 1 that
# reaps late, and kill -0 succeeds on a zombie.
alive() {
	local st
	st=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

ppid_of() { awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$1/stat" 2>/dev/null; }

# The host PID of NAME's systemd-nspawn, checked against PID reuse.
nspawn_pid() {
	local f np
	f=$(state_dir "$1")/nspawn.pid
	[ -s "$f" ] || return 1
	np=$(<"$f")
	[ "$(cat "/proc/$np/comm" 2>/dev/null)" = systemd-nspawn ] && alive "$np" || return 1
	echo "$np"
}

# What the container's PID 1 is called: systemd when booted, nspawn's stub
# init with --no-boot (recorded by start).
leader_comm() {  # $1 name
	cat "$(state_dir "$1")/leader.comm" 2>/dev/null || echo systemd
}

# The container's PID 1 is the child of nspawn that has exec'd systemd (or
# become the stub init); before that its namespaces are not complete yet.
find_leader() {  # $1 nspawn pid, $2 comm of PID 1
	local np=$1 c kids=()
	read -ra kids 2>/dev/null <"/proc/$np/task/$np/children" || true
	for c in "${kids[@]}"; do
		if [ "$(cat "/proc/$c/comm" 2>/dev/null)" = "$2" ]; then
			echo "$c"
			return 0
		fi
	done
	return 1
}

# The recorded leader, still the systemd child of our nspawn.
leader_pid() {
	local f np l
	np=$(nspawn_pid "$1") || return 1
	f=$(state_dir "$1")/leader.pid
	[ -s "$f" ] || return 1
	l=$(<"$f")
	[ "$(ppid_of "$l")" = "$np" ] && [ "$(cat "/proc/$l/comm" 2>/dev/null)" = "$(leader_comm "$1")" ] ||
		return 1
	echo "$l"
}

running_names() {
	local d
	for d in "$RIG_STATE"/*/; do
		[ -d "$d" ] || continue
		d=${d%/}
		nspawn_pid "${d##*/}" >/dev/null && echo "${d##*/}"
	done
	return 0
}

inside() {  # $1 leader, rest: command
	local l=$1
	shift
	nsenter -t "$l" -a -- env -i PATH="$INNER_PATH" HOME=/root LANG=C.UTF-8 "$@"
}

# ---------------------------------------------------------------- cgroups

# hybrid: name=systemd v1 + v2 at .../unified; pure v2: /sys/fs/cgroup.
cgroup_roots() {
	if [ -d /sys/fs/cgroup/unified ]; then
		echo /sys/fs/cgroup/systemd /sys/fs/cgroup/unified
	elif [ -e /sys/fs/cgroup/cgroup.controllers ]; then
		echo /sys/fs/cgroup
	else
		echo /sys/fs/cgroup/systemd
	fi
}

enter_cgroup() {  # $1 name; moves the calling (sub)shell
	local h
	for h in $(cgroup_roots); do
		[ -e "$h/cgroup.procs" ] || continue
		mkdir -p "$h/$CGROUP_PREFIX$1"
		echo "$BASHPID" > "$h/$CGROUP_PREFIX$1/cgroup.procs"
	done
}

# Kill whatever is left in NAME's cgroups, then remove them leaf first.
# v2 has cgroup.kill (kernel >= 5.14); the v1 name=systemd tree does not,
# and its directories only go once their processes are reaped, hence the
# retries.
drop_cgroup() {  # $1 name
	local h g p left
	for h in $(cgroup_roots); do
		g=$h/$CGROUP_PREFIX$1
		[ -d "$g" ] || continue
		if [ -e "$g/cgroup.kill" ]; then
			echo 1 > "$g/cgroup.kill" 2>/dev/null || true
		else
			find "$g" -name cgroup.procs -exec cat {} + 2>/dev/null |
				while read -r p; do kill -KILL "$p" 2>/dev/null || true; done
		fi
	done
	for _ in $(seq 100); do
		left=0
		for h in $(cgroup_roots); do
			g=$h/$CGROUP_PREFIX$1
			[ -d "$g" ] || continue
			find "$g" -depth -type d -exec rmdir {} + 2>/dev/null || true
			[ -d "$g" ] && left=1
		done
		[ $left = 0 ] && return 0
		sleep 0.02
	done
	echo "rig: cgroup '$CGROUP_PREFIX$1' is still busy" >&2
}

# ---------------------------------------------------------------- start

# Wait, within DEADLINE (epoch seconds), for PID 1, for the end of the boot
# transaction and for Apache's 200; record the leader in the state dir.
wait_ready() {  # $1 name, $2 nspawn pid, $3 deadline
	local name=$1 np=$2 deadline=$3 l st code
	until l=$(find_leader "$np" systemd); do
		alive "$np" || { echo "rig: nspawn exited during boot" >&2; return 1; }
		[ "$(date +%s)" -lt "$deadline" ] || { echo "rig: no PID 1" >&2; return 1; }
		sleep 0.02
	done
	echo "$l" > "$(state_dir "$name")/leader.pid"
	while :; do
		st=$(timeout 10 nsenter -t "$l" -a -- env -i PATH="$INNER_PATH" \
			systemctl is-system-running --wait 2>/dev/null) || true
		case $st in running | degraded) break ;; esac
		alive "$np" || { echo "rig: nspawn exited during boot" >&2; return 1; }
		[ "$(date +%s)" -lt "$deadline" ] ||
			{ echo "rig: boot did not finish (state '$st')" >&2; return 1; }
		sleep 0.05
	done
	[ "$st" = running ] || inside "$l" systemctl --failed --no-pager >&2 || true
	while :; do
		code=$(inside "$l" curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
			http://127.0.0.1/ 2>/dev/null) || true
		[ "$code" = 200 ] && break
		[ "$(date +%s)" -lt "$deadline" ] ||
			{ echo "rig: apache answers '$code', not 200" >&2; return 1; }
		sleep 0.05
	done
}

# --no-boot: wait for the stub init and for the payload's /run/lock.
wait_ready_noboot() {  # $1 name, $2 nspawn pid, $3 deadline
	local name=$1 np=$2 deadline=$3 l
	until l=$(find_leader "$np" "$NOBOOT_COMM"); do
		alive "$np" || { echo "rig: nspawn exited during start" >&2; return 1; }
		[ "$(date +%s)" -lt "$deadline" ] || { echo "rig: no PID 1" >&2; return 1; }
		sleep 0.02
	done
	echo "$l" > "$(state_dir "$name")/leader.pid"
	until inside "$l" test -d /run/lock 2>/dev/null; do
		alive "$np" || { echo "rig: nspawn exited during start" >&2; return 1; }
		[ "$(date +%s)" -lt "$deadline" ] ||
			{ echo "rig: the payload did not create /run/lock" >&2; return 1; }
		sleep 0.02
	done
}

NOBOOT_COMM=bash
NOBOOT_PAYLOAD=(/bin/bash -c 'mkdir -p -m 1777 /run/lock || exit 1
	while :; do sleep 3600 & wait; done')

cmd_start() {
	local name=${1:-} d np t0 args binds=() boot=yes
	need_root
	check_name "$name"
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--bind-ro) [ $# -ge 2 ] || die "--bind-ro needs HOST:CONT"; binds+=("$2"); shift 2 ;;
		--bind-ro=*) binds+=("${1#--bind-ro=}"); shift ;;
		--no-boot) boot=no; shift ;;
		*) die "usage: rig.sh start NAME [--no-boot] [--bind-ro HOST:CONT]..." ;;
		esac
	done
	[ -f "$STAMP" ] || die "no rootfs; run: rig.sh setup"
	args=(--quiet -D "$ROOTFS" --machine="$name" --hostname="$HOSTNAME_IN"
		--register=no --keep-unit --volatile=overlay --private-network
		--console=read-only --link-journal=no --resolv-conf=off --timezone=off)
	local b
	for b in "${binds[@]}"; do
		[ -e "${b%%:*}" ] || die "cannot bind '${b%%:*}': no such file or directory"
		args+=("--bind-ro=$b")
	done
	if [ "$boot" = yes ]; then
		args=(-b "${args[@]}")
	else
		args+=(-- "${NOBOOT_PAYLOAD[@]}")
	fi

	d=$(state_dir "$name")
	mkdir -p "$d"
	exec 9>"$d/lock"
	flock -n 9 || die "container '$name' is being started or stopped"
	nspawn_pid "$name" >/dev/null && die "container '$name' is already running"
	drop_cgroup "$name"
	rm -f "$d/nspawn.pid" "$d/leader.pid" "$d/rootfs" "$d/console.log"
	if [ "$boot" = yes ]; then
		echo systemd > "$d/leader.comm"
	else
		echo "$NOBOOT_COMM" > "$d/leader.comm"
	fi

	t0=$(now_ms)
	(
		enter_cgroup "$name"
		export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1
		# Our lock fd must not live as long as the container.
		exec 9>&-
		# New session: the caller's terminal signals do not reach it.
		# setsid(1) does not fork here (a subshell of a script is no
		# process group leader), so $! is nspawn itself.
		exec setsid systemd-nspawn "${args[@]}" </dev/null >"$d/console.log" 2>&1
	) &
	np=$!
	# Not our job any more: no "Killed" notice when a failed start kills it.
	disown "$np"
	echo "$np" > "$d/nspawn.pid"
	echo "$ROOTFS" > "$d/rootfs"
	local ready=wait_ready
	[ "$boot" = yes ] || ready=wait_ready_noboot
	if ! "$ready" "$name" "$np" $(( $(date +%s) + RIG_TIMEOUT )) >/dev/null; then
		echo "rig: console of '$name':" >&2
		tail -n 30 "$d/console.log" >&2 2>/dev/null || true
		stop_one "$name"
		die "container '$name' did not come up"
	fi
	note "$name up in $(( $(now_ms) - t0 )) ms (leader $(<"$d/leader.pid"))"
}

# ---------------------------------------------------------------- exec

cmd_exec() {
	local name=${1:-} l
	need_root
	check_name "$name"
	shift
	[ "${1:-}" = -- ] || die "usage: rig.sh exec NAME -- CMD [ARG]..."
	shift
	[ $# -gt 0 ] || die "usage: rig.sh exec NAME -- CMD [ARG]..."
	l=$(leader_pid "$name") || die "container '$name' is not running"
	# -a: every namespace of PID 1 (mount, pid, net, uts, ipc, cgroup);
	# env -i: none of the host's environment leaks in.
	exec nsenter -t "$l" -a -- env -i PATH="$INNER_PATH" HOME=/root LANG=C.UTF-8 \
		TERM="${TERM:-dumb}" container=systemd-nspawn "$@"
}

# ---------------------------------------------------------------- stop

# Throw-away stop: SIGKILL to the container's PID 1 ends its whole PID
# namespace, and nspawn exits after it. Nothing needs a clean shutdown:
# all writes went to the tmpfs overlay.
stop_one() {  # $1 name
	local name=$1 d np l
	d=$(state_dir "$name")
	if np=$(nspawn_pid "$name"); then
		l=$(find_leader "$np" "$(leader_comm "$name")") || l=""
		if [ -n "$l" ]; then
			kill -KILL "$l" 2>/dev/null || true
		else
			kill -KILL "$np" 2>/dev/null || true
		fi
		for _ in $(seq 250); do
			alive "$np" || break
			sleep 0.02
		done
		if alive "$np"; then
			kill -KILL "$np" 2>/dev/null || true
		fi
	fi
	drop_cgroup "$name"
	rm -rf "$d"
}

cmd_stop() {
	need_root
	check_name "${1:-}"
	stop_one "$1"
}

cmd_stop_all() {
	local d h n
	need_root
	{
		for d in "$RIG_STATE"/*/; do
			[ -d "$d" ] && d=${d%/} && echo "${d##*/}"
		done
		for h in $(cgroup_roots); do
			for d in "$h/$CGROUP_PREFIX"*/; do
				[ -d "$d" ] && d=${d%/} && echo "${d##*/"$CGROUP_PREFIX"}"
			done
		done
	} | sort -u | while read -r n; do
		stop_one "$n"
	done
}

cmd_leader() {
	check_name "${1:-}"
	leader_pid "$1" || die "container '$1' is not running"
}

usage() {
	sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0" >&2
	exit 2
}

case ${1:-} in
setup) shift; cmd_setup "$@" ;;
start) shift; cmd_start "$@" ;;
exec) shift; cmd_exec "$@" ;;
stop) shift; cmd_stop "$@" ;;
stop-all) shift; cmd_stop_all ;;
leader) shift; cmd_leader "$@" ;;
*) usage ;;
esac
