#!/bin/bash
# whole-config.sh - cgisetup plans from the whole configuration Apache
# reads, not from the main file: on the Debian layout, one case per class
# of issue 10, each asserting the exact bytes written (or that nothing was
# written, byte and mtime) and Apache's own `apache2 -t` on the result.
#
# - an admin's access rule on DIR in an included file (Require ip, Basic
#   auth, Require all denied; one behind a ${VAR}): the section is
#   completed where it lives, no "Require all granted" anywhere, a warning
# - Debian's /usr/lib/cgi-bin: only the module and hello.py
# - a line that would turn CGI off again (a later -ExecCGI in the same
#   section, a later section for DIR, a regex section): exit 2, named
# - URL paths: an Alias / in a non-default vhost does not take every path;
#   Redirect, RewriteRule and ProxyPass prefixes do; another --url-path
#   for a served DIR is refused; the document root is served at /
# - DIR with a wildcard or ${: exit 2
# - symlinks: a symlinked main config is edited at its target, the link
#   kept (undo too); an absolute symlink under --root is read inside ROOT
# - a file without a final newline is edited (the newline added); a CRLF
#   file stays CRLF; Debian's multi-instance /etc/apache2-NAME is refused
. "$(dirname "$0")/../lib.sh"

root="$TMPD/root"
E="$root/etc/apache2"
cfg="$E/apache2.conf"

layouts_init

# fresh: a copy of the project's own Debian layout.
fresh() {
	copy_layout own/debian "$root"
}

run() {
	"$CGISETUP" --root "$root" "$@" >"$TMPD/out" 2>&1
}

apache_t() {
	bash -c "set -a; . '$E/envvars'
		APACHE_RUN_DIR=$TMPD APACHE_LOCK_DIR=$TMPD APACHE_LOG_DIR=$TMPD
		/usr/sbin/apache2 -d '$E' -f '$cfg' -t"
}

# enable_conf NAME TEXT: conf-available/NAME.conf, linked from conf-enabled.
enable_conf() {
	printf '%b' "$2" >"$E/conf-available/$1.conf"
	ln -s "../conf-available/$1.conf" "$E/conf-enabled/$1.conf"
}

said() {
	grep -qF -- "$1" "$TMPD/out" || { cat "$TMPD/out"; return 1; }
}

MARK='# managed by cgisetup (undo with: cgisetup --undo)'

# ---- an admin's access rule in an included file is kept ----
restricted() {  # NAME RULES (printf %b) RULE-SHOWN LINE
	fresh
	enable_conf admin-tools "<Directory /srv/cgi>\n$2</Directory>\n"
	main=$(cat "$cfg")
	run --dir /srv/cgi --yes
	is "$1: exit 0" 0 $?
	is "$1: the section completed where it lives, its rules first and kept" \
		"$(printf '<Directory /srv/cgi>\n%b\t%s\n\tOptions +ExecCGI\n\tAddHandler cgi-script .py\n</Directory>' \
			"$2" "$MARK")" "$(cat "$E/conf-available/admin-tools.conf")"
	ok "$1: conf-enabled/admin-tools.conf is still a symlink" test -L "$E/conf-enabled/admin-tools.conf"
	is "$1: the main config gets only the Alias" \
		"$(printf '%s\n# cgisetup: URL path for /srv/cgi\nAlias /cgi/ /srv/cgi/' "$main")" "$(cat "$cfg")"
	is "$1: no 'Require all granted' for /srv/cgi anywhere" 0 \
		"$(grep -rl 'Require all granted' "$E/conf-available/admin-tools.conf" | wc -l)"
	ok "$1: the warning names the rule, file and line" \
		said "access to '/srv/cgi' stays restricted by '$3' in '/etc/apache2/conf-enabled/admin-tools.conf' line $4"
	ok "$1: apache2 -t accepts the result" apache_t
}
restricted "Require ip" '\tRequire ip 10.0.0.0/8\n' "Require ip 10.0.0.0/8" 2
restricted "Basic auth" '\tAuthType Basic\n\tAuthName admins\n\tAuthUserFile /etc/apache2/htpasswd\n\tRequire valid-user\n' \
	"Require valid-user" 5
restricted "Require all denied" '\tRequire all denied\n' "Require all denied" 2

