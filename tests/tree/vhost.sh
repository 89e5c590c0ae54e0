#!/bin/bash
# vhost.sh - --vhost NAME with --root on the project's own layouts: the
# URL mapping and the section go inside every copy of the virtual host
# (Debian: site.conf on *:80 and certbot's site-le-ssl.conf on *:443
# inside <IfModule mod_ssl.c>; RHEL: a vhost in conf.d) and nowhere else;
# named by ServerName, ServerAlias or site file; undo gives every byte
# back; --detect lists the vhosts; bad names exit 2 with nothing touched.
. "$(dirname "$0")/../lib.sh"
layouts_init

root="$TMPD/root"
SA=etc/apache2/sites-available
SE=etc/apache2/sites-enabled

# debian_sites: b.test on *:80 (alias www.b.test) and its TLS copy, a.test,
# mod_ssl on.
debian_sites() {
	copy_layout own/debian "$root"
	printf '<VirtualHost *:80>\n\tServerName b.test\n\tServerAlias www.b.test\n\tDocumentRoot /var/www/b\n</VirtualHost>\n' \
		>"$root/$SA/b.conf"
	printf '<IfModule mod_ssl.c>\n<VirtualHost *:443>\n\tServerName b.test\n\tDocumentRoot /var/www/b\n\tSSLEngine on\n</VirtualHost>\n</IfModule>\n' \
		>"$root/$SA/b-le-ssl.conf"
	printf '<VirtualHost *:80>\n\tServerName a.test\n\tDocumentRoot /var/www/a\n</VirtualHost>\n' \
		>"$root/$SA/a.conf"
	for s in a b b-le-ssl; do
		ln -s "../sites-available/$s.conf" "$root/$SE/$s.conf"
	done
	printf 'LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so\n' \
		>"$root/etc/apache2/mods-available/ssl.load"
	ln -s ../mods-available/ssl.load "$root/etc/apache2/mods-enabled/ssl.load"
}

# inside_vhost FILE LINE: LINE (a fixed string) is between <VirtualHost> and
# </VirtualHost> in FILE.
inside_vhost() {
	sed -n '/<VirtualHost/,/<\/VirtualHost>/p' "$1" | grep -qF -- "$2" && return 0
	echo "no '$2' inside a <VirtualHost> of $1:"
	sed 's/^/  /' "$1"
	return 1
}

for name in b.test www.b.test b; do
	debian_sites
	before=$(snapshot "$root")
	keep=$(cd "$root" && sha256sum etc/apache2/apache2.conf "$SA/a.conf" "$SA/000-default.conf")
	"$CGISETUP" --root "$root" --dir /srv/cgi --vhost "$name" --yes >"$TMPD/out" 2>&1
	is "debian --vhost $name: exit 0" 0 $?
	for f in b b-le-ssl; do
		ok "debian --vhost $name: $f.conf has the Alias inside its vhost" \
			inside_vhost "$root/$SA/$f.conf" 'Alias /cgi/ /srv/cgi/'
		ok "debian --vhost $name: $f.conf has the section inside its vhost" \
			inside_vhost "$root/$SA/$f.conf" '<Directory /srv/cgi>'
		ok "debian --vhost $name: sites-enabled/$f.conf is still a link" test -L "$root/$SE/$f.conf"
	done
	is "debian --vhost $name: apache2.conf, a.conf, 000-default.conf byte-identical" "$keep" \
		"$(cd "$root" && sha256sum etc/apache2/apache2.conf "$SA/a.conf" "$SA/000-default.conf")"
	"$CGISETUP" --root "$root" --undo >"$TMPD/out" 2>&1
	is "debian --vhost $name: undo exits 0" 0 $?
	is "debian --vhost $name: apply + undo = the original tree" "$before" "$(snapshot "$root")"
done

# a second run finds every copy configured: nothing would change, nothing
# changes (it added a second section to each copy before)
debian_sites
"$CGISETUP" --root "$root" --dir /srv/cgi --vhost b.test --yes >"$TMPD/out" 2>&1
once=$(snapshot "$root")
"$CGISETUP" --root "$root" --dir /srv/cgi --vhost b.test --dry-run --json >"$TMPD/again.json" 2>&1
is "debian --vhost b.test again, --dry-run: no change" "[]" \
	"$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["changes"])' "$TMPD/again.json")"
