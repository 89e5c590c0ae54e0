#!/bin/bash
# broken-config.sh - an unrelated, broken config file enabled before the
# run (conf-enabled/zz-broken.conf with an unknown directive; the running
# Apache started before it existed): cgisetup runs the config test before
# it writes anything, exits 1 naming the file and line Apache names and
# showing Apache's message, writes nothing (every byte and mtime kept, no
# journal), Apache is never restarted and still serves the old default
# site. --no-restart is refused the same way.
. "$(dirname "$0")/common.sh"
sys_require
sys_start c broken

site=http://127.0.0.1/
body0=$(c_body "$c" "$site" | sha256sum)
code0=$(c_code "$c" "$site")
is "before: the default site answers 200" 200 "$code0"
in_c "$c" bash -c 'echo "CgisetupNoSuchDirective on" >/etc/apache2/conf-available/zz-broken.conf &&
	ln -s ../conf-available/zz-broken.conf /etc/apache2/conf-enabled/zz-broken.conf'
ok "before: apache2ctl -t rejects the config" not in_c "$c" apache2ctl -t
inv0=$(c_unit "$c" InvocationID)
pid0=$(c_unit "$c" MainPID)
etc0=$(c_snapshot "$c" /etc/apache2)
srv0=$(c_snapshot "$c" /srv)
mt0=$(c_mtimes "$c" /etc/apache2; c_mtimes "$c" /var/lib)

cgs "$c" --dir /srv/cgi --yes >"$TMPD/1.out" 2>&1
is_rc "human run: exit 1" 1 $? "$TMPD/1.out"
ok "human run: names the config test" grep -qi "config test" "$TMPD/1.out"
ok "human run: shows Apache's own message" grep -q "zz-broken.conf" "$TMPD/1.out"
ok "human run: names the file and line, before any change" grep -q \
	"config test already, before any change, at /etc/apache2/conf-enabled/zz-broken.conf line 1" \
	"$TMPD/1.out"
ok "human run: says nothing was written" grep -q "nothing was written" "$TMPD/1.out"
ok "human run: no rollback (nothing to roll back)" not grep -q "rolled back" "$TMPD/1.out"
is "human run: mtimes of /etc/apache2 and /var/lib kept (no journal)" "$mt0" \
	"$(c_mtimes "$c" /etc/apache2; c_mtimes "$c" /var/lib)"
cgs "$c" --dir /srv/cgi --yes --no-restart >"$TMPD/nr.out" 2>&1
is_rc "--no-restart: exit 1" 1 $? "$TMPD/nr.out"
ok "--no-restart: refused before any change, file named" grep -q \
	"before any change, at /etc/apache2/conf-enabled/zz-broken.conf line 1" "$TMPD/nr.out"
is "--no-restart: /etc/apache2 byte-identical" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "human run: /etc/apache2 byte-identical" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "human run: /srv byte-identical (no /srv/cgi)" "$srv0" "$(c_snapshot "$c" /srv)"

cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/2.json" 2>"$TMPD/2.err"
is_rc "json run: exit 1" 1 $? "$TMPD/2.json" "$TMPD/2.err"
is "json run: status" failed "$(jget status "$TMPD/2.json")"
is "json run: changed" false "$(jget changed "$TMPD/2.json")"
ok "json run: error names the config test" contains "$(jget error "$TMPD/2.json")" "config test"
ok "json run: error names the file" contains "$(jget error "$TMPD/2.json")" \
	"/etc/apache2/conf-enabled/zz-broken.conf line 1"
ok "json run: detail holds Apache's message" \
	contains "$(jget detail "$TMPD/2.json")" "CgisetupNoSuchDirective"
is "json run: no restart job" "" "$(jget restart.job "$TMPD/2.json")"
is "json run: no rollback restart" "" "$(jget rollback_restart "$TMPD/2.json")"

is "after: /etc/apache2 byte-identical" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "after: /srv byte-identical" "$srv0" "$(c_snapshot "$c" /srv)"
ok "after: no cgid link" in_c "$c" test ! -e /etc/apache2/mods-enabled/cgid.load -a \
	! -L /etc/apache2/mods-enabled/cgid.load -a ! -L /etc/apache2/mods-enabled/cgid.conf
is "after: InvocationID unchanged (never restarted)" "$inv0" "$(c_unit "$c" InvocationID)"
is "after: MainPID unchanged" "$pid0" "$(c_unit "$c" MainPID)"
is "after: apache2 is active" active "$(in_c "$c" systemctl is-active apache2)"
is "after: the default site answers 200" 200 "$(c_code "$c" "$site")"
is "after: the same page as before" "$body0" "$(c_body "$c" "$site" | sha256sum)"
done_testing
