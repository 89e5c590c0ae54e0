#!/bin/bash
# https.sh - the proof reaches the server as a client would (issue 13,
# item 3; issue 11, item 1: redirects), on Debian's real Apache:
# (a) an HTTPS-only server (mod_ssl, no Listen 80, a self-signed
#     certificate made at test time): apply exits 0, the check fetched the
#     https URL on loopback and says it accepted the server's own
#     certificate; --check reaches it the same way; undo;
# (b) port 80 redirects everything to https on the server's own name
#     (what certbot --redirect sets up): the check follows it on loopback
#     with the name as Host and SNI, exit 0, the output names both URLs;
# (c) a redirect to another host is reported, not followed: exit 1,
#     rolled back, the location named;
# (d) Listen 8080 only, Listen 127.0.0.2:80 only, Listen [::1]:80 only:
#     the check reaches the server; each undone.
. "$(dirname "$0")/common.sh"
sys_require

# A self-signed certificate for r.test, made now on this host (the rig's
# root file system has no openssl) and copied into each container.
command -v openssl >/dev/null || bail "openssl is needed on the host to make a certificate"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=r.test \
	-addext subjectAltName=DNS:r.test -keyout "$TMPD/key.pem" -out "$TMPD/cert.pem" \
	>"$TMPD/openssl.log" 2>&1 || bail "openssl: $(tail -n 1 "$TMPD/openssl.log")"
PROBE_RE='cgisetup-probe-[0-9a-f]\{16\}\.py'

# tls_site C: mod_ssl on, a site on *:443 named r.test with the certificate.
tls_site() {
	in_c "$1" sh -c 'cat >/etc/apache2/cgs-test.key && chmod 0600 /etc/apache2/cgs-test.key' \
		<"$TMPD/key.pem"
	in_c "$1" sh -c 'cat >/etc/apache2/cgs-test.pem' <"$TMPD/cert.pem"
	in_c "$1" sh -c 'cat >/etc/apache2/sites-available/r-ssl.conf' <<-'EOF'
	<VirtualHost *:443>
		ServerName r.test
		DocumentRoot /var/www/html
		SSLEngine on
		SSLCertificateFile /etc/apache2/cgs-test.pem
		SSLCertificateKeyFile /etc/apache2/cgs-test.key
	</VirtualHost>
	EOF
	in_c "$1" sh -c 'a2enmod -q ssl && a2ensite -q r-ssl' >/dev/null
}

# restart_ok C LABEL: Apache restarted on the test's configuration.
restart_ok() {
	ok "$2: Apache restarted on the test's configuration" \
		in_c "$1" systemctl restart apache2.service
}

# ---- (a) HTTPS-only ----
sys_start c https-only
tls_site "$c"
in_c "$c" sed -i 's/^Listen 80$/# Listen 80 (off: HTTPS only)/' /etc/apache2/ports.conf
restart_ok "$c" a
is "a: nothing listens on port 80" 000 "$(c_code "$c" http://127.0.0.1/)"
srv0=$(c_snapshot "$c" /srv)
cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/a.json" 2>"$TMPD/a.err"
is_rc "a: exit 0" 0 $? "$TMPD/a.json" "$TMPD/a.err"
is "a: verify.verdict" ran "$(jget verify.verdict "$TMPD/a.json")"
ok "a: the check fetched the https URL on loopback ($(jget verify.url "$TMPD/a.json"))" \
	has "^https://127.0.0.1/cgi/$PROBE_RE$" <(jget verify.url "$TMPD/a.json")
is "a: any_certificate" true "$(jget verify.any_certificate "$TMPD/a.json")"
is "a: no redirect" "" "$(jget verify.redirected_from "$TMPD/a.json")"
ok "a: the hello.py URL to try is https" \
	has "https://127.0.0.1/cgi/hello.py" <(jget url "$TMPD/a.json")
ok "a: curl -k over https runs hello.py" \
	contains "$(in_c "$c" curl -sk --max-time 5 https://127.0.0.1/cgi/hello.py)" "$PROOF"
cgs "$c" --undo --yes >"$TMPD/a-undo.out" 2>&1
is_rc "a undo: exit 0" 0 $? "$TMPD/a-undo.out"
ok "a undo: names the https URL it fetched" has "the check fetched https://127.0.0.1/cgi/" \
	"$TMPD/a-undo.out"