# The section's path behind a Define'd variable is the same section.
fresh
enable_conf admin-tools 'Define TOOLS /srv/cgi\n<Directory ${TOOLS}>\n\tRequire ip 10.0.0.0/8\n</Directory>\n'
run --dir /srv/cgi --yes
is "\${VAR} section: exit 0" 0 $?
ok "\${VAR} section: completed in place" grep -qx $'\tOptions +ExecCGI' "$E/conf-available/admin-tools.conf"
is "\${VAR} section: no second section in the main config" 0 "$(grep -c '<Directory /srv/cgi>' "$cfg")"
ok "\${VAR} section: the restriction is named" said "stays restricted by 'Require ip "

# A <Location> on the URL merges after every <Directory>: its rule stays.
fresh
enable_conf location '<Location /cgi>\n\tRequire ip 10.0.0.0/8\n</Location>\n'
run --dir /srv/cgi --yes
is "<Location> rule: exit 0" 0 $?
ok "<Location> rule: named, and kept" \
	said "access to /cgi/ stays restricted by 'Require ip 10.0.0.0/8' in '/etc/apache2/conf-enabled/location.conf' line 2"
ok "<Location> rule: the file untouched" \
	test "$(cat "$E/conf-available/location.conf")" = "$(printf '<Location /cgi>\n\tRequire ip 10.0.0.0/8\n</Location>')"

# A file cgisetup only reads that Apache would refuse: a warning with file
# and line, not a failure (the config test on the real system says more).
fresh
enable_conf broken '<Directory /srv/x>\n\tOptions None\n'
printf '</Location>\n' >"$E/conf-enabled/stray.conf"
run --dir /srv/cgi --dry-run
is "unbalanced sections elsewhere: exit 0" 0 $?
ok "unbalanced sections elsewhere: the unclosed one named" \
	said "'<Directory>' opened in '/etc/apache2/conf-enabled/broken.conf' line 1 is not closed in that file"
ok "unbalanced sections elsewhere: the stray close named" \
	said "'</Location>' in '/etc/apache2/conf-enabled/stray.conf' line 1 closes no open section"

# A section in a file a package owns (a dpkg conffile) is left as it is:
# cgisetup's own section follows it in the main config. dpkg's database is
# read inside --root: here it sits behind an absolute link, which must lead
# to the tree's copy, never the host's.
fresh
enable_conf pkg-tools '<Directory /srv/cgi>\n\tOptions +Indexes\n</Directory>\n'
mkdir -p "$root/var/lib/dpkg-db/info"
printf '/etc/apache2/conf-enabled/pkg-tools.conf\n' >"$root/var/lib/dpkg-db/info/tools.conffiles"
ln -s /var/lib/dpkg-db "$root/var/lib/dpkg"
pkg=$(cat "$E/conf-available/pkg-tools.conf")
run --dir /srv/cgi --yes
is "package-owned section: exit 0" 0 $?
is "package-owned section: its file untouched" "$pkg" "$(cat "$E/conf-available/pkg-tools.conf")"
ok "package-owned section: cgisetup's own section in the main config" grep -q '^<Directory /srv/cgi>' "$cfg"
ok "package-owned section: said so" \
	said "the section for '/srv/cgi' in '/etc/apache2/conf-enabled/pkg-tools.conf' line 1 belongs to a package"

# ---- Debian's own /usr/lib/cgi-bin: the module, nothing else ----
fresh
main=$(cat "$cfg")
serve=$(cat "$E/conf-available/serve-cgi-bin.conf")
run --dir /usr/lib/cgi-bin --yes
is "/usr/lib/cgi-bin: exit 0" 0 $?
is "/usr/lib/cgi-bin: the main config untouched" "$main" "$(cat "$cfg")"
is "/usr/lib/cgi-bin: serve-cgi-bin.conf untouched" "$serve" \
	"$(cat "$E/conf-available/serve-cgi-bin.conf")"
is "/usr/lib/cgi-bin: the module enabled, as a2enmod does" "../mods-available/cgid.load" \
	"$(readlink "$E/mods-enabled/cgid.load")"
ok "/usr/lib/cgi-bin: served at /cgi-bin/" said "served at /cgi-bin/"
ok "/usr/lib/cgi-bin: hello.py written" test -x "$root/usr/lib/cgi-bin/hello.py"
ok "/usr/lib/cgi-bin: apache2 -t accepts the result" apache_t

