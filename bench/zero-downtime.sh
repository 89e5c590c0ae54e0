#!/bin/bash
# bench/zero-downtime.sh - requests lost while CGI is turned on (and off)
# under live traffic, cgisetup against doing it by hand (issue 5). Run on
# demand as root, on the rig (tests/rig/rig.sh: a real systemd managing a
# real apache2.service); never part of make check.
#
# For each MPM (mpm_event, mpm_prefork), each change (apply, undo) and each
# round, two fresh containers, one per side. Inside each, ab hammers the
# default page (`ab -r -n BENCH_REQUESTS -c BENCH_CONCURRENCY
# http://127.0.0.1/`, run inside the container) and, BENCH_LEAD seconds
# after ab started, the change runs:
#   cgisetup  apply: `cgisetup --dir /srv/cgi --yes`
#             undo:  `cgisetup --undo` (after an apply made before the load)
#   by hand   apply: `a2enmod cgid` (cgi under prefork), the same hello.py,
#                    the same Alias + <Directory> block cgisetup writes (in
#                    conf-enabled/), `systemctl restart apache2`
#             undo:  `a2dismod`, remove the block and hello.py,
#                    `systemctl restart apache2` (after a by-hand apply)
# A run counts only when ab was still running when the change returned
# (otherwise it is repeated with twice the requests). ab's "Failed
# requests" (connect, receive, length, exceptions) and "Non-2xx responses"
# are summed per side. After each run the script must run (apply) or answer
# 404 (undo) on both sides, or the bench stops.
#
# ab comes with Debian's apache2 (apache2 depends on apache2-utils), so the
# rig's image has it. Should it not, the bench builds its own image with
# CGISETUP_RIG_EXTRA_PACKAGES=apache2-utils in a cache of its own
# (BENCH_RIG_CACHE), so that the shared rootfs the tests use is not rebuilt
# under them (rig.sh rebuilds its rootfs whenever the package list changes).
#
# Environment: BENCH_ROUNDS (3), BENCH_REQUESTS (40000), BENCH_CONCURRENCY
# (8), BENCH_LEAD (1, seconds of load before the change), BENCH_MPMS
# ("event prefork"), BENCH_RIG_CACHE (/var/cache/cgisetup-rig-bench),
# CGISETUP, TOP_SRCDIR.
# Exit status: 0 when cgisetup lost no request, 1 otherwise or on error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${TOP_SRCDIR:=$(cd "$here/.." && pwd)}"
: "${CGISETUP:=$TOP_SRCDIR/cgisetup}"
RIG=$TOP_SRCDIR/tests/rig/rig.sh
ROUNDS=${BENCH_ROUNDS:-3}
REQUESTS=${BENCH_REQUESTS:-40000}
CONC=${BENCH_CONCURRENCY:-8}
LEAD=${BENCH_LEAD:-1}
MPMS=${BENCH_MPMS:-event prefork}
BUILD=$(cd "$(dirname "$CGISETUP")" && pwd)
MNT=/opt/cgisetup
IN_CGISETUP=$MNT/$(basename "$CGISETUP")
PROOF=cgisetup-ran-42042
URL=http://127.0.0.1/cgi/hello.py

# shellcheck source=lib.sh
. "$here/lib.sh"

# ---- ab in the image ----
probe=bench-zd-probe-$$
start "$probe"
if ! in_c "$probe" test -x /usr/bin/ab; then
	stop "$probe"
	export CGISETUP_RIG_CACHE=${BENCH_RIG_CACHE:-/var/cache/cgisetup-rig-bench}
	export CGISETUP_RIG_EXTRA_PACKAGES=apache2-utils
	echo "bench: no ab in the rig image: building one with apache2-utils in $CGISETUP_RIG_CACHE"
	"$RIG" setup >/dev/null || die "the rig cannot be set up with apache2-utils"
	start "$probe"
	in_c "$probe" test -x /usr/bin/ab || die "still no ab in the rig image"
fi
echo "bench: $(in_c "$probe" ab -V | head -n 1), $(in_c "$probe" apache2 -v | sed -n 's/^Server version: //p')"

# ---- what cgisetup writes, so that the by-hand side writes the same ----
capture_block "$probe"
stop "$probe"