is "a undo: /srv as before" "$srv0" "$(c_snapshot "$c" /srv)"
# the human report of an apply
cgs "$c" --dir /srv/cgi --yes >"$TMPD/a2.out" 2>&1
is_rc "a (text): exit 0" 0 $? "$TMPD/a2.out"
ok "a (text): names the https URL it fetched" \
	has "^cgisetup: the check fetched https://127.0.0.1/cgi/$PROBE_RE$" "$TMPD/a2.out"
ok "a (text): says it accepted the server's own certificate" \
	has "accepting the server's own certificate without verifying it" "$TMPD/a2.out"
ok "a (text): verified" has "verified: a probe script ran in '/srv/cgi'" "$TMPD/a2.out"
# --check reaches the same target (verify_url): https, the server's own
# certificate accepted
cgs "$c" --check /srv/cgi/hello.py --json >"$TMPD/a-check.json" 2>"$TMPD/a-check.err"
is_rc "a --check: exit 0" 0 $? "$TMPD/a-check.json" "$TMPD/a-check.err"
is "a --check: the script ran over https" ran "$(python3 -c 'import json, sys
print(" ".join(f["id"] for f in json.load(open(sys.argv[1]))["findings"] if f["id"] == "ran"))' \
	"$TMPD/a-check.json")"
# --vhost on the HTTPS-only server: its name as Host and SNI, over https
cgs "$c" --dir /srv/cgi2 --vhost r.test --yes --json >"$TMPD/a3.json" 2>"$TMPD/a3.err"
is_rc "a --vhost r.test: exit 0" 0 $? "$TMPD/a3.json" "$TMPD/a3.err"
is "a --vhost r.test: verify.verdict" ran "$(jget verify.verdict "$TMPD/a3.json")"
ok "a --vhost r.test: fetched https://r.test/... ($(jget verify.url "$TMPD/a3.json"))" \
	has "^https://r.test/cgi2/$PROBE_RE$" <(jget verify.url "$TMPD/a3.json")
is "a --vhost r.test: any_certificate" true "$(jget verify.any_certificate "$TMPD/a3.json")"
ok "a --vhost r.test: with SNI r.test the script runs" \
	contains "$(in_c "$c" curl -sk --max-time 5 --resolve r.test:443:127.0.0.1 \
		https://r.test/cgi2/hello.py)" "$PROOF"
ok "a --vhost r.test: the section is in r-ssl.conf" \
	in_c "$c" grep -q '<Directory /srv/cgi2>' /etc/apache2/sites-available/r-ssl.conf
"$RIG" stop "$c" >/dev/null 2>&1

# ---- (b) port 80 redirects to https on the server's own name ----
sys_start c https-redir
tls_site "$c"
# certbot --redirect's rule, to the canonical name whatever Host said
in_c "$c" sed -i 's|^\(\s*\)DocumentRoot /var/www/html|&\n\1ServerName r.test\n\1RewriteEngine on\n\1RewriteRule ^ https://r.test%{REQUEST_URI} [END,NE,R=permanent]|' \
	/etc/apache2/sites-available/000-default.conf
in_c "$c" a2enmod -q rewrite >/dev/null
restart_ok "$c" b
is "b: port 80 redirects" 301 "$(c_code "$c" http://127.0.0.1/cgi/hello.py)"
cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/b.json" 2>"$TMPD/b.err"
is_rc "b: exit 0" 0 $? "$TMPD/b.json" "$TMPD/b.err"
is "b: verify.verdict" ran "$(jget verify.verdict "$TMPD/b.json")"
is "b: verdict" proven "$(jget verdict "$TMPD/b.json")"
ok "b: redirected_from is the plain URL" \
	has "^http://127.0.0.1/cgi/$PROBE_RE$" <(jget verify.redirected_from "$TMPD/b.json")
ok "b: url is the https URL on the server's name ($(jget verify.url "$TMPD/b.json"))" \
	has "^https://r.test/cgi/$PROBE_RE$" <(jget verify.url "$TMPD/b.json")
is "b: any_certificate" true "$(jget verify.any_certificate "$TMPD/b.json")"
ok "b: with Host and SNI r.test the script runs over https" \
	contains "$(in_c "$c" curl -sk --max-time 5 --resolve r.test:443:127.0.0.1 \
		https://r.test/cgi/hello.py)" "$PROOF"