"$CGISETUP" --root "$root" --dir /srv/cgi --vhost b.test --yes >"$TMPD/out" 2>&1
is "debian --vhost b.test again: exit 0" 0 $?
ok "debian --vhost b.test again: already configured" grep -q "already configured" "$TMPD/out"
is "debian --vhost b.test again: the tree is as after the first run" "$once" "$(snapshot "$root")"
"$CGISETUP" --root "$root" --dir /srv/cgi --vhost b.test --ext .py,.cgi --dry-run >"$TMPD/out" 2>&1
ok "debian --vhost b.test --ext .py,.cgi: a new extension is still a change" \
	grep -q "add a <Directory /srv/cgi> section" "$TMPD/out"

# a directory below the vhost's own DocumentRoot needs no Alias there
debian_sites
"$CGISETUP" --root "$root" --dir /var/www/b/scripts --vhost b.test --yes >"$TMPD/out" 2>&1
is "debian, DIR below the vhost's DocumentRoot: exit 0" 0 $?
is "debian, DIR below the vhost's DocumentRoot: no Alias" 0 \
	"$(cat "$root/$SA/b.conf" "$root/$SA/b-le-ssl.conf" | grep -c '^[[:space:]]*Alias ')"
ok "debian, DIR below the vhost's DocumentRoot: the section inside the vhost" \
	inside_vhost "$root/$SA/b.conf" '<Directory /var/www/b/scripts>'

# the scope: --json (dry run and apply) names the vhost and every copy
# written into; --status and --undo (text and --json) name it
scope_of() {  # scope_of FILE: kind vhost file:line...
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
s = d["applied"][-1]["scope"] if "applied" in d else d["scope"]
print(s["kind"], s.get("vhost"), *[c["file"] + ":" + str(c["line"]) for c in s.get("copies", [])])' "$1"
}
debian_sites
"$CGISETUP" --root "$root" --dir /srv/cgi --vhost www.b.test --dry-run --json >"$TMPD/d.json" 2>&1
json_valid "scope: --dry-run --json valid" dry-run "$TMPD/d.json"
is "scope: --dry-run --json names the vhost and its copies" \
	"vhost www.b.test /$SA/b-le-ssl.conf:2 /$SA/b.conf:1" "$(scope_of "$TMPD/d.json")"
"$CGISETUP" --root "$root" --dir /srv/cgi --vhost www.b.test --yes --json >"$TMPD/a.json" 2>&1
json_valid "scope: apply --json valid" apply "$TMPD/a.json"
is "scope: apply --json names the vhost and its copies" \
	"vhost www.b.test /$SA/b-le-ssl.conf:2 /$SA/b.conf:1" "$(scope_of "$TMPD/a.json")"
