#!/bin/bash
# bench/restart.sh - cgisetup's real-system cost, measured on the rig
# (tests/rig/rig.sh: a real systemd managing a real apache2.service), run
# on demand as root (never part of make check).
#
#   1. apply: `cgisetup --dir /srv/cgi --yes` against doing the same by hand
#      (a2enmod cgid; mkdir and write hello.py; the same Alias + <Directory>
#      block written to conf-enabled/ with a plain file write; apache2ctl
#      -t; systemctl restart apache2; curl the script until it runs).
#      Each round boots two fresh containers, one per side, and runs both
#      sides in turn (the order alternates between rounds), so that machine
#      noise hits both alike. Prints the medians and cgisetup/manual
#      (target: at most 1.3). Note that the sides differ in kind since
#      cgisetup activates without downtime (graceful reloads, a second one
#      for mod_cgid's daemon, each followed by an HTTP check), while the
#      manual side does one full restart.
#   2. re-run: `cgisetup --dir /srv/cgi --yes` on an already configured
#      system, many times in one container (target: median under 50 ms).
#
# Times are taken inside the container (bash's EPOCHREALTIME around the
# work itself), so entering the container costs neither side anything.
#
# Environment: BENCH_ROUNDS (7), BENCH_RERUNS (50), CGISETUP, TOP_SRCDIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${TOP_SRCDIR:=$(cd "$here/.." && pwd)}"
: "${CGISETUP:=$TOP_SRCDIR/cgisetup}"
RIG=$TOP_SRCDIR/tests/rig/rig.sh
ROUNDS=${BENCH_ROUNDS:-7}
RERUNS=${BENCH_RERUNS:-50}
BUILD=$(cd "$(dirname "$CGISETUP")" && pwd)
MNT=/opt/cgisetup
IN_CGISETUP=$MNT/$(basename "$CGISETUP")
PROOF=cgisetup-ran-42042

# shellcheck source=lib.sh
. "$here/lib.sh"

# Each side prints "MILLISECONDS" on success; anything else is a failure.
CGISETUP_SIDE='t0=$EPOCHREALTIME
"$1" --dir /srv/cgi --yes >/tmp/bench.out 2>&1 || { cat /tmp/bench.out >&2; exit 1; }
t1=$EPOCHREALTIME
grep -q "verified:" /tmp/bench.out || { cat /tmp/bench.out >&2; exit 1; }
echo $(( (${t1/./} - ${t0/./}) / 1000 ))'

# What a careful admin types, without cgisetup's detection, journal or
# rollback: the same files, the same test, the same restart, one proof.
MANUAL_SIDE='t0=$EPOCHREALTIME
a2enmod -q cgid >/dev/null
mkdir -p /srv/cgi
cat /tmp/bench-hello.py >/srv/cgi/hello.py
chmod 0755 /srv/cgi/hello.py
cat /tmp/bench-block.conf >/etc/apache2/conf-enabled/cgi-by-hand.conf
apache2ctl -t 2>/dev/null
systemctl restart apache2.service
for i in $(seq 500); do
	curl -s --max-time 2 http://127.0.0.1/cgi/hello.py | grep -q "$1" && break
	sleep 0.01
done
t1=$EPOCHREALTIME
curl -s http://127.0.0.1/cgi/hello.py | grep -q "$1" || exit 1
echo $(( (${t1/./} - ${t0/./}) / 1000 ))'

RERUN_SIDE='for i in $(seq "$2"); do
	t0=$EPOCHREALTIME
	"$1" --dir /srv/cgi --yes >/tmp/bench.out 2>&1 || { cat /tmp/bench.out >&2; exit 1; }
	t1=$EPOCHREALTIME
	grep -q "already configured" /tmp/bench.out || { cat /tmp/bench.out >&2; exit 1; }
	echo $(( (${t1/./} - ${t0/./}) / 1000 ))
done'

stats() {  # stats LABEL < one number per line: median, min, max
	python3 -c 'import statistics, sys
v = [float(x) for x in sys.stdin.read().split()]
print("%-22s n=%-3d median %7.1f ms   min %7.1f   max %7.1f" % (sys.argv[1], len(v),
      statistics.median(v), min(v), max(v)))' "$1"
}

median() {
	python3 -c 'import statistics, sys
print(statistics.median(float(x) for x in sys.stdin.read().split()))'
}

# ---- what cgisetup writes, so that the manual side writes the same ----
prep=bench-prep-$$
start "$prep"
capture_block "$prep"
stop "$prep"
echo "bench: the block both sides write:"
sed 's/^/    /' "$TMP/block.conf"

# ---- 1. apply, side by side ----
echo "bench: $ROUNDS rounds, each on two fresh containers"
: >"$TMP/cgisetup.ms"
: >"$TMP/manual.ms"
run_side() {  # run_side SIDE CONTAINER
	local ms
	if [ "$1" = cgisetup ]; then
		ms=$(in_c "$2" bash -c "$CGISETUP_SIDE" _ "$IN_CGISETUP") || die "cgisetup side failed"
	else
		in_c "$2" bash -c 'cat >/tmp/bench-hello.py' <"$TMP/hello.py"
		in_c "$2" bash -c 'cat >/tmp/bench-block.conf' <"$TMP/block.conf"
		ms=$(in_c "$2" bash -c "$MANUAL_SIDE" _ "$PROOF") || die "manual side failed"
	fi
	echo "$ms" >>"$TMP/$1.ms"
	printf '  %-8s %6s ms' "$1" "$ms"
}
for r in $(seq "$ROUNDS"); do
	a=bench-a-$$-$r b=bench-m-$$-$r
	start "$a"
	start "$b"
	printf 'round %2d:' "$r"
	if [ $((r % 2)) = 1 ]; then
		run_side cgisetup "$a"
		run_side manual "$b"
	else
		run_side manual "$b"
		run_side cgisetup "$a"
	fi
	echo
	stop "$a"
	stop "$b"
done
stats "cgisetup --yes" <"$TMP/cgisetup.ms"
stats "by hand" <"$TMP/manual.ms"
mc=$(median <"$TMP/cgisetup.ms")
mm=$(median <"$TMP/manual.ms")
python3 -c 'import sys
r = float(sys.argv[1]) / float(sys.argv[2])
print("ratio cgisetup/by hand (medians): %.2f   (target <= 1.3: %s)" % (r, "met" if r <= 1.3 else "NOT met"))' \
	"$mc" "$mm"

# ---- 2. the no-change re-run ----
c=bench-rerun-$$
start "$c"
in_c "$c" "$IN_CGISETUP" --dir /srv/cgi --yes >/dev/null 2>&1 || die "cgisetup failed in '$c'"
in_c "$c" bash -c "$RERUN_SIDE" _ "$IN_CGISETUP" "$RERUNS" >"$TMP/rerun.ms" || die "re-run failed"
stats "re-run (no change)" <"$TMP/rerun.ms"
python3 -c 'import sys
m = float(sys.argv[1])
print("re-run median: %.1f ms   (target < 50 ms: %s)" % (m, "met" if m < 50 else "NOT met"))' \
	"$(median <"$TMP/rerun.ms")"
