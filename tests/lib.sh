# lib.sh - shared helpers for cgisetup's shell tests (TAP output).
#
# Source it from a test script; it provides ok/not_ok bookkeeping, a
# scratch directory removed on exit, and copies of Apache layouts from
# three tiers, each layout named TIER/NAME so a result says where it is from:
#   own/NAME         tests/layouts/NAME, the project's own trees (always);
#   debian-pkg/debian  /etc/apache2 of Debian's apache2 and apache2-data
#                    packages, fetched with apt-get download (when the
#                    archive can be reached);
#   shared/NAME      $CGISETUP_SHARED/fixtures/apache-layouts/NAME, real-world
#                    trees outside the project (when present).

set -u

: "${TOP_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${CGISETUP:=$TOP_SRCDIR/cgisetup}"
: "${CGISETUP_SHARED:=$TOP_SRCDIR/../shared}"
FIXTURES="$CGISETUP_SHARED/fixtures/apache-layouts"
OWN_LAYOUTS="$TOP_SRCDIR/tests/layouts"

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

# The directory of layout ID (TIER/NAME; a bare NAME is a shared fixture,
# as bench/run.sh names them).
layout_dir() {
	case "$1" in
	own/*) echo "$OWN_LAYOUTS/${1#own/}" ;;
	debian-pkg/debian) echo "$DEBIAN_PKG_TREE" ;;
	shared/*) echo "$FIXTURES/${1#shared/}" ;;
	*) echo "$FIXTURES/$1" ;;
	esac
}

# copy_layout ID DEST: a writable copy of a layout. The shared store keeps
# symlinks as small files that hold the link target
# ("../mods-available/alias.load"); turn those back into real symlinks so
# the copy is the tree Apache would see. The other tiers hold real links.
copy_layout() {
	local src
	src=$(layout_dir "$1")
	case "$1" in
	debian-pkg/*) debian_pkg_build || { echo "$1: $DEBIAN_PKG_WHY" >&2; return 1; } ;;
	esac
	rm -rf "$2"
	cp -a "$src" "$2"
	chmod -R u+w "$2"
	case "$1" in
	own/* | debian-pkg/*) return 0 ;;
	esac
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

# debian_pkg_build: DEBIAN_PKG_TREE, a root holding /etc/apache2 as
# Debian's packages install it and as their postinst leaves it (the
# a2enmod, a2enconf and a2ensite links). The .debs come from
# `apt-get download` into a cache shared by test runs ($CGISETUP_DEBS,
# else /var/cache/cgisetup-test-debs, else the scratch directory); when the archive
# cannot be reached, false with the reason in DEBIAN_PKG_WHY.
DEBIAN_PKG_TREE="$TMPD/debian-pkg"
DEBIAN_PKG_WHY=""
debian_pkg_build() {
	local cache=${CGISETUP_DEBS:-/var/cache/cgisetup-test-debs} x="$TMPD/debian-pkg.x" dl deb m e
	[ -d "$DEBIAN_PKG_TREE/etc/apache2" ] && return 0
	[ -z "$DEBIAN_PKG_WHY" ] || return 1
	if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
		DEBIAN_PKG_WHY="no apt-get and dpkg-deb on this host"
		return 1
	fi
	{ mkdir -p "$cache" && [ -w "$cache" ]; } 2>/dev/null || cache="$TMPD/debs"
	mkdir -p "$cache"
	if ! ls "$cache"/apache2_*.deb "$cache"/apache2-data_*.deb >/dev/null 2>&1; then
		# Into a directory of its own, then renamed: test scripts that
		# run at once never see half a file.
		dl=$(mktemp -d "$cache/dl.XXXXXX")
		if ! (cd "$dl" && timeout 120 apt-get download apache2 apache2-data) >"$TMPD/apt.out" 2>&1; then
			DEBIAN_PKG_WHY="the Debian archive is unreachable (apt-get download apache2 apache2-data: $(grep -m1 '^E:' "$TMPD/apt.out" || tail -n1 "$TMPD/apt.out"))"
			rm -rf "$dl"
			return 1
		fi
		mv "$dl"/*.deb "$cache"/ && rmdir "$dl"
	fi
	rm -rf "$x" && mkdir -p "$x" "$DEBIAN_PKG_TREE/etc"
	for deb in apache2 apache2-data; do
		dpkg-deb -x "$(ls "$cache/${deb}"_*.deb | sort -V | tail -n1)" "$x" || {
			DEBIAN_PKG_WHY="dpkg-deb -x $deb failed"
			return 1
		}
	done
	mv "$x/etc/apache2" "$DEBIAN_PKG_TREE/etc/apache2" && rm -rf "$x"
	# What the postinst enables, as relative links like a2enmod makes.
	for m in mpm_event authz_core authz_host authn_core auth_basic access_compat authn_file \
		authz_user alias dir autoindex env mime negotiation setenvif filter deflate status \
		reqtimeout; do
		for e in load conf; do
			[ -e "$DEBIAN_PKG_TREE/etc/apache2/mods-available/$m.$e" ] &&
				ln -s "../mods-available/$m.$e" "$DEBIAN_PKG_TREE/etc/apache2/mods-enabled/$m.$e"
		done
	done
	for m in charset localized-error-pages other-vhosts-access-log security serve-cgi-bin; do
		ln -s "../conf-available/$m.conf" "$DEBIAN_PKG_TREE/etc/apache2/conf-enabled/$m.conf"
	done
	ln -s ../sites-available/000-default.conf "$DEBIAN_PKG_TREE/etc/apache2/sites-enabled/000-default.conf"
	[ -e "$DEBIAN_PKG_TREE/etc/apache2/mods-enabled/mpm_event.load" ] || {
		DEBIAN_PKG_WHY="the packages hold no mods-available/mpm_event.load"
		return 1
	}
}

# layouts_init: LAYOUTS, every layout of the tiers at hand (own first),
# and DEBIAN_LAYOUTS, the Debian ones that the Debian-specific tests run
# on. A Debian archive out of reach is a TAP skip with its reason; an
# absent ../shared only a comment (it is outside the project).
layouts_init() {
	local d n
	LAYOUTS=() DEBIAN_LAYOUTS=(own/debian)
	for d in "$OWN_LAYOUTS"/*/; do
		LAYOUTS+=("own/$(basename "$d")")
	done
	if debian_pkg_build; then
		LAYOUTS+=(debian-pkg/debian) DEBIAN_LAYOUTS+=(debian-pkg/debian)
	else
		skip "debian-pkg tier: $DEBIAN_PKG_WHY"
	fi
	if have_fixtures; then
		for d in "$FIXTURES"/*/; do
			n=$(basename "$d")
			[ "$n" = certbot-conf-snippets ] && continue # loose snippets, not a layout
			LAYOUTS+=("shared/$n")
		done
		DEBIAN_LAYOUTS+=(shared/debian-12)
	else
		echo "# shared tier: none ($FIXTURES is absent)"
	fi
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

# dir_mtimes ROOT: the mtimes of ROOT, ROOT/var and ROOT/var/lib (those
# present), which the journal's creation would change.
dir_mtimes() {
	local d
	for d in . var var/lib; do
		[ -d "$1/$d" ] && stat -c "%y $d" "$1/$d"
	done
	return 0
}

json_get() {
	python3 -c 'import json,sys
d=json.load(sys.stdin)
for k in sys.argv[1].split("."):
    d = d.get(k) if isinstance(d, dict) else None
print("" if d is None else (str(d).lower() if isinstance(d, bool) else d))' "$1"
}

# json_valid DESCRIPTION MODE FILE: FILE, what one --json run printed, is
# valid against schemas/MODE.schema.json (tests/json-schema.py), as one
# TAP result.
json_valid() {
	ok "$1" python3 "$TOP_SRCDIR/tests/json-schema.py" "$TOP_SRCDIR/schemas/$2.schema.json" "$3"
}