"$CGISETUP" --root "$root" --dir /srv/main --yes --json >"$TMPD/m.json" 2>&1
is "scope: a server-wide apply --json says so" "server-wide None" "$(scope_of "$TMPD/m.json")"
"$CGISETUP" --root "$root" --status --json >"$TMPD/s.json" 2>&1
json_valid "scope: --status --json valid" status "$TMPD/s.json"
is "scope: --status --json, each entry's scope" "vhost www.b.test
server-wide None" "$(python3 -c 'import json, sys
for e in json.load(open(sys.argv[1]))["applied"]:
    print(e["scope"]["kind"], e["scope"].get("vhost"))' "$TMPD/s.json")"
"$CGISETUP" --root "$root" --status >"$TMPD/s.out" 2>&1
is "scope: --status, each entry's scope" "vhost www.b.test  /srv/cgi at /cgi/
server-wide  /srv/main at /main/" "$(sed -E 's/^[0-9]+  [^ ]+  //; s/  \(.*//' "$TMPD/s.out")"
"$CGISETUP" --root "$root" --undo --json >"$TMPD/u.json" 2>&1
json_valid "scope: --undo --json valid" undo "$TMPD/u.json"
is "scope: --undo --json, the server-wide entry" "server-wide None" "$(scope_of "$TMPD/u.json")"
"$CGISETUP" --root "$root" --undo --dry-run >"$TMPD/ud.out" 2>&1
ok "scope: --undo --dry-run names the vhost" \
	grep -qx "#   where it applied: only in the virtual host 'www.b.test'" "$TMPD/ud.out"
"$CGISETUP" --root "$root" --undo >"$TMPD/u.out" 2>&1
ok "scope: --undo names the vhost" \
	grep -qx "cgisetup: where it applied: only in the virtual host 'www.b.test'" "$TMPD/u.out"

# --detect lists the virtual hosts
debian_sites
"$CGISETUP" --root "$root" --detect --json >"$TMPD/detect.json" 2>"$TMPD/err"
is "detect --json: exit 0" 0 $?
json_valid "detect --json: valid against its schema" detect "$TMPD/detect.json"
is "detect --json: the vhosts, name file:line port tls aliases docroot" \
	"None $SE/000-default.conf:2 80 False [] /var/www/html
a.test $SE/a.conf:1 80 False [] /var/www/a
b.test $SE/b-le-ssl.conf:2 443 True [] /var/www/b
b.test $SE/b.conf:1 80 False ['www.b.test'] /var/www/b" \
	"$(python3 -c 'import json, sys
for v in json.load(open(sys.argv[1]))["vhosts"]:
    print(v["name"], v["file"].lstrip("/") + ":" + str(v["line"]), v["port"], v["tls"],
          v["aliases"], v["document_root"])' "$TMPD/detect.json")"
"$CGISETUP" --root "$root" --detect >"$TMPD/detect.out" 2>&1
ok "detect: lists b.test with its alias, address, TLS and place" \
	grep -qF "b.test (www.b.test) *:80  /$SE/b.conf:1" "$TMPD/detect.out"
ok "detect: marks the TLS copy" grep -qF "b.test *:443 TLS  /$SE/b-le-ssl.conf:2" "$TMPD/detect.out"

# RHEL: a vhost in conf.d
copy_layout own/rhel "$root"
printf '<VirtualHost *:80>\n    ServerName r.test\n    DocumentRoot /var/www/r\n</VirtualHost>\n' \
	>"$root/etc/httpd/conf.d/r.conf"
before=$(snapshot "$root")
main0=$(sha256sum <"$root/etc/httpd/conf/httpd.conf")
"$CGISETUP" --root "$root" --dir /srv/cgi --vhost r.test --yes >"$TMPD/out" 2>&1
is "rhel --vhost r.test: exit 0" 0 $?
ok "rhel --vhost r.test: the section inside the vhost" \
	inside_vhost "$root/etc/httpd/conf.d/r.conf" '<Directory /srv/cgi>'
ok "rhel --vhost r.test: the Alias inside the vhost" \
	inside_vhost "$root/etc/httpd/conf.d/r.conf" 'Alias /cgi/ /srv/cgi/'
is "rhel --vhost r.test: httpd.conf byte-identical" "$main0" \
	"$(sha256sum <"$root/etc/httpd/conf/httpd.conf")"
"$CGISETUP" --root "$root" --undo >"$TMPD/out" 2>&1
is "rhel --vhost r.test: undo exits 0" 0 $?
is "rhel --vhost r.test: apply + undo = the original tree" "$before" "$(snapshot "$root")"

# bad names: exit 2, every byte and mtime as it was, no journal made
debian_sites
before=$(snapshot "$root")
mtimes=$(snapshot_mtimes "$root")
dirs=$(dir_mtimes "$root")
bad() {  # bad LABEL EXPECTED-MESSAGE NAME
	"$CGISETUP" --root "$root" --dir /srv/cgi --vhost "$3" --yes >"$TMPD/out" 2>&1
	is "bad name ($1): exit 2" 2 $?
	ok "bad name ($1): says why" grep -qF -- "$2" "$TMPD/out"
}
bad unknown "no virtual host is named 'nope.test'; the known ones: '000-default.conf', 'a.test', 'b.test'" \
	nope.test
bad newline "virtual host name 'b.test\\nx' contains a newline" $'b.test\nx'
bad quote "virtual host name 'b.test'x' contains a quote" "b.test'x"
bad "double quote" "virtual host name 'b.test\"x' contains a double quote" 'b.test"x'
bad slash "contains a blank or a slash" b/test
bad empty "--vhost needs a name" ""
is "bad names: the tree is byte-identical" "$before" "$(snapshot "$root")"
is "bad names: file mtimes unchanged" "$mtimes" "$(snapshot_mtimes "$root")"
is "bad names: /, /var, /var/lib mtimes unchanged (no journal)" "$dirs" "$(dir_mtimes "$root")"
done_testing