# ---- lines that would turn CGI off again: refused, nothing written ----
refused() {  # NAME EXPECTED-MESSAGE-PART [ARGS...]
	local name=$1 want=$2 before mtimes
	shift 2
	before=$(snapshot "$root")
	mtimes=$(snapshot_mtimes "$root")
	run "$@"
	is "$name: exit 2" 2 $?
	ok "$name: says why" said "$want"
	is "$name: every byte as it was" "$before" "$(snapshot "$root")"
	is "$name: every mtime as it was" "$mtimes" "$(snapshot_mtimes "$root")"
}
fresh
printf '<Directory /srv/cgi>\n\tOptions +ExecCGI\n\tOptions -ExecCGI\n</Directory>\n' >>"$cfg"
line=$(grep -n 'Options -ExecCGI' "$cfg" | cut -d: -f1)
refused "a later -ExecCGI in the section" \
	"'Options -ExecCGI' in '/etc/apache2/apache2.conf' line $line would turn CGI off again for '/srv/cgi'" \
	--dir /srv/cgi --yes
fresh
enable_conf a-tools '<Directory /srv/cgi>\n\tOptions +ExecCGI\n</Directory>\n'
enable_conf z-tools '<Directory /srv/cgi>\n\tOptions Indexes\n</Directory>\n'
refused "a later section for DIR" \
	"'Options Indexes' in '/etc/apache2/conf-enabled/z-tools.conf' line 2 would turn CGI off again" \
	--dir /srv/cgi --yes
fresh
enable_conf match '<DirectoryMatch "^/srv/cgi">\n\tOptions None\n</DirectoryMatch>\n'
refused "a regex section" \
	"'Options None' in '/etc/apache2/conf-enabled/match.conf' line 2 would turn CGI off again" \
	--dir /srv/cgi --yes
fresh
enable_conf handler '<Directory /srv>\n\tRemoveHandler .py\n</Directory>\n<Directory /srv/cgi/sub>\n</Directory>\n'
run --dir /srv/cgi --yes
is "a RemoveHandler on a parent, before cgisetup's section: applied" 0 $?
ok "... and the handler is added" grep -qx $'\tAddHandler cgi-script .py' "$cfg"

# ---- URL paths ----
fresh
cat >"$E/sites-available/other.conf" <<'EOF'
<VirtualHost *:80>
	ServerName other.example
	DocumentRoot /var/www/other
	Alias / /var/www/other/
</VirtualHost>
EOF
ln -s ../sites-available/other.conf "$E/sites-enabled/other.conf"
run --dir /srv/cgi --yes
is "Alias / in a name-based vhost: exit 0" 0 $?
ok "Alias / in a name-based vhost: the default URL path is free" grep -qx 'Alias /cgi/ /srv/cgi/' "$cfg"

for rule in "Redirect /cgi http://example.org/" "Redirect permanent /cgi/ http://example.org/" \
	"RewriteRule ^/cgi/(.*) /elsewhere/\$1" "ProxyPass /cgi http://127.0.0.1:8080/"; do
	fresh
	printf '%s\n' "$rule" >>"$cfg"
	run --dir /srv/cgi --yes
	is "$rule: exit 0" 0 $?
	ok "$rule: /cgi is taken, /cgi-2 used" grep -qx 'Alias /cgi-2/ /srv/cgi/' "$cfg"
	run --dir /srv/other --url-path /cgi --dry-run
	is "$rule: --url-path /cgi refused (exit 2)" 2 $?
done

fresh
run --dir /srv/cgi --yes
refused "another --url-path for a served DIR" \
	"'/srv/cgi' is already served at /cgi/ by 'Alias' in '/etc/apache2/apache2.conf'" \
	--dir /srv/cgi --url-path /tools --yes

fresh
main=$(cat "$cfg")
run --dir /var/www/html --yes
is "the document root: exit 0" 0 $?
ok "the document root: served at /" said "served at /"
ok "the document root: no Alias" bash -c "! grep -q '^Alias' '$cfg'"
ok "the document root: the section's handler" grep -qx $'\tAddHandler cgi-script .py' "$cfg"
ok "the document root: no Require added (the stock section grants)" \
	bash -c "[ \"\$(grep -c 'Require all granted' '$cfg')\" = \"$(grep -c 'Require all granted' <<<"$main")\" ]"
ok "the document root: apache2 -t accepts the result" apache_t

