#!/bin/bash
# vhost.sh - --vhost NAME on Debian's real Apache (issue 13, item 1):
# (a) two name-based vhosts a.test and b.test plus the default: --vhost
#     b.test runs the script with Host: b.test only (404 with Host: a.test
#     and on the default vhost), the proof used b.test's Host; undo puts
#     every file back byte for byte and b.test answers 404 again; a vhost
#     on 127.0.0.2:80 only is proven on that address;
# (b) a vhost with both *:80 and *:443 (mod_ssl, a self-signed
#     certificate made at test time), named by its alias: both copies get
#     the section, CGI runs on both, the other files are untouched; undo;
# (c) bad input: an unknown name (exit 2, lists the known ones), a name
#     with a newline or a quote: exit 2, every file byte- and
#     mtime-identical.
. "$(dirname "$0")/common.sh"
sys_require

command -v openssl >/dev/null || bail "openssl is needed on the host to make a certificate"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=b.test \
	-addext subjectAltName=DNS:b.test,DNS:www.b.test -keyout "$TMPD/key.pem" \
	-out "$TMPD/cert.pem" >"$TMPD/openssl.log" 2>&1 ||
	bail "openssl: $(tail -n 1 "$TMPD/openssl.log")"
PROBE_RE='cgisetup-probe-[0-9a-f]\{16\}\.py'
SITES=/etc/apache2/sites-available

# site C NAME TEXT: a site file, enabled.
site() {
	in_c "$1" sh -c 'printf "%s" "$2" >'"$SITES"'/"$1".conf && a2ensite -q "$1"' _ "$2" "$3" \
		>/dev/null
}

vhost80() {  # vhost80 NAME [ALIAS]
	printf '<VirtualHost *:80>\n\tServerName %s\n%s\tDocumentRoot /var/www/%s\n</VirtualHost>\n' \
		"$1" "${2:+	ServerAlias $2
}" "$1"
}

# code C HOST URL: the status of URL with Host: HOST on loopback port 80.
code() {
	in_c "$1" curl -gs -o /dev/null -w '%{http_code}' --max-time 5 -H "Host: $2" "$3" || true
}

body() {
	in_c "$1" curl -gs --max-time 5 -H "Host: $2" "$3" || true
}

# ---- (a) two name-based vhosts plus the default ----
sys_start c vhost-names
in_c "$c" mkdir -p /var/www/a.test /var/www/b.test
site "$c" a "$(vhost80 a.test)"
site "$c" b "$(vhost80 b.test)"
ok "a: Apache reloaded with a.test and b.test" in_c "$c" systemctl reload apache2.service
etc0=$(c_snapshot "$c" /etc/apache2)
main0=$(in_c "$c" sha256sum /etc/apache2/apache2.conf /etc/apache2/sites-available/a.conf \
	/etc/apache2/sites-available/000-default.conf)
cgs "$c" --dir /srv/cgi --vhost b.test --yes --json >"$TMPD/a.json" 2>"$TMPD/a.err"
is_rc "a: exit 0" 0 $? "$TMPD/a.json" "$TMPD/a.err"
is "a: verify.verdict" ran "$(jget verify.verdict "$TMPD/a.json")"
ok "a: the proof fetched b.test's URL ($(jget verify.url "$TMPD/a.json"))" \
	has "^http://b.test/cgi/$PROBE_RE$" <(jget verify.url "$TMPD/a.json")
ok "a: the hello URL to try is b.test's" has "^http://b.test/cgi/hello.py$" <(jget url "$TMPD/a.json")
ok "a: Host: b.test runs the script" \
	contains "$(body "$c" b.test http://127.0.0.1/cgi/hello.py)" "$PROOF"
is "a: Host: a.test does not (404)" 404 "$(code "$c" a.test http://127.0.0.1/cgi/hello.py)"
is "a: the default vhost does not (404)" 404 "$(c_code "$c" http://127.0.0.1/cgi/hello.py)"
is "a: apache2.conf, a.conf and 000-default.conf untouched" "$main0" \
	"$(in_c "$c" sha256sum /etc/apache2/apache2.conf /etc/apache2/sites-available/a.conf \
		/etc/apache2/sites-available/000-default.conf)"
b=$(in_c "$c" cat "$SITES/b.conf")
ok "a: b.conf maps the URL inside its <VirtualHost>" \
	has '^	Alias /cgi/ /srv/cgi/$' <(sed -n '/<VirtualHost/,/<\/VirtualHost>/p' <<<"$b")
