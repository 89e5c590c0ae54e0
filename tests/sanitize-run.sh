#!/bin/sh
# sanitize-run.sh TEST [ARGS...] - run one test of a --enable-sanitizers
# build (Makefile.am puts it in front of every test then). Every process the
# test starts writes its AddressSanitizer, LeakSanitizer or
# UndefinedBehaviorSanitizer report into a directory of this run instead of
# stderr: the tests compare cgisetup's stderr and exit status, so a report
# there could be taken for an expected failure. Any report found afterwards
# is printed into the test's log and fails the test ("Bail out!" is an
# ERROR for the TAP driver), whatever the test itself concluded.
set -u

reports=$(mktemp -d "${TMPDIR:-/tmp}/cgisetup-san.XXXXXX") || exit 99
trap 'rm -rf "$reports"' EXIT

# halt_on_error: the first report ends the process (the build also has
# -fno-sanitize-recover=all); detect_leaks: LeakSanitizer at every exit.
ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0:log_path=$reports/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
# Leaks inside foreign libraries, each with its reason: tests/lsan.supp.
LSAN_OPTIONS="print_suppressions=0:suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

# The one exception: a process traced by strace (the tree tests' crash and
# fault injection) runs without LeakSanitizer. At exit LSan stops the
# process's threads with ptrace, which a process already traced refuses,
# and LSan then ends with a fatal error of its own ("LeakSanitizer does not
# work under ptrace"). AddressSanitizer and UBSan stay on. A shim first in
# PATH that execs strace keeps the PID a test takes from $! strace's own.
real_strace=$(command -v strace)
if [ -n "$real_strace" ]; then
	mkdir "$reports/bin" && cat >"$reports/bin/strace" <<SHIM || exit 99
#!/bin/sh
ASAN_OPTIONS="\$ASAN_OPTIONS:detect_leaks=0" exec "$real_strace" "\$@"
SHIM
	chmod 755 "$reports/bin/strace" && PATH="$reports/bin:$PATH" && export PATH
fi

"$@"
rc=$?

found=0
for f in "$reports"/asan.* "$reports"/ubsan.*; do
	[ -f "$f" ] || continue
	found=$((found + 1))
	echo "# sanitizer report $(basename "$f"):"
	sed 's/^/#   /' "$f"
done
if [ "$found" -gt 0 ]; then
	echo "Bail out! $found sanitizer report(s) from this test"
	exit 1
fi
exit "$rc"
