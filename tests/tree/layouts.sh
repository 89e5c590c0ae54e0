#!/bin/bash
# layouts.sh - detection on every fixture layout, table-driven: layouts.tsv
# states per layout the family, main config, server root, MPM, CGI module,
# document root, unit, Listen port and run user that --detect must report.
. "$(dirname "$0")/../lib.sh"
have_fixtures || skip_all "no fixtures at $FIXTURES (../shared is absent)"

table="$TOP_SRCDIR/tests/tree/layouts.tsv"
fields="family main_config server_root mpm cgi_module_loaded document_root unit listen_port user"

grep -v '^#' "$table" | while IFS=$'\t' read -r layout want; do
	copy_layout "$layout" "$TMPD/root"
	got=$("$CGISETUP" --detect --json --root "$TMPD/root" | python3 -c '
import json, sys
l = json.load(sys.stdin)["layout"]
print("\t".join("-" if l[k] is None else str(l[k]) for k in sys.argv[1].split()))' "$fields")
	is "detect $layout: $fields" "$want" "$got"
done >"$TMPD/results"
cat "$TMPD/results"
tap_n=$(grep -c "^\(not \)\?ok" "$TMPD/results")
tap_failed=$(grep -c '^not ok' "$TMPD/results")

# Every fixture layout is in the table (a new layout must state its facts).
for dir in "$FIXTURES"/*/; do
	name=$(basename "$dir")
	[ "$name" = certbot-conf-snippets ] && continue
	ok "layout $name is in layouts.tsv" grep -q "^$name	" "$table"
done

# os-release wins over the path table: an Ubuntu host with an httpd.conf.
copy_layout debian-12 "$TMPD/ubuntu"
printf 'ID=ubuntu\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 24.04 LTS"\n' >"$TMPD/ubuntu/etc/os-release"
is "os-release names the system" "Ubuntu 24.04 LTS" \
	"$("$CGISETUP" --detect --json --root "$TMPD/ubuntu" | json_get layout.os_name)"
is "ID_LIKE=debian picks the debian family" "debian" \
	"$("$CGISETUP" --detect --json --root "$TMPD/ubuntu" | json_get layout.family)"
done_testing
