#!/bin/bash
# userdir.sh - --userdir on Debian's real Apache (issue 13, item 2), with
# a real user alice created in the container:
# (a) alice's own ~/public_html/cgi-bin/hello.py: --userdir enables
#     mod_userdir and the CGI module, adds <Directory
#     /home/*/public_html/cgi-bin>; the proof ran a probe in alice's
#     directory at /~alice/cgi-bin/ (gone afterwards); alice's script runs
#     as she wrote it; undo: /etc/apache2 byte-identical, /~alice/ answers
#     404 again, alice's files untouched;
# (b) UserDir disabled for everyone: exit 2, named, nothing changed;
# (c) --vhost with --userdir, --userdir with --dir: exit 2.
. "$(dirname "$0")/common.sh"
sys_require

PROBE_RE='cgisetup-probe-[0-9a-f]\{16\}\.py'
# alice_setup C: the user alice with her own CGI script.
alice_setup() {
	in_c "$1" useradd -m -s /bin/sh alice
	in_c "$1" chmod 0711 /home/alice
	in_c "$1" runuser -u alice -- sh -c 'mkdir -p ~/public_html/cgi-bin &&
		printf "%s\n" "#!/usr/bin/python3" "print(\"Content-Type: text/plain\")" "print()" \
			"print(\"alice-ran\")" >~/public_html/cgi-bin/hello.py &&
		chmod 0755 ~/public_html ~/public_html/cgi-bin ~/public_html/cgi-bin/hello.py'
}

# ---- (a) ----
sys_start c userdir
alice_setup "$c"
ok "a: alice exists" in_c "$c" id alice
etc0=$(c_snapshot "$c" /etc/apache2)
home0=$(c_snapshot "$c" /home/alice)
is "a: before: /~alice/ is not served" 404 "$(c_code "$c" http://127.0.0.1/~alice/cgi-bin/hello.py)"
cgs "$c" --userdir --yes --json >"$TMPD/a.json" 2>"$TMPD/a.err"
is_rc "a: exit 0" 0 $? "$TMPD/a.json" "$TMPD/a.err"
is "a: verify.verdict" ran "$(jget verify.verdict "$TMPD/a.json")"
ok "a: the proof ran a probe in alice's directory ($(jget verify.url "$TMPD/a.json"))" \
	has "^http://127.0.0.1/~alice/cgi-bin/$PROBE_RE$" <(jget verify.url "$TMPD/a.json")
is "a: the URL to try is alice's hello.py" "http://127.0.0.1/~alice/cgi-bin/hello.py" \
	"$(jget url "$TMPD/a.json")"
ok "a: mod_userdir enabled" in_c "$c" test -L /etc/apache2/mods-enabled/userdir.load
ok "a: the section for every user's cgi-bin" \
	in_c "$c" grep -qx '<Directory /home/\*/public_html/cgi-bin>' /etc/apache2/apache2.conf
is "a: alice's script runs as she wrote it" alice-ran \
	"$(c_body "$c" http://127.0.0.1/~alice/cgi-bin/hello.py)"
is "a: alice's files untouched, no probe left" "$home0" "$(c_snapshot "$c" /home/alice)"
cgs "$c" --undo --yes >"$TMPD/a-undo.out" 2>&1
is_rc "a undo: exit 0" 0 $? "$TMPD/a-undo.out"
is "a undo: /etc/apache2 as before" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "a undo: /~alice/cgi-bin/hello.py answers 404" 404 \
	"$(c_code "$c" http://127.0.0.1/~alice/cgi-bin/hello.py)"
is "a undo: alice's files untouched" "$home0" "$(c_snapshot "$c" /home/alice)"

# ---- (b) UserDir disabled for everyone ----
in_c "$c" a2enmod -q userdir >/dev/null
in_c "$c" sh -c 'printf "UserDir disabled\n" >/etc/apache2/conf-available/no-userdir.conf &&
	a2enconf -q no-userdir' >/dev/null
ok "b: Apache reloaded with UserDir disabled" in_c "$c" systemctl reload apache2.service
etc0=$(c_snapshot "$c" /etc/apache2)
mt0=$(c_mtimes "$c" /etc/apache2)
cgs "$c" --userdir --yes >"$TMPD/b.out" 2>&1
is_rc "b: exit 2" 2 $? "$TMPD/b.out"
ok "b: names the line that disables it" \
	has "disabled for every user by 'UserDir disabled' in '/etc/apache2/conf-enabled/no-userdir.conf' line 1" \
	"$TMPD/b.out"
is "b: /etc/apache2 byte-identical" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "b: /etc/apache2 mtime-identical" "$mt0" "$(c_mtimes "$c" /etc/apache2)"

# ---- (c) bad combinations ----
cgs "$c" --userdir --vhost a.test --yes >"$TMPD/c1.out" 2>&1
is_rc "c: --vhost with --userdir: exit 2" 2 $? "$TMPD/c1.out"
ok "c: --vhost with --userdir: says why" has "--vhost and --userdir do not go together" \
	"$TMPD/c1.out"
cgs "$c" --userdir --dir /srv/cgi --yes >"$TMPD/c2.out" 2>&1
is_rc "c: --userdir with --dir: exit 2" 2 $? "$TMPD/c2.out"
is "c: /etc/apache2 still byte-identical" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
"$RIG" stop "$c" >/dev/null 2>&1
done_testing