# ---- directory names Apache would not read literally ----
fresh
refused "a wildcard in DIR" "contains a wildcard character" --dir '/srv/*' --yes
refused "\${ in DIR" "would read as a variable" --dir '/srv/${X}' --yes
refused "> in DIR" "ends an Apache section" --dir '/srv/a>b' --yes

# ---- symlinks ----
fresh
mv "$cfg" "$cfg.real"
ln -s apache2.conf.real "$cfg"
pristine=$(cat "$cfg.real")
run --dir /srv/cgi --yes
is "symlinked main config: exit 0" 0 $?
ok "symlinked main config: still a symlink" test -L "$cfg"
ok "symlinked main config: the target edited" grep -q '^<Directory /srv/cgi>' "$cfg.real"
run --undo --yes
is "symlinked main config: undo exit 0" 0 $?
ok "symlinked main config: still a symlink after undo" test -L "$cfg"
is "symlinked main config: the target restored" "$pristine" "$(cat "$cfg.real")"

# An absolute link inside the tree points into the tree, never the host.
fresh
printf '<Directory /srv/cgi>\n\tRequire ip 192.0.2.0/24\n</Directory>\n' >"$E/conf-available/abs.conf"
ln -s /etc/apache2/conf-available/abs.conf "$E/conf-enabled/abs.conf"
run --dir /srv/cgi --yes
is "absolute symlink under --root: exit 0" 0 $?
ok "absolute symlink under --root: the tree's file read (its rule kept)" \
	said "stays restricted by 'Require ip "
ok "absolute symlink under --root: edited inside the tree" \
	grep -qx $'\tOptions +ExecCGI' "$E/conf-available/abs.conf"
ok "absolute symlink under --root: the link kept" test -L "$E/conf-enabled/abs.conf"

# ---- how the file looks afterwards ----
# Indented like the file's own sections (tabs in Debian's apache2.conf).
fresh
run --dir /srv/cgi --yes
is "indentation: the new section's lines indented with a tab" \
	"$(printf '<Directory /srv/cgi>\n\t%s\n\tOptions +ExecCGI\n\tAddHandler cgi-script .py\n\tRequire all granted\n</Directory>' "$MARK")" \
	"$(sed -n '/^<Directory \/srv\/cgi>$/,/^<\/Directory>$/p' "$cfg")"

# No final newline: edited (Augeas 1.14 can parse such a file, not write it
# back), in --dry-run and --yes alike, the newline added; undo restores
# the original bytes.
fresh
printf '%s' "$(cat "$cfg")" >"$cfg"
pristine=$(sha256sum <"$cfg")
run --dir /srv/cgi --dry-run
is "no final newline: --dry-run exit 0" 0 $?
ok "no final newline: the diff adds the newline" said '\ No newline at end of file'
run --dir /srv/cgi --yes
is "no final newline: apply exit 0" 0 $?
is "no final newline: the last line ends with a newline" "" "$(tail -c 1 "$cfg")"
ok "no final newline: apache2 -t accepts the result" apache_t
run --undo --yes
is "no final newline: undo exit 0" 0 $?
is "no final newline: undo restores the exact bytes" "$pristine" "$(sha256sum <"$cfg")"

# CRLF line endings: the added lines get CR LF too.
fresh
sed -i 's/$/\r/' "$cfg"
run --dir /srv/cgi --yes
is "CRLF: exit 0" 0 $?
is "CRLF: every line still ends with CR LF" 0 "$(grep -cv $'\r$' "$cfg")"
ok "CRLF: the section was added" grep -q $'^<Directory /srv/cgi>\r$' "$cfg"

# A main config bind-mounted into the tree (as into a container): rename
# cannot replace it, so the run refuses before writing, naming the file.
fresh
if [ "$(id -u)" = 0 ]; then
	cp "$cfg" "$TMPD/mounted.conf"
	mount --bind "$TMPD/mounted.conf" "$cfg"
	refused "a bind-mounted main config" \
		"'/etc/apache2/apache2.conf' is a mount point of its own (bind-mounted)" --dir /srv/cgi --yes
	umount "$cfg"
else
	skip "a bind-mounted main config: mount needs root"
fi

# ---- Debian's multi-instance setup: refused, never the default's files ----
fresh
cp -a "$E" "$root/etc/apache2-web2"
refused "multi-instance --config" "belongs to the Apache instance 'web2' (apache2@web2.service)" \
	--config /etc/apache2-web2/apache2.conf --dir /srv/cgi --yes

done_testing
