# shellcheck shell=bash
# common.sh - helpers for the system tests: the freshly built cgisetup run
# inside throw-away rig containers (tests/rig/rig.sh: a real systemd as
# PID 1 managing a real apache2.service), one fresh container per case.
#
# Source it from a test script instead of lib.sh (it sources lib.sh), then
# call sys_require once; it skips the whole script (TAP "1..0 # SKIP") when
# not root or when the rig cannot be set up, and otherwise the tests run.
#
#	sys_start c NAME                boot a fresh container (build dir bound
#	                                read-only) and set $c to its name
#	sys_start c NAME --no-boot      the same without systemd: PID 1 is a
#	                                shell, Apache is not running; for the
#	                                apache2ctl fallback
#	in_c "$c" CMD [ARG]...          run CMD inside it (stdio, exit status)
#	cgs "$c" [ARG]...               run the bound cgisetup inside it (a
#	                                --json document is kept, and checked
#	                                against its schema by done_testing)
#	c_snapshot "$c" DIR             entries, modes, owners, link targets and
#	                                sha256 of DIR's files ("absent" if none)
#	c_mtimes "$c" DIR               mtimes of DIR's entries
#	c_apache_pid "$c"               the PID in Apache's PidFile, when that
#	                                process is a live apache2
#	c_unit "$c" PROP                systemctl show -p PROP --value apache2
#	c_generations "$c"              how often Apache (re)loaded its config
#	c_code "$c" URL                 HTTP status code from curl inside
#	c_body "$c" URL                 body from curl inside
#
# Containers are stopped when the script exits (any way it exits).
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

RIG=${CGISETUP_RIG:-$TOP_SRCDIR/tests/rig/rig.sh}
# The build dir is where the binary is (it differs from TOP_SRCDIR in a
# VPATH build); it is bound read-only at SYS_MNT inside each container.
SYS_BUILD=$(cd "$(dirname "$CGISETUP")" 2>/dev/null && pwd)
SYS_MNT=/opt/cgisetup
IN_CGISETUP=$SYS_MNT/$(basename "$CGISETUP")
PROOF=cgisetup-ran-42042
SYS_NAMES=()
SYS_CLEANUPS=()

sys_cleanup() {
	local n f
	for f in "${SYS_CLEANUPS[@]}"; do
		"$f" || true
	done
	for n in "${SYS_NAMES[@]}"; do
		"$RIG" stop "$n" >/dev/null 2>&1 || true
	done
	rm -rf "$TMPD"
}
trap sys_cleanup EXIT
trap 'exit 130' INT TERM HUP

# sys_on_exit FUNCTION: run FUNCTION at exit, before the containers go.
sys_on_exit() {
	SYS_CLEANUPS+=("$1")
}

bail() {
	echo "Bail out! $*"
	exit 1
}

# The preconditions shared by every script that boots containers.
sys_require() {
	[ "$(id -u)" = 0 ] || skip_all "not root: the system tests boot containers"
	[ -x "$RIG" ] || skip_all "no test rig at $RIG"
	[ -x "$CGISETUP" ] || bail "no cgisetup binary at $CGISETUP: build it first"
	if ! "$RIG" setup >"$TMPD/rig-setup.log" 2>&1; then
		skip_all "the rig cannot be set up: $(tail -n 1 "$TMPD/rig-setup.log")"
	fi
}

# sys_start VAR TAG [--no-boot]: boot a fresh container named after TAG
# and this process; set VAR to its name (not printed: a command
# substitution's subshell would lose the record the exit trap stops it
# from). A failed boot after a successful setup is an error, not a skip:
# the rig is supposed to work here. --no-boot: no systemd in it (see
# rig.sh), so cgisetup takes its fallback (apache2ctl + PidFile).
sys_start() {
	local name="cgs-$2-$$"
	SYS_NAMES+=("$name")
	printf -v "$1" %s "$name"
	shift 2
	if ! "$RIG" start "$name" "$@" --bind-ro "$SYS_BUILD:$SYS_MNT" >"$TMPD/start-$name.log" 2>&1; then
		sed 's/^/# /' "$TMPD/start-$name.log"
		bail "container '$name' did not boot"
	fi
}

