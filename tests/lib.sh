# lib.sh - shared helpers for cgisetup's shell tests (TAP output).
#
# Source it from a test script; it provides ok/not_ok bookkeeping, a
# scratch directory removed on exit, and fixture copies. Tests that need
# ../shared/fixtures skip (TAP "skip") when it is absent.

set -u

: "${TOP_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${CGISETUP:=$TOP_SRCDIR/cgisetup}"
: "${CGISETUP_SHARED:=$TOP_SRCDIR/../shared}"
FIXTURES="$CGISETUP_SHARED/fixtures/apache-layouts"

tap_n=0
tap_failed=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/cgisetup-test.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT

# ok DESCRIPTION COMMAND...: one TAP result from a command's exit status.
ok() {
	desc=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@" >"$TMPD/ok.out" 2>&1; then
		echo "ok $tap_n - $desc"
	else
		echo "not ok $tap_n - $desc"
		sed 's/^/# /' "$TMPD/ok.out" | head -40
		tap_failed=$((tap_failed + 1))
	fi
}

# is DESCRIPTION EXPECTED ACTUAL: string equality as one result.
is() {
	tap_n=$((tap_n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $tap_n - $1"
	else
		echo "not ok $tap_n - $1"
		if [ "$(printf '%s' "$2$3" | wc -l)" -gt 2 ]; then
			diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/# /' | head -30
		else
			printf '# expected: %s\n# actual:   %s\n' "$2" "$3"
		fi
		tap_failed=$((tap_failed + 1))
	fi
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# fail_all MESSAGE: the script cannot go on; one "not ok" (after any
# results so far) and the plan, exit 1.
fail_all() {
	tap_n=$((tap_n + 1))
	echo "not ok $tap_n - $1"
	echo "1..$tap_n"
	exit 1
}

# tool_missing COMMAND PACKAGE: a missing tool as one failed result.
tool_missing() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - '$1' is not installed: install the package $2 (./install-deps.sh does)"
}

# need_tool COMMAND PACKAGE: the script cannot run without COMMAND. When
# it is missing the script fails, naming the Debian package, instead of
# skipping: a skip would let make check pass with the assertions never
# run. Only root and the rig (tests/system/common.sh) are prerequisites
# that skip.
need_tool() {
	command -v "$1" >/dev/null 2>&1 && return 0
	tool_missing "$1" "$2"
	echo "1..$tap_n"
	exit 1
}

# need_ptrace: strace can trace here (no ptrace restriction in the way).
need_ptrace() {
	strace -f -o /dev/null true >/dev/null 2>&1 ||
		fail_all "strace cannot trace here: ptrace is denied (kernel.yama.ptrace_scope, seccomp?)"
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

have_fixtures() {
	[ -d "$FIXTURES" ]
}

# copy_layout NAME DEST: a writable copy of a fixture layout. The shared
# store keeps symlinks as small files that hold the link target
# ("../mods-available/alias.load"); turn those back into real symlinks so
# the copy is the tree Apache would see.
copy_layout() {
	rm -rf "$2"
	cp -a "$FIXTURES/$1" "$2"
	chmod -R u+w "$2"
	find "$2" -type f -size -300c | while IFS= read -r f; do
		target=$(cat "$f")
		case "$target" in
		../*) ;;
		*) continue ;;
		esac
		[ "$(wc -l <"$f")" -eq 0 ] || continue
		[ -e "$(dirname "$f")/$target" ] || continue
		rm -f "$f" && ln -s "$target" "$f"
	done
}

# snapshot DIR: one line per entry (type, mode, size, hash or link target)
# and the mtime of regular files, for byte-identical comparisons.
snapshot() {
	(cd "$1" && find . -printf '%y %m %p %l\n' | sort) >"$TMPD/snap.list"
	(cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) >"$TMPD/snap.sums"
	cat "$TMPD/snap.list" "$TMPD/snap.sums"
}

snapshot_mtimes() {
	(cd "$1" && find . -type f -printf '%T@ %p\n' | sort)
}

json_get() {
	python3 -c 'import json,sys
d=json.load(sys.stdin)
for k in sys.argv[1].split("."):
    d = d.get(k) if isinstance(d, dict) else None
print("" if d is None else (str(d).lower() if isinstance(d, bool) else d))' "$1"
}
