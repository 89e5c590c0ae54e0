#!/bin/bash
# bad-input.sh - every bad input: a specific message, exit 2, and every
# file of the tree byte-identical (contents, modes, mtimes), and the mtimes
# of /, /var and /var/lib (where the journal would go) unchanged; on each
# Debian tree (own, debian-pkg, shared), once without /var (the journal
# would create it) and once with /var/lib.
. "$(dirname "$0")/../lib.sh"
layouts_init

# expect_usage DESCRIPTION MESSAGE-REGEX ARGS...: exit 2, the message, no
# change to $root, the copy of layout $deb.
expect_usage() {
	# not "desc": ok() sets that one
	local what=$1 msg=$2
	shift 2
	</dev/null "$CGISETUP" "$@" >"$TMPD/out" 2>&1
	is "$deb: $what: exit 2" 2 $?
	ok "$deb: $what: says '$msg'" grep -qE "$msg" "$TMPD/out"
	is "$deb: $what: tree unchanged" "$before" "$(snapshot "$root")"
	is "$deb: $what: no mtime changed" "$mtimes" "$(snapshot_mtimes "$root")"
	is "$deb: $what: mtimes of /, /var, /var/lib unchanged" "$dmtimes" "$(dir_mtimes "$root")"
}

for deb in "${DEBIAN_LAYOUTS[@]}" "${DEBIAN_LAYOUTS[0]}+var"; do
	root="$TMPD/root"
	copy_layout "${deb%+var}" "$root"
	case $deb in
	*+var) mkdir -p "$root/var/lib" ;;
	esac
	mkdir -m 0777 "$root/srv/open" "$root/srv/x" 2>/dev/null || mkdir -p -m 0777 "$root/srv/open"
	chmod 0777 "$root/srv/open"
	touch "$root/srv/afile"
	ln -s /srv/open "$root/srv/link"
	before=$(snapshot "$root")
	mtimes=$(snapshot_mtimes "$root")
	dmtimes=$(dir_mtimes "$root")

	R="--root $root"
	expect_usage "relative dir" "is relative" $R --dir srv/cgi --yes
	expect_usage "trailing spaces (a pasted path)" "begins or ends with a space" $R --dir '/srv/cgi  ' --yes
	expect_usage "a leading space" "begins or ends with a space" $R --dir ' /srv/cgi' --yes
	expect_usage "dir /" "refusing system directory '/'" $R --dir / --yes
	for d in /etc /usr /bin /proc /var /srv; do
		expect_usage "dir $d" "refusing system directory '$d'" $R --dir $d --yes
	done
	expect_usage "dir under /etc" "lies in the system directory '/etc'" $R --dir /etc/apache2/cgi --yes
	expect_usage "dir under /proc" "lies in the system directory '/proc'" $R --dir /proc/1 --yes
	expect_usage "dot-dot in dir" "'\.' or '\.\.' component" $R --dir /srv/../etc --yes
	expect_usage "world-writable dir" "refusing world-writable directory '/srv/open' \(mode 0777\)" \
		$R --dir /srv/open --yes
	expect_usage "dir is a file" "exists and is not a directory" $R --dir /srv/afile --yes
	expect_usage "dir is a symlink" "is a symbolic link" $R --dir /srv/link --yes
	expect_usage "newline in dir" "contains a newline" $R --dir "$(printf '/srv/a\nb')" --yes
	expect_usage "control character in dir" "contains a control character" $R --dir "$(printf '/srv/a\tb')" --yes
	expect_usage "double quote in dir" "contains a double quote" $R --dir '/srv/a"b' --yes
	expect_usage "newline in URL path" "URL path .* contains a newline" $R --dir /srv/cgi \
		--url-path "$(printf '/a\nb')" --yes
	expect_usage "double quote in URL path" "URL path .* contains a double quote" $R --dir /srv/cgi \
		--url-path '/a"b' --yes
	expect_usage "relative URL path" "must start with '/'" $R --dir /srv/cgi --url-path cgi --yes
	expect_usage "URL path taken by a ScriptAlias" "URL path '/cgi-bin' is already used by 'ScriptAlias /cgi-bin/" \
		$R --dir /srv/cgi --url-path /cgi-bin --yes
	expect_usage "bad extension" "invalid extension 'py'" $R --dir /srv/cgi --ext py --yes
	expect_usage "a directory as --config" "config file '/etc/apache2' is not a regular file" \
		$R --config /etc/apache2 --dir /srv/cgi --yes
	expect_usage "an over-long --dir" "directory path is too long" \
		$R --dir "/srv/$(printf 'a%.0s' $(seq 1 5000))" --yes
	expect_usage "a wildcard in --dir" "contains a wildcard character" $R --dir '/srv/c*' --yes
	expect_usage "missing root" "root directory '$TMPD/nope' does not exist" --root "$TMPD/nope" --dir /srv/cgi --yes
	mkdir -p "$TMPD/empty"
	expect_usage "no Apache config" "no Apache configuration found under" --root "$TMPD/empty" --dir /srv/cgi --yes
	expect_usage "missing --config" "config file '/etc/apache2/nope.conf' does not exist" $R \
		--config /etc/apache2/nope.conf --dir /srv/cgi --yes
	expect_usage "unknown option" "unknown option '--frobnicate'" $R --frobnicate
	expect_usage "option without value" "option '--dir' needs a value" $R --dir
	expect_usage "stray argument" "unexpected argument 'extra'" $R --dir /srv/cgi --yes extra
	expect_usage "no --yes without a terminal" "no terminal to ask on: use --dir DIR --yes" $R --dir /srv/cgi
	expect_usage "no --dir" "no CGI directory given" $R --yes

	# The main config that Augeas cannot parse (augeas issue #428: an unclosed
	# quote in a section tag). The message names the file and the line.
	printf '<Location ~ "/(.*)/adm>\n</Location>\n' >>"$root/etc/apache2/apache2.conf"
	lines=$(wc -l <"$root/etc/apache2/apache2.conf")
	before=$(snapshot "$root")
	mtimes=$(snapshot_mtimes "$root")
	dmtimes=$(dir_mtimes "$root")
	expect_usage "unparsable main config" \
		"cannot parse '/etc/apache2/apache2.conf' line $((lines - 1)): " $R --dir /srv/cgi --yes

	# --json reports a usage error as a document, still with exit 2.
	</dev/null "$CGISETUP" $R --dir relative --yes --json >"$TMPD/json" 2>&1
	is "$deb: json usage error: exit 2" 2 $?
	is "$deb: json usage error: status" invalid "$(json_get status <"$TMPD/json")"
	json_valid "$deb: json usage error: valid against its schema" apply "$TMPD/json"
done
done_testing