in_c() {
	local c=$1
	shift
	"$RIG" exec "$c" -- "$@"
}

cgs() {
	local c=$1 mode=apply a f rc
	shift
	case " $* " in
	*" --json "*) ;;
	*)
		in_c "$c" "$IN_CGISETUP" "$@" </dev/null
		return
		;;
	esac
	for a in "$@"; do
		case $a in
		--undo) mode=undo ;;
		--status) mode=status ;;
		--check) mode=check ;;
		--detect) mode=detect ;;
		--dry-run) [ "$mode" = apply ] && mode=dry-run ;;
		esac
	done
	# Kept for sys_json_check (a file each: cgs may run in a subshell).
	f=$(mktemp --suffix=".$mode" "$TMPD/sys-json.XXXXXX")
	in_c "$c" "$IN_CGISETUP" "$@" </dev/null >"$f"
	rc=$?
	cat "$f"
	return "$rc"
}

# sys_json_check: every --json document cgs got, valid against the schema
# of its mode (schemas/); done_testing runs it. The system tests are where
# the restart and verify parts of the documents are filled.
sys_json_check() {
	local f
	for f in "$TMPD"/sys-json.*; do
		[ -e "$f" ] || continue
		json_valid "--json of a run (${f##*.}) is valid against its schema" "${f##*.}" "$f"
	done
}
eval "lib_$(declare -f done_testing)"
done_testing() {
	sys_json_check
	lib_done_testing
}

# Same format as lib.sh's snapshot (no directory sizes: they do not shrink
# back on every file system), plus owners; run inside the container.
SNAPSHOT_SH='cd "$1" 2>/dev/null || { echo absent; exit 0; }
	find . -printf "%y %m %u:%g %p %l\n" | LC_ALL=C sort
	find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum'
MTIMES_SH='cd "$1" 2>/dev/null || { echo absent; exit 0; }
	find . -printf "%T@ %p\n" | LC_ALL=C sort -k2'

c_snapshot() {
	in_c "$1" bash -c "$SNAPSHOT_SH" _ "$2"
}

c_mtimes() {
	in_c "$1" bash -c "$MTIMES_SH" _ "$2"
}

# Apache's PidFile (from envvars, as apache2ctl reads it) and the process
# it names, checked inside the container: alive (not a zombie) and an
# apache2, so a stale file does not count.
APACHE_PID_SH='. /etc/apache2/envvars >/dev/null 2>&1
	pid=$(cat "${APACHE_PID_FILE:-/run/apache2/apache2.pid}" 2>/dev/null) || exit 1
	case $pid in "" | *[!0-9]*) exit 1 ;; esac
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = apache2 ] || exit 1
	st=$(sed "s/^.*) //" "/proc/$pid/stat" 2>/dev/null | cut -d" " -f1)
	case $st in "" | Z | X) exit 1 ;; esac
	echo "$pid"'

c_apache_pid() {
	in_c "$1" sh -c "$APACHE_PID_SH"
}

c_unit() {
	in_c "$1" systemctl show -p "$2" --value apache2.service
}

# How many times Apache (re)read its configuration: AH00489 ("configured
# -- resuming normal operations") is logged at every start, restart and
# graceful reload. Unlike the InvocationID and the MainPID, it also counts
# the graceful reloads.
c_generations() {
	in_c "$1" grep -c AH00489 /var/log/apache2/error.log || true
}

c_code() {
	in_c "$1" curl -gs -o /dev/null -w '%{http_code}' --max-time 5 "$2" || true
}

c_body() {
	in_c "$1" curl -gs --max-time 5 "$2" || true
}

c_ctype() {
	in_c "$1" curl -s -o /dev/null -w '%{content_type}' --max-time 5 "$2" || true
}

# is_rc DESCRIPTION EXPECTED ACTUAL FILE...: an exit status as one result;
# on a mismatch the FILEs (the program's output) go to the TAP log.
is_rc() {
	local desc=$1 want=$2 got=$3
	shift 3
	is "$desc" "$want" "$got"
	if [ "$want" != "$got" ]; then
		local f
		for f in "$@"; do
			sed 's/^/# | /' "$f" | head -40
		done
	fi
}

