#!/bin/bash
# bench/run.sh - benchmarks, run on demand (never part of make check).
# Prints ratios measured side by side in one run, so machine noise hits
# both sides alike.
#
#   bench/run.sh dryrun   cgisetup --dry-run on a copy of debian-12 against
#                         augtool --noautoload loading the same files
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
export TOP_SRCDIR="$top"
# shellcheck source=../tests/lib.sh
. "$top/tests/lib.sh"
have_fixtures || { echo "bench: no fixtures at $FIXTURES" >&2; exit 1; }

what=${1:-dryrun}
case "$what" in
dryrun)
	root="$TMPD/debian-12"
	copy_layout debian-12 "$root"
	files=$("$CGISETUP" --detect --json --root "$root" |
		python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["layout"]["config_files"]))')
	transforms=()
	for f in $files; do
		transforms+=(-t "Httpd incl $f")
	done
	python3 "$here/compare.py" --runs "${BENCH_RUNS:-40}" \
		--name cgisetup -- "$CGISETUP" --root "$root" --dir /srv/cgi --dry-run \
		--name augtool -- augtool --noautoload -r "$root" "${transforms[@]}" quit
	;;
*)
	echo "usage: $0 [dryrun]" >&2
	exit 2
	;;
esac
