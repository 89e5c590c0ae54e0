#!/bin/bash
# bench/tail.sh - the slow tail of an apply on mpm_event (issue 14, part 3):
# one rig container (a real systemd managing a real apache2.service), N
# cycles of `cgisetup --dir /srv/cgi --yes` then `cgisetup --undo --yes`.
# The undo unloads mod_cgid again, so that every apply loads it: two
# graceful passes, the second starting mod_cgid's daemon, then the HTTP
# check. Prints p50, p90 and max of the applies (target: max <= 2 x p50)
# and of the undos, in milliseconds, taken inside the container. On demand
# as root, never part of make check.
#
# Environment: BENCH_CYCLES (30), CGISETUP, TOP_SRCDIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${TOP_SRCDIR:=$(cd "$here/.." && pwd)}"
: "${CGISETUP:=$TOP_SRCDIR/cgisetup}"
RIG=$TOP_SRCDIR/tests/rig/rig.sh
CYCLES=${BENCH_CYCLES:-30}
BUILD=$(cd "$(dirname "$CGISETUP")" && pwd)
MNT=/opt/cgisetup
IN_CGISETUP=$MNT/$(basename "$CGISETUP")

# shellcheck source=lib.sh
. "$here/lib.sh"

# One timed run inside the container: prints its milliseconds.
TIMED='t0=$EPOCHREALTIME
"$@" >/tmp/bench.out 2>&1 || { cat /tmp/bench.out >&2; exit 1; }
t1=$EPOCHREALTIME
echo $(( (${t1/./} - ${t0/./}) / 1000 ))'

# stats FILE: p50 p90 max of the numbers in FILE (nearest rank).
stats() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		p50 = v[int((NR * 50 + 99) / 100)]; p90 = v[int((NR * 90 + 99) / 100)]
		printf "p50 %d ms, p90 %d ms, max %d ms (max/p50 %.2f)\n", p50, p90, v[NR], v[NR] / p50 }'
}

c=cgs-bench-tail-$$
start "$c"
: >"$TMP/apply" && : >"$TMP/undo"
for ((i = 1; i <= CYCLES; i++)); do
	in_c "$c" bash -c "$TIMED" _ "$IN_CGISETUP" --dir /srv/cgi --yes >>"$TMP/apply" ||
		die "apply $i failed"
	in_c "$c" grep -q "verified:" /tmp/bench.out || die "apply $i: not verified"
	in_c "$c" bash -c "$TIMED" _ "$IN_CGISETUP" --undo --yes >>"$TMP/undo" ||
		die "undo $i failed"
done
echo "apply x$CYCLES (mod_cgid loaded each time, mpm_event): $(stats "$TMP/apply")"
echo "undo  x$CYCLES: $(stats "$TMP/undo")"
echo "applies: $(tr '\n' ' ' <"$TMP/apply")"
