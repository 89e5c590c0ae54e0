#!/bin/bash
# apply.sh - the real binary with --root on a copy of every layout of every
# tier: dry-run writes nothing and its diff is exactly what apply then
# writes; apply adds the section, the alias and the module once and the
# tree still parses (Debian's trees: apache2 -t accepts them before and
# after); a second apply changes no byte and no mtime.
. "$(dirname "$0")/../lib.sh"
layouts_init
[ -x /usr/sbin/apache2 ] || tool_missing /usr/sbin/apache2 apache2-bin

# Files Augeas cannot parse in the tree's main config: none expected.
parses() {
	out=$(augtool --noautoload -r "$1" -t "Httpd incl $2" 'match /augeas//error' 2>&1)
	[ -z "$out" ] || [ "$out" = "  (no matches)" ] || { echo "$out"; return 1; }
}

# apache2_t ROOT CONFIG: Debian's apache2 checks the tree's configuration,
# with the variables of its envvars (run and log directories made private).
apache2_t() {
	bash -c "set -a; . '$1/etc/apache2/envvars'
		APACHE_RUN_DIR=$TMPD APACHE_LOCK_DIR=$TMPD APACHE_LOG_DIR=$TMPD
		/usr/sbin/apache2 -d '$1/etc/apache2' -f '$1$2' -t"
}

count_lines() {
	grep -cE "$1" "$2" || true
}

for layout in "${LAYOUTS[@]}"; do
	a="$TMPD/a" b="$TMPD/b"
	copy_layout "$layout" "$a"
	copy_layout "$layout" "$b"
	cfg=$("$CGISETUP" --detect --json --root "$a" | json_get layout.main_config)
	is_debian=false
	[[ " ${DEBIAN_LAYOUTS[*]} " == *" $layout "* ]] && is_debian=true
	if $is_debian; then
		ok "$layout: apache2 -t accepts the tree as shipped" apache2_t "$a" "$cfg"
	fi
	before=$(snapshot "$a")

	"$CGISETUP" --root "$a" --dir /srv/cgi --dry-run >"$TMPD/dry.out" 2>"$TMPD/dry.err"
	is "$layout: dry-run exits 0" 0 $?
	is "$layout: dry-run writes nothing" "$before" "$(snapshot "$a")"
	ok "$layout: the dry-run diff applies to a copy" patch -s -p1 -d "$b" -i "$TMPD/dry.out"

	"$CGISETUP" --root "$a" --dir /srv/cgi --yes >"$TMPD/apply.out" 2>&1
	is "$layout: apply exits 0" 0 $?
	ok "$layout: the applied config is what the dry-run diff showed" cmp "$a$cfg" "$b$cfg"
	ok "$layout: hello.py is what the dry-run diff showed" cmp "$a/srv/cgi/hello.py" "$b/srv/cgi/hello.py"
	is "$layout: one <Directory /srv/cgi> section" 1 "$(count_lines '^<Directory /srv/cgi>$' "$a$cfg")"
	is "$layout: one Alias" 1 "$(count_lines '^Alias /cgi/ /srv/cgi/$' "$a$cfg")"
	is "$layout: one marker" 1 "$(count_lines 'managed by cgisetup' "$a$cfg")"
	is "$layout: a CGI module is loaded afterwards" yes \
		"$("$CGISETUP" --detect --json --root "$a" | json_get layout.cgi_module_loaded | sed 's/^cgid\?$/yes/')"
	ok "$layout: the main config still parses" parses "$a" "$cfg"
	is "$layout: CGI directory mode" 755 "$(stat -c %a "$a/srv/cgi")"
	is "$layout: hello.py mode" 755 "$(stat -c %a "$a/srv/cgi/hello.py")"

	# Debian's trees, with Debian's own apache2 (install-deps.sh installs
	# apache2-bin): the edited tree is one the server accepts.
	if $is_debian; then
		ok "$layout: apache2 -t accepts the edited tree" apache2_t "$a" "$cfg"
	fi
	after=$(snapshot "$a")
	mtimes=$(snapshot_mtimes "$a")
	out=$("$CGISETUP" --root "$a" --dir /srv/cgi --yes 2>&1)
	is "$layout: re-apply exits 0" 0 $?
	ok "$layout: re-apply says already configured" grep -q "already configured" <<<"$out"
	is "$layout: re-apply changes no byte" "$after" "$(snapshot "$a")"
	is "$layout: re-apply changes no mtime" "$mtimes" "$(snapshot_mtimes "$a")"
	rm -rf "$a" "$b"
done
done_testing