# ---- the changes, as run inside a container ----
# Each prints "RC CHANGE_MS SPANNED" last; ab's report is in /tmp/zd.ab.
LOADED='n=$1 conc=$2 lead=$3
shift 3
ab -r -n "$n" -c "$conc" http://127.0.0.1/ >/tmp/zd.ab 2>&1 &
ab=$!
sleep "$lead"
t0=$EPOCHREALTIME
"$@" >/tmp/zd.out 2>&1
rc=$?
t1=$EPOCHREALTIME
if kill -0 $ab 2>/dev/null; then spanned=yes; else spanned=no; fi
wait $ab || true
echo "$rc $(( (${t1/./} - ${t0/./}) / 1000 )) $spanned"'

# by hand: $1 = module (cgid or cgi)
HAND_APPLY='a2enmod -q "$1" >/dev/null
mkdir -p /srv/cgi
cat /tmp/bench-hello.py >/srv/cgi/hello.py
chmod 0755 /srv/cgi/hello.py
cat /tmp/bench-block.conf >/etc/apache2/conf-enabled/cgi-by-hand.conf
systemctl restart apache2.service'
HAND_UNDO='a2dismod -q "$1" >/dev/null
rm -f /etc/apache2/conf-enabled/cgi-by-hand.conf /srv/cgi/hello.py
rmdir /srv/cgi
systemctl restart apache2.service'

settled() {  # settled CONTAINER WANT: the script runs (ran) or is gone (404)
	local i body code
	for i in $(seq 100); do
		body=$(in_c "$1" curl -s --max-time 2 -w '\n%{http_code}' "$URL" || true)
		code=${body##*$'\n'}
		if [ "$2" = ran ] && grep -q "$PROOF" <<<"$body"; then return 0; fi
		if [ "$2" = 404 ] && [ "$code" = 404 ]; then return 0; fi
		sleep 0.05
	done
	return 1
}

# prepare C SIDE OP MPM: boot C, stage the by-hand files; for an undo,
# make the change to take back (before the load starts).
prepare() {
	local c=$1 side=$2 op=$3 mpm=$4 mod=cgid
	[ "$mpm" = prefork ] && mod=cgi
	start "$c" "$mpm"
	in_c "$c" bash -c 'cat >/tmp/bench-hello.py' <"$TMP/hello.py"
	in_c "$c" bash -c 'cat >/tmp/bench-block.conf' <"$TMP/block.conf"
	[ "$op" = undo ] || return 0
	if [ "$side" = cgisetup ]; then
		in_c "$c" "$IN_CGISETUP" --dir /srv/cgi --yes >/dev/null 2>&1 || die "$c: cgisetup apply failed"
	else
		in_c "$c" bash -c "$HAND_APPLY" _ "$mod" || die "$c: by-hand apply failed"
	fi
	settled "$c" ran || die "$c: the script does not run before the undo"
	sleep 0.5
}

# one_run SIDE OP MPM ROUND: boot, prepare, change under load; appends one
# line to $TMP/runs: mpm op side round complete failed connect receive
# length exceptions non2xx change_ms requests how
one_run() {
	local side=$1 op=$2 mpm=$3 round=$4 c mod=cgid n try out rc ms spanned path
	local change=()
	c=bench-zd-${side:0:1}${op:0:1}-${mpm:0:1}-$round-$$
	[ "$mpm" = prefork ] && mod=cgi
	case $side-$op in
	cgisetup-apply) change=("$IN_CGISETUP" --dir /srv/cgi --yes --json) ;;
	cgisetup-undo) change=("$IN_CGISETUP" --undo --json) ;;
	by-hand-apply) change=(bash -c "$HAND_APPLY" _ "$mod") ;;
	by-hand-undo) change=(bash -c "$HAND_UNDO" _ "$mod") ;;
	esac
	prepare "$c" "$side" "$op" "$mpm"
	n=$REQUESTS
	for try in 1 2 3; do
		out=$(in_c "$c" bash -c "$LOADED" _ "$n" "$CONC" "$LEAD" "${change[@]}")
		read -r rc ms spanned <<<"$out"
		[ "$rc" = 0 ] || { in_c "$c" cat /tmp/zd.out >&2; die "$c: the $side $op failed (exit $rc)"; }
		[ "$spanned" = yes ] && break
		[ "$try" -lt 3 ] || die "$c: ab never spanned the change (${ms} ms)"
		echo "  ($c: ab with $n requests ended before the change did: again with $((n * 2)))"
		stop "$c"
		prepare "$c" "$side" "$op" "$mpm"
		n=$((n * 2))
	done
	if [ "$op" = apply ]; then
		settled "$c" ran || die "$c: the script does not run after the $side apply"
	else
		settled "$c" 404 || die "$c: the script's URL is not 404 after the $side undo"
	fi
	if [ "$side" = cgisetup ]; then  # the jobs cgisetup ran, from its --json
		path=$(in_c "$c" cat /tmp/zd.out | python3 -c 'import json, sys
r = json.load(sys.stdin)["restart"]
if isinstance(r, dict):
    print(",".join(r["path"]))
else:  # --undo reports only its last job
    print({"ReloadOrRestartUnit": "reload", "RestartUnit": "restart"}.get(r.split()[0], r))') ||
			path=?
	else
		path=restart
	fi
	in_c "$c" cat /tmp/zd.ab >"$TMP/$c.ab"
	stop "$c"
	python3 - "$TMP/$c.ab" "$mpm" "$op" "$side" "$round" "$ms" "$n" "$path" >>"$TMP/runs" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
def num(pattern, default=None):
    m = re.search(pattern, text, re.M)
    if m:
        return int(m.group(1))
    if default is None:
        sys.exit("bench: no '%s' in ab's output:\n%s" % (pattern, text[-2000:]))
    return default
complete = num(r"^Complete requests:\s+(\d+)")
failed = num(r"^Failed requests:\s+(\d+)")
m = re.search(r"\(Connect: (\d+), Receive: (\d+), Length: (\d+), Exceptions: (\d+)\)", text)
parts = [int(x) for x in m.groups()] if m else [0, 0, 0, 0]
non2xx = num(r"^Non-2xx responses:\s+(\d+)", 0)
mpm, op, side, rnd, ms, n, path = sys.argv[2:9]
print(mpm, op, side, rnd, complete, failed, *parts, non2xx, ms, n, path)
EOF
	tail -n 1 "$TMP/runs" | awk '{ printf "  %-8s %-5s %-9s round %s: %6d requests, %4d failed (connect %d, receive %d, length %d, exceptions %d), %4d non-2xx; change %5d ms via %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $14 }'
}

