#!/bin/bash
# valgrind.sh - issue 14, part 1: cgisetup's runs of the tree tests under
# valgrind (memcheck, --leak-check=full, definite leaks are errors) on
# every own layout (tests/layouts): apply, re-apply, dry-run, status,
# detect, undo, and bad input. Each run must exit as it does without
# valgrind and valgrind must report no error (exit 99 otherwise; its
# report goes to this test's log). Not in make check (a few minutes):
# `make check-valgrind`. Suppressions: tests/valgrind.supp (foreign
# libraries only, each with its reason).
. "$(dirname "$0")/lib.sh"
need_tool valgrind valgrind

SUPP="$TOP_SRCDIR/tests/valgrind.supp"
VG=(valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99
	--show-leak-kinds=definite --track-fds=no "--suppressions=$SUPP")

# vg NAME WANT ARG...: cgisetup ARG... under valgrind; exit WANT and no report.
vg() {
	local name=$1 want=$2 rc
	shift 2
	"${VG[@]}" "--log-file=$TMPD/vg.log" "$CGISETUP" "$@" >"$TMPD/out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" != "$want" ]; then
		sed 's/^/# | /' "$TMPD/out" | head -20
	fi
	is "$name: exit $want" "$want" "$rc"
	# valgrind 3.19 does not know openat2 (syscall 437): it warns and
	# fails the call with ENOSYS, and fsops.c resolves by hand instead
	grep -v -e 'unhandled amd64-linux syscall: 437' -e 'write your own handler' \
		-e README_MISSING_SYSCALL -e 'consider this a bug' -e 'valgrind.org/support' \
		"$TMPD/vg.log" >"$TMPD/vg.rep"
	sed 's/^/# /' "$TMPD/vg.rep" | head -60
	is "$name: valgrind reports nothing" 0 "$(wc -c <"$TMPD/vg.rep")"
}

t0=$(date +%s)
for d in "$OWN_LAYOUTS"/*/; do
	l=own/$(basename "$d")
	r="$TMPD/root"
	copy_layout "$l" "$r"
	vg "$l detect" 0 --root "$r" --detect
	vg "$l detect --json" 0 --root "$r" --detect --json
	vg "$l dry-run" 0 --root "$r" --dir /srv/cgi --dry-run
	vg "$l apply" 0 --root "$r" --dir /srv/cgi --yes
	vg "$l re-apply" 0 --root "$r" --dir /srv/cgi --yes --json
	vg "$l status" 0 --root "$r" --status
	vg "$l undo --dry-run" 0 --root "$r" --undo --dry-run
	vg "$l undo" 0 --root "$r" --undo --yes
	vg "$l bad input: relative DIR" 2 --root "$r" --dir srv/cgi --yes
	vg "$l bad input: bad extension" 2 --root "$r" --dir /srv/cgi --ext '.p y' --yes
	vg "$l bad input: unknown option" 2 --root "$r" --bogus
done
echo "# valgrind over $tap_n results: $(($(date +%s) - t0)) s"
done_testing
