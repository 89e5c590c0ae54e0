#!/bin/bash
# tests/fuzz/run.sh [SECONDS [HARNESS...]] - build the libFuzzer harnesses
# (clang, -fsanitize=fuzzer,address,undefined) and run each for SECONDS
# (default 60), from a corpus seeded by tests/fuzz/seeds/HARNESS and the
# project's own layouts (tests/layouts). Not part of the default build:
# `make fuzz` runs it, .ci/run runs a short smoke pass.
#
# Run from a configured build directory (it takes config.h from there; a
# VPATH build works). Binaries, corpora and crash files go to
# BUILD/tests/fuzz/. One summary line per harness:
#   fuzz NAME: N execs (N/s), cov N, ft N, corpus N, crashes N
# Exit status 1 when any harness crashed (the input is kept as
# BUILD/tests/fuzz/crash-NAME-*, reproduce with ./fuzz-NAME FILE).
set -uo pipefail

seconds=${1:-60}
shift || true
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILDDIR:-$PWD}
out=$build/tests/fuzz
CLANG=${CLANG:-clang}
all=(config shellvars live request verdict manifest check augeas)
harnesses=("${@:-${all[@]}}")

[ -f "$build/config.h" ] || { echo "run.sh: no config.h in $build (run it from a configured build directory, or set BUILDDIR)" >&2; exit 2; }
command -v "$CLANG" >/dev/null || { echo "run.sh: $CLANG is not installed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

core=(diag util scan model effective shellvars live request verdict plan check checklog template textedit diff)
declare -A extra=([manifest]="src/effects/fsops.c src/effects/journal.c src/effects/txn.c src/effects/timeutil.c"
	[augeas]="src/effects/confedit.c")
declare -A libs=([augeas]="$(pkg-config --cflags --libs augeas 2>/dev/null || echo -laugeas)")
flags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-fno-omit-frame-pointer -I"$build" -I"$src/include" -I"$src/tests/fuzz")

# seed NAME DIR: the hand-written seeds and the own layouts' files that
# this harness reads.
seed() {
	local name=$1 dir=$2 f i=0
	mkdir -p "$dir"
	[ -d "$src/tests/fuzz/seeds/$name" ] && cp "$src/tests/fuzz/seeds/$name"/* "$dir/"
	case $name in
	config | augeas)
		while IFS= read -r -d '' f; do
			i=$((i + 1)); cp "$f" "$dir/layout-$i"
		done < <(find "$src/tests/layouts" -type f \( -name '*.conf' -o -name '*.load' \) -print0) ;;
	shellvars)
		while IFS= read -r -d '' f; do
			i=$((i + 1)); cp "$f" "$dir/layout-$i"
		done < <(find "$src/tests/layouts" -type f \( -name envvars -o -path '*/sysconfig/*' \
			-o -path '*/conf.d/apache2' -o -name os-release \) -print0) ;;
	esac
}

mkdir -p "$out"
status=0
for name in "${harnesses[@]}"; do
	bin=$out/fuzz-$name
	srcs=("$src/tests/fuzz/fuzz-$name.c")
	for c in "${core[@]}"; do srcs+=("$src/src/core/$c.c"); done
	for e in ${extra[$name]:-}; do srcs+=("$src/$e"); done
	# shellcheck disable=SC2086 # the library flags are words
	if ! "$CLANG" "${flags[@]}" "${srcs[@]}" ${libs[$name]:-} -o "$bin" 2>"$out/build-$name.log"; then
		echo "fuzz $name: build failed (see $out/build-$name.log)"
		status=1
		continue
	fi
	corpus=$out/corpus-$name
	seed "$name" "$corpus"
	log=$out/fuzz-$name.log
	# augeas: no leak check. libaugeas leaks in every aug_preview
	# (tests/lsan.supp) and is built without frame pointers, so only the
	# slow unwinder could name it, at a few inputs a second; confedit.c's
	# own leaks are valgrind's (tests/valgrind.sh)
	leaks=1
	[ "$name" = augeas ] && leaks=0
	ASAN_OPTIONS="detect_leaks=$leaks:halt_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
		UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
		"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -detect_leaks="$leaks" -artifact_prefix="$out/crash-$name-" "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
	ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
	crashes=$(find "$out" -maxdepth 1 -name "crash-$name-*" | wc -l)
	echo "fuzz $name: ${execs:-0} execs (${rate:-0}/s), cov ${cov:-0}, ft ${ft:-0}, corpus $(find "$corpus" -type f | wc -l), crashes $crashes"
	if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
		status=1
		grep -m 1 -E 'ERROR: |runtime error|==ERROR' "$log" | sed 's/^/  /'
	fi
done
exit "$status"
