#!/bin/bash
# layouts.sh - detection on every layout, table-driven: the own layouts'
# facts are in tests/layouts/layouts.tsv, the shared fixtures' in
# tests/tree/layouts.tsv; each row states the family, main config, server
# root, MPM, CGI module, document root, unit, Listen port and run user
# that --detect must report. The tree built from Debian's packages must
# detect as the own debian layout does.
. "$(dirname "$0")/../lib.sh"
layouts_init

own_table="$TOP_SRCDIR/tests/layouts/layouts.tsv"
shared_table="$TOP_SRCDIR/tests/tree/layouts.tsv"
fields="family main_config server_root mpm cgi_module_loaded document_root unit listen_port user"

# The row of NAME in TABLE, without the name.
row() {
	grep -v '^#' "$2" | awk -F '\t' -v n="$1" '$1 == n' | cut -f 2-
}

for id in "${LAYOUTS[@]}"; do
	case "$id" in
	own/*) want=$(row "${id#own/}" "$own_table") ;;
	debian-pkg/*) want=$(row debian "$own_table") ;;
	shared/*) want=$(row "${id#shared/}" "$shared_table") ;;
	esac
	copy_layout "$id" "$TMPD/root"
	got=$("$CGISETUP" --detect --json --root "$TMPD/root" | python3 -c '
import json, sys
l = json.load(sys.stdin)["layout"]
print("\t".join("-" if l[k] is None else str(l[k]) for k in sys.argv[1].split()))' "$fields")
	is "detect $id: $fields" "$want" "$got"
done

# Every layout is in its table (a new layout must state its facts), and
# every row names a layout that exists (a removed one leaves no stale row).
for id in "${LAYOUTS[@]}"; do
	case "$id" in
	own/*) ok "$id is in tests/layouts/layouts.tsv" grep -q "^${id#own/}	" "$own_table" ;;
	shared/*) ok "$id is in tests/tree/layouts.tsv" grep -q "^${id#shared/}	" "$shared_table" ;;
	esac
done
for name in $(grep -v '^#' "$own_table" | cut -f 1); do
	ok "layouts.tsv row $name has its tree" test -d "$OWN_LAYOUTS/$name"
done
is "one own layout per family cgisetup knows" \
	"alpine arch debian freebsd gentoo homebrew rhel suse upstream" \
	"$(grep -v '^#' "$own_table" | cut -f 2 | sort | tr '\n' ' ' | sed 's/ $//')"

# The own layouts hold real relative symlinks where Debian uses them, each
# resolving inside the tree.
for dir in mods-enabled conf-enabled sites-enabled; do
	n=$(find "$OWN_LAYOUTS/debian/etc/apache2/$dir" -type l | wc -l)
	ok "own/debian: $dir holds symlinks ($n)" test "$n" -gt 0
	is "own/debian: every $dir link resolves" "" \
		"$(find -L "$OWN_LAYOUTS/debian/etc/apache2/$dir" -type l)"
	is "own/debian: no regular file in $dir" "" \
		"$(find "$OWN_LAYOUTS/debian/etc/apache2/$dir" -type f)"
done

# os-release wins over the path table: an Ubuntu host with an httpd.conf.
for id in "${DEBIAN_LAYOUTS[@]}"; do
	copy_layout "$id" "$TMPD/ubuntu"
	printf 'ID=ubuntu\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 24.04 LTS"\n' >"$TMPD/ubuntu/etc/os-release"
	is "$id: os-release names the system" "Ubuntu 24.04 LTS" \
		"$("$CGISETUP" --detect --json --root "$TMPD/ubuntu" | json_get layout.os_name)"
	is "$id: ID_LIKE=debian picks the debian family" "debian" \
		"$("$CGISETUP" --detect --json --root "$TMPD/ubuntu" | json_get layout.family)"
done
done_testing