ok "a: b.conf holds the <Directory> section inside its <VirtualHost>" \
	has '^	<Directory /srv/cgi>$' <(sed -n '/<VirtualHost/,/<\/VirtualHost>/p' <<<"$b")
ok "a: sites-enabled/b.conf is still a link" in_c "$c" test -L /etc/apache2/sites-enabled/b.conf
cgs "$c" --check /srv/cgi >"$TMPD/a-check.out" 2>&1
is_rc "a: --check DIR (judged as b.test sees it): exit 0" 0 $? "$TMPD/a-check.out"
ok "a: --check DIR: no problem line" not has '^problem' "$TMPD/a-check.out"
cgs "$c" --check >"$TMPD/a-check.out" 2>&1
is_rc "a: --check (the journal's dirs): exit 0" 0 $? "$TMPD/a-check.out"
cgs "$c" --check /srv/cgi/hello.py >"$TMPD/a-check.out" 2>&1
is_rc "a: --check SCRIPT (fetched with Host: b.test): exit 0" 0 $? "$TMPD/a-check.out"
cgs "$c" --undo --yes >"$TMPD/a-undo.out" 2>&1
is_rc "a undo: exit 0" 0 $? "$TMPD/a-undo.out"
ok "a undo: its check fetched b.test's URL" has "the check fetched http://b.test/cgi/" \
	"$TMPD/a-undo.out"
is "a undo: /etc/apache2 as before (bytes, modes, links)" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "a undo: Host: b.test answers 404" 404 "$(code "$c" b.test http://127.0.0.1/cgi/hello.py)"

# ---- (a2) a vhost on a specific address: the proof goes there ----
in_c "$c" mkdir -p /var/www/c.test
site "$c" c "$(printf '<VirtualHost 127.0.0.2:80>\n\tServerName c.test\n\tDocumentRoot /var/www/c.test\n</VirtualHost>\n')"
ok "a2: Apache reloaded with c.test on 127.0.0.2:80" in_c "$c" systemctl reload apache2.service
cgs "$c" --dir /srv/cgi --vhost c.test --yes --json >"$TMPD/a2.json" 2>"$TMPD/a2.err"
is_rc "a2: exit 0" 0 $? "$TMPD/a2.json" "$TMPD/a2.err"
is "a2: verify.verdict" ran "$(jget verify.verdict "$TMPD/a2.json")"
ok "a2: the proof fetched c.test's URL" \
	has "^http://c.test/cgi/$PROBE_RE$" <(jget verify.url "$TMPD/a2.json")
ok "a2: Host c.test on 127.0.0.2 runs the script" \
	contains "$(body "$c" c.test http://127.0.0.2/cgi/hello.py)" "$PROOF"
is "a2: Host c.test on 127.0.0.1 (another vhost) does not" 404 \
	"$(code "$c" c.test http://127.0.0.1/cgi/hello.py)"
in_c "$c" truncate -s 0 /var/log/apache2/other_vhosts_access.log
cgs "$c" --undo --yes >"$TMPD/a2-undo.out" 2>&1
is_rc "a2 undo: exit 0" 0 $? "$TMPD/a2-undo.out"
is "a2 undo: Host c.test on 127.0.0.2 answers 404" 404 \
	"$(code "$c" c.test http://127.0.0.2/cgi/hello.py)"
# Debian logs the named vhosts' requests with their name and port: the
# undo's probe reached c.test (a 404 there), not the default vhost
ok "a2 undo: its check reached c.test on 127.0.0.2 (c.test's log has the probe's 404)" \
	has "^c\.test:80 [^ ]* .*GET /cgi/$PROBE_RE HTTP/1\.1\" 404" \
	<(in_c "$c" cat /var/log/apache2/other_vhosts_access.log)
"$RIG" stop "$c" >/dev/null 2>&1

