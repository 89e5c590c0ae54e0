#!/bin/bash
# check-logs.sh - `cgisetup --check` reads the error log Apache actually
# used for the request (issue 12): (a) a vhost with its own ErrorLog, set
# up with --vhost and checked by its URL (Host: b.test, pinned to
# loopback): a malformed header is named from b.test's log, which alone
# has that line, and a traceback from the main log, where mod_cgid's
# daemon writes the scripts' stderr; (b) ErrorLog syslog:local7: the
# malformed header named from the systemd journal (apache2.service's
# entries since the request), not from a bare HTTP 500; (c) an apply
# with --vhost whose HTTP check fails in a vhost with its own ErrorLog:
# --json's diagnosis names the malformed header from that log.
. "$(dirname "$0")/common.sh"
sys_require

# expect LABEL ID CAUSE FIX: the last findings() has this finding.
expect() {
	ok "$1: $2" grep -qxF -- "$2 | $3 | $4" "$TMPD/found"
	grep -qxF -- "$2 | $3 | $4" "$TMPD/found" || sed 's/^/#   /' "$TMPD/found"
}

# nohdr C PATH WORD: a script that prints WORD where a header belongs.
nohdr() {
	in_c "$1" bash -c 'printf "#!/usr/bin/python3\nprint(\"%s\")\n" "$2" >"$1" && chmod 0755 "$1"' \
		_ "$2" "$3"
}

# raising C PATH WORD: a script that raises ValueError(WORD) before its headers.
raising() {
	in_c "$1" bash -c 'printf "#!/usr/bin/python3\nraise ValueError(\"%s\")\n" "$2" >"$1" && chmod 0755 "$1"' \
		_ "$2" "$3"
}

sys_start c logs

# --- (a) a vhost with its own ErrorLog ---
in_c "$c" bash -c 'mkdir -p /var/www/b /srv/bcgi &&
	printf "<VirtualHost *:80>\n\tServerName b.test\n\tDocumentRoot /var/www/b\n\tErrorLog /var/log/apache2/b-error.log\n</VirtualHost>\n" \
		>/etc/apache2/sites-available/b.test.conf && a2ensite -q b.test && systemctl reload apache2'
cgs "$c" --vhost b.test --dir /srv/bcgi --yes >"$TMPD/apply.out" 2>&1
is "vhost: apply --vhost b.test: exit 0" 0 $?
nohdr "$c" /srv/bcgi/nohdr.py header-in-b
findings "$c" http://b.test/bcgi/nohdr.py
is "vhost: exit 1" 1 "$(cat "$TMPD/rc")"
is "vhost: fetched with Host b.test (the script answered 500)" 500 "$(jget fetched.status "$TMPD/check.json")"
expect "vhost: the malformed header from b.test's own ErrorLog" malformed-header \
	"'/srv/bcgi/nohdr.py' printed 'header-in-b' where a header belongs (malformed header from script)" \
	"print 'Content-Type: text/html' and then an empty line before anything else"
ok "vhost: b.test's log has that line" in_c "$c" grep -q "malformed header from script 'nohdr.py'" /var/log/apache2/b-error.log
ok "vhost: the main error.log does not" in_c "$c" bash -c '! grep -q "malformed header" /var/log/apache2/error.log'
ok "vhost: no 'not a file' warning" bash -c "! grep -q '^log-not-a-file' '$TMPD/found'"
raising "$c" /srv/bcgi/boom.py boom-in-b
findings "$c" http://b.test/bcgi/boom.py
expect "vhost: the traceback, from the main log (mod_cgid's daemon writes stderr there)" traceback \
	"'/srv/bcgi/boom.py' stopped with an exception before its headers: ValueError: boom-in-b" \
	"fix the line the traceback names (the error log has it all)"
ok "vhost: the main log has the traceback" in_c "$c" grep -q boom-in-b /var/log/apache2/error.log

# --- (b) ErrorLog syslog: the journal ---
ok "journald answers in the container" in_c "$c" journalctl -n 1 --no-pager -q
in_c "$c" bash -c 'a2dissite -q b.test && printf "ErrorLog syslog:local7\n" >/etc/apache2/conf-enabled/zz-syslog.conf &&
	sed -i "/ErrorLog/d" /etc/apache2/sites-enabled/000-default.conf && systemctl restart apache2'
cgs "$c" --dir /srv/cgi --yes >"$TMPD/apply2.out" 2>&1
is "syslog: apply --dir /srv/cgi: exit 0 (the proof runs; its log is the journal)" 0 $?
nohdr "$c" /srv/cgi/nohdr.py header-in-journal
findings "$c" /srv/cgi/nohdr.py
is "syslog: exit 1" 1 "$(cat "$TMPD/rc")"
is "syslog: fetched, 500" 500 "$(jget fetched.status "$TMPD/check.json")"
expect "syslog: the malformed header from the journal" malformed-header \
	"'/srv/cgi/nohdr.py' printed 'header-in-journal' where a header belongs (malformed header from script)" \
	"print 'Content-Type: text/html' and then an empty line before anything else"
ok "syslog: no 'not a file' warning" bash -c "! grep -q '^log-not-a-file' '$TMPD/found'"
ok "syslog: the journal has the line under apache2.service" \
	in_c "$c" bash -c 'journalctl -u apache2.service --no-pager -q | grep -q "malformed header from script .nohdr.py"'
ok "syslog: no file log has it" in_c "$c" bash -c '! grep -rq header-in-journal /var/log/apache2'

# --- (c) the apply's diagnosis reads the vhost's own ErrorLog ---
sys_start c2 logs-apply
in_c "$c2" bash -c 'mkdir -p /var/www/c /srv/ccgi &&
	printf "<VirtualHost *:80>\n\tServerName c.test\n\tDocumentRoot /var/www/c\n\tErrorLog /var/log/apache2/c-error.log\n</VirtualHost>\n" \
		>/etc/apache2/sites-available/c.test.conf && a2ensite -q c.test && systemctl reload apache2 &&
	rm /usr/bin/python3 && printf "#!/bin/sh\necho garbage-in-vhost\n" >/usr/bin/python3 &&
	chmod 0755 /usr/bin/python3'
cgs "$c2" --vhost c.test --dir /srv/ccgi --yes --json >"$TMPD/apply3.json" 2>"$TMPD/apply3.err"
is "apply --vhost: the check fails (the scripts' python3 prints no header): exit 1" 1 $?
diag=$(python3 -c 'import json, sys
for f in json.load(open(sys.argv[1])).get("diagnosis", []):
    print("%s | %s" % (f["id"], f["cause"]))' "$TMPD/apply3.json")
ok "apply --vhost: --json's diagnosis names the malformed header from c.test's log ($diag)" \
	grep -q "^malformed-header | .* printed 'garbage-in-vhost' where a header belongs" <<<"$diag"
ok "apply --vhost: c.test's log has that line" \
	in_c "$c2" grep -q "Bad header: garbage-in-vhost" /var/log/apache2/c-error.log
ok "apply --vhost: the main error.log does not" \
	in_c "$c2" bash -c '! grep -q garbage-in-vhost /var/log/apache2/error.log'
done_testing