# todo_is DESCRIPTION EXPECTED ACTUAL REASON: like is, for a known bug:
# "not ok ... # TODO REASON" counts as an expected failure; once the bug
# is fixed the result shows as XPASS, which fails make check, so that the
# marker goes when the fix comes.
todo_is() {
	tap_n=$((tap_n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $tap_n - $1 # TODO $4"
	else
		echo "not ok $tap_n - $1 # TODO $4"
		printf '# expected: %s\n# actual:   %s\n' "$2" "$3"
	fi
}

# jget KEY FILE: one value of a JSON document in FILE.
jget() {
	json_get "$1" <"$2" 2>/dev/null
}

# jlist KEY FILE: the items of a JSON list in FILE, one per line.
jlist() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[2]))
for k in sys.argv[1].split("."):
    d = d.get(k) if isinstance(d, dict) else None
for x in d or []:
    print(x)' "$1" "$2" 2>/dev/null
}

# How systemd is asked to do a job of restart.path / restart.job.
unit_method() {
	case $1 in
	start) echo StartUnit ;;
	reload) echo ReloadOrRestartUnit ;;
	restart) echo RestartUnit ;;
	*) echo "?" ;;
	esac
}

# not COMMAND...: succeeds when COMMAND fails (for ok).
not() {
	! "$@"
}

# has REGEX FILE: grep -q, showing FILE when it fails.
has() {
	grep -q -- "$1" "$2" && return 0
	echo "no match for '$1' in:"
	head -n 40 "$2"
	return 1
}

contains() {  # contains HAYSTACK NEEDLE
	case $1 in *"$2"*) return 0 ;; esac
	echo "no '$2' in:"
	printf '%s\n' "$1" | head -40
	return 1
}

# A reload that waits at a gate, so that a test can act while cgisetup is
# inside the activation (waiting for systemd's reload job) without guessing
# a time: c_gate_install adds a first ExecReload that marks
# /run/cgs-gate.reached and waits (30 s at most) for /run/cgs-gate.open,
# then Apache's own graceful reload runs as before. Every reload passes
# the gate once it is open; c_gate_close shuts it again. ($$: a literal $
# for systemd.)
c_gate_install() {
	in_c "$1" bash -c 'mkdir -p /etc/systemd/system/apache2.service.d &&
		cat >/etc/systemd/system/apache2.service.d/50-cgisetup-test-gate.conf <<-"UNIT"
		[Service]
		ExecReload=
		ExecReload=/bin/sh -c "touch /run/cgs-gate.reached; i=0; while [ ! -e /run/cgs-gate.open ] && [ $$i -lt 600 ]; do sleep 0.05; i=$$((i+1)); done"
		ExecReload=/usr/sbin/apachectl graceful
		UNIT
		systemctl daemon-reload && rm -f /run/cgs-gate.reached /run/cgs-gate.open'
}

c_gate_close() {
	in_c "$1" rm -f /run/cgs-gate.reached /run/cgs-gate.open
}

c_gate_open() {
	in_c "$1" touch /run/cgs-gate.open
}

# c_gate_wait C [SECS]: poll until a reload reached the gate.
c_gate_wait() {
	local i
	for ((i = 0; i < ${2:-30} * 20; i++)); do
		in_c "$1" test -e /run/cgs-gate.reached && return 0
		sleep 0.05
	done
	echo "no reload reached the gate in ${2:-30}s"
	return 1
}

# findings "$c" TARGET: --check TARGET --json, then one line per finding
# that is not ok: "ID | CAUSE | FIX"; the exit status in $TMPD/rc.
findings() {
	cgs "$1" --check "$2" --json >"$TMPD/check.json" 2>"$TMPD/check.err"
	echo $? >"$TMPD/rc"
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    if f["level"] != "ok":
        print("%s | %s | %s" % (f["id"], f["cause"], f["fix"]))' "$TMPD/check.json" >"$TMPD/found"
}