# ---- (b) one vhost on *:80 and *:443 ----
sys_start c vhost-tls
in_c "$c" mkdir -p /var/www/b.test
in_c "$c" sh -c 'cat >/etc/apache2/b.key && chmod 0600 /etc/apache2/b.key' <"$TMPD/key.pem"
in_c "$c" sh -c 'cat >/etc/apache2/b.pem' <"$TMPD/cert.pem"
site "$c" b "$(vhost80 b.test www.b.test)"
# certbot's copy, inside <IfModule mod_ssl.c> as certbot writes it
site "$c" b-le-ssl "$(printf '<IfModule mod_ssl.c>\n<VirtualHost *:443>\n\tServerName b.test\n\tServerAlias www.b.test\n\tDocumentRoot /var/www/b.test\n\tSSLEngine on\n\tSSLCertificateFile /etc/apache2/b.pem\n\tSSLCertificateKeyFile /etc/apache2/b.key\n</VirtualHost>\n</IfModule>\n')"
in_c "$c" a2enmod -q ssl >/dev/null
ok "b: Apache restarted with mod_ssl and both copies" in_c "$c" systemctl restart apache2.service
etc0=$(c_snapshot "$c" /etc/apache2)
cgs "$c" --dir /srv/cgi --vhost www.b.test --yes --json >"$TMPD/b.json" 2>"$TMPD/b.err"
is_rc "b: exit 0 (named by its alias)" 0 $? "$TMPD/b.json" "$TMPD/b.err"
is "b: verify.verdict" ran "$(jget verify.verdict "$TMPD/b.json")"
ok "b: the proof fetched b.test's plain URL" \
	has "^http://b.test/cgi/$PROBE_RE$" <(jget verify.url "$TMPD/b.json")
for f in b b-le-ssl; do
	ok "b: $f.conf has the section" in_c "$c" grep -q '<Directory /srv/cgi>' "$SITES/$f.conf"
	ok "b: $f.conf has the Alias" in_c "$c" grep -q 'Alias /cgi/ /srv/cgi/' "$SITES/$f.conf"
done
ok "b: Host b.test on port 80 runs the script" \
	contains "$(body "$c" b.test http://127.0.0.1/cgi/hello.py)" "$PROOF"
ok "b: https with SNI b.test runs the script" \
	contains "$(in_c "$c" curl -sk --max-time 5 --resolve b.test:443:127.0.0.1 \
		https://b.test/cgi/hello.py)" "$PROOF"
is "b: the default vhost does not (404)" 404 "$(c_code "$c" http://127.0.0.1/cgi/hello.py)"
cgs "$c" --undo --yes >"$TMPD/b-undo.out" 2>&1
is_rc "b undo: exit 0" 0 $? "$TMPD/b-undo.out"
is "b undo: /etc/apache2 as before (both copies byte-identical)" "$etc0" \
	"$(c_snapshot "$c" /etc/apache2)"
is "b undo: https with SNI b.test answers 404" 404 \
	"$(in_c "$c" curl -sk -o /dev/null -w '%{http_code}' --max-time 5 \
		--resolve b.test:443:127.0.0.1 https://b.test/cgi/hello.py)"

# ---- (c) bad input, in the same container ----
etc0=$(c_snapshot "$c" /etc/apache2)
mt0=$(c_mtimes "$c" /etc/apache2)
srv0=$(c_snapshot "$c" /srv)
cgs "$c" --dir /srv/cgi --vhost nope.test --yes >"$TMPD/c1.out" 2>&1
is_rc "c unknown: exit 2" 2 $? "$TMPD/c1.out"
ok "c unknown: names it and lists the known ones" \
	has "no virtual host is named 'nope.test'; the known ones: .*'b.test'" "$TMPD/c1.out"
cgs "$c" --dir /srv/cgi --vhost $'b.test\nx' --yes >"$TMPD/c2.out" 2>&1
is_rc "c newline: exit 2" 2 $? "$TMPD/c2.out"
ok "c newline: says why" has "virtual host name 'b.test\\\\nx' contains a newline" "$TMPD/c2.out"
cgs "$c" --dir /srv/cgi --vhost "b.test'" --yes >"$TMPD/c3.out" 2>&1
is_rc "c quote: exit 2" 2 $? "$TMPD/c3.out"
ok "c quote: says why" has "contains a quote" "$TMPD/c3.out"
cgs "$c" --dir /srv/cgi --vhost 'b"test' --yes >"$TMPD/c4.out" 2>&1
is_rc "c double quote: exit 2" 2 $? "$TMPD/c4.out"
is "c: /etc/apache2 byte-identical" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "c: /etc/apache2 mtime-identical" "$mt0" "$(c_mtimes "$c" /etc/apache2)"
is "c: /srv untouched" "$srv0" "$(c_snapshot "$c" /srv)"
"$RIG" stop "$c" >/dev/null 2>&1
done_testing