: >"$TMP/runs"
echo "bench: $ROUNDS round(s) x {$MPMS} x {apply, undo} x {cgisetup, by hand};" \
	"ab -r -n $REQUESTS -c $CONC http://127.0.0.1/ inside each container, the change ${LEAD}s in"
t_start=$(date +%s)
for mpm in $MPMS; do
	for op in apply undo; do
		for r in $(seq "$ROUNDS"); do
			if [ $((r % 2)) = 1 ]; then
				one_run cgisetup "$op" "$mpm" "$r"
				one_run by-hand "$op" "$mpm" "$r"
			else
				one_run by-hand "$op" "$mpm" "$r"
				one_run cgisetup "$op" "$mpm" "$r"
			fi
		done
	done
done

echo
echo "Failed requests under load while CGI is turned on (apply) and off (undo); $ROUNDS round(s) each"
rc=0
python3 - "$TMP/runs" <<'EOF' || rc=$?
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
groups = {}
for r in rows:
    groups.setdefault((r[0], r[1], r[2]), []).append(r)
hdr = ("MPM", "change", "side", "how", "failed (per round)", "failed", "non-2xx", "requests", "change ms (median)")
fmt = "%-8s %-6s %-9s %-22s %-20s %7s %8s %9s %18s"
print(fmt % hdr)
print("-" * 116)
for mpm in ("event", "prefork"):
    for op in ("apply", "undo"):
        for side in ("cgisetup", "by-hand"):
            g = groups.get((mpm, op, side))
            if not g:
                continue
            how = "/".join(sorted(set(x[13] for x in g)))
            print(fmt % (mpm, op, side.replace("-", " "), how,
                         " ".join(x[5] for x in g),
                         sum(int(x[5]) for x in g), sum(int(x[10]) for x in g),
                         sum(int(x[4]) for x in g),
                         "%.0f" % statistics.median(int(x[11]) for x in g)))
lost = sum(int(x[5]) + int(x[10]) for x in rows if x[2] == "cgisetup")
hand = sum(int(x[5]) + int(x[10]) for x in rows if x[2] == "by-hand")
print()
print("cgisetup: %d failed or non-2xx in %d runs   (target 0: %s)" %
      (lost, sum(1 for x in rows if x[2] == "cgisetup"), "met" if lost == 0 else "NOT met"))
print("by hand:  %d failed or non-2xx in %d runs" % (hand, sum(1 for x in rows if x[2] == "by-hand")))
sys.exit(0 if lost == 0 else 1)
EOF
echo "bench: $(( $(date +%s) - t_start )) s"
exit $rc