cgs "$c" --undo --yes >/dev/null 2>&1
cgs "$c" --dir /srv/cgi --yes >"$TMPD/b.out" 2>&1
is_rc "b (text): exit 0" 0 $? "$TMPD/b.out"
ok "b (text): says the redirect was followed on loopback" \
	has "^cgisetup: 'http://127.0.0.1/cgi/$PROBE_RE' redirected to 'https://r.test/cgi/$PROBE_RE': the check followed it on loopback" \
	"$TMPD/b.out"
ok "b (text): names the URL fetched" has "^cgisetup: the check fetched https://r.test/cgi/" \
	"$TMPD/b.out"
ok "b (text): says it accepted the server's own certificate" \
	has "accepting the server's own certificate without verifying it" "$TMPD/b.out"
"$RIG" stop "$c" >/dev/null 2>&1

# ---- (c) a redirect elsewhere is not followed ----
sys_start c https-away
in_c "$c" sed -i 's|^\(\s*\)DocumentRoot /var/www/html|&\n\1RewriteEngine on\n\1RewriteRule ^ https://elsewhere.example%{REQUEST_URI} [END,NE,R=302]|' \
	/etc/apache2/sites-available/000-default.conf
in_c "$c" a2enmod -q rewrite >/dev/null
restart_ok "$c" c
etc0=$(c_snapshot "$c" /etc/apache2)
cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/c.json" 2>"$TMPD/c.err"
is_rc "c: exit 1" 1 $? "$TMPD/c.json" "$TMPD/c.err"
is "c: verify.verdict" redirect "$(jget verify.verdict "$TMPD/c.json")"
ok "c: the location is named" \
	has "^https://elsewhere.example/cgi/$PROBE_RE$" <(jget verify.location "$TMPD/c.json")
ok "c: it was not followed (url is the plain one)" \
	has "^http://127.0.0.1/cgi/$PROBE_RE$" <(jget verify.url "$TMPD/c.json")
is "c: no redirected_from" "" "$(jget verify.redirected_from "$TMPD/c.json")"
is "c: /etc/apache2 rolled back" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
cgs "$c" --dir /srv/cgi --yes >"$TMPD/c.out" 2>&1
is_rc "c (text): exit 1" 1 $? "$TMPD/c.out"
ok "c (text): reports the redirect, not followed" \
	has "the answer was a redirect to 'https://elsewhere.example/cgi/.*': not followed" \
	"$TMPD/c.out"
"$RIG" stop "$c" >/dev/null 2>&1

# ---- (d) one non-default Listen each ----
sys_start c https-listen
# listen_case LABEL LISTEN URL-PREFIX [ITS-REGEX]: ports.conf says only
# LISTEN; the check reaches the server there; undone.
listen_case() {
	local label=$1 listen=$2 url=$3 base=${4:-$3}
	in_c "$c" sed -i "s/^Listen .*/Listen $listen/" /etc/apache2/ports.conf
	restart_ok "$c" "$label"
	cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/$label.json" 2>"$TMPD/$label.err"
	is_rc "$label: exit 0" 0 $? "$TMPD/$label.json" "$TMPD/$label.err"
	is "$label: verify.verdict" ran "$(jget verify.verdict "$TMPD/$label.json")"
	ok "$label: the check fetched $base/cgi/..." \
		has "^$base/cgi/$PROBE_RE$" <(jget verify.url "$TMPD/$label.json")
	is "$label: plain http, no certificate involved" false \
		"$(jget verify.any_certificate "$TMPD/$label.json")"
	ok "$label: curl reaches hello.py there" \
		contains "$(c_body "$c" "$url/cgi/hello.py")" "$PROOF"
	cgs "$c" --undo --yes >"$TMPD/$label-undo.out" 2>&1
	is_rc "$label undo: exit 0" 0 $? "$TMPD/$label-undo.out"
	is "$label undo: hello.py is gone" 404 "$(c_code "$c" "$url/cgi/hello.py")"
}
listen_case listen-8080 8080 'http://127.0.0.1:8080'
listen_case listen-127.0.0.2 127.0.0.2:80 'http://127.0.0.2'
listen_case listen-ipv6 '[::1]:80' 'http://[::1]' 'http://\[::1\]'
"$RIG" stop "$c" >/dev/null 2>&1
done_testing
