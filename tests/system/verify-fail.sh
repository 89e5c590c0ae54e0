#!/bin/bash
# verify-fail.sh - a verification failure forced by the environment: the
# python3 interpreter is made non-executable inside the container, so the
# edits, the config test and the reload(s) succeed but hello.py answers
# 500. cgisetup exits 1 with verdict server-error and the error-log lines,
# puts every file back (no /srv/cgi, no cgid link), brings Apache back on
# the old configuration (the running server has no CGI module any more),
# and the default site answers as before.
. "$(dirname "$0")/common.sh"
sys_require
sys_start c verify

site=http://127.0.0.1/
url=http://127.0.0.1/cgi/hello.py
py=$(in_c "$c" readlink -f /usr/bin/python3)
ok "python3 found in the container ($py)" test -n "$py"
in_c "$c" chmod 0644 "$py"
ok "python3 cannot be executed any more" not in_c "$c" python3 -c 1

body0=$(c_body "$c" "$site" | sha256sum)
is "before: the default site answers 200" 200 "$(c_code "$c" "$site")"
etc0=$(c_snapshot "$c" /etc/apache2)
srv0=$(c_snapshot "$c" /srv)
gen0=$(c_generations "$c")
# Debian's serve-cgi-bin.conf maps /cgi-bin/ only when a CGI module is
# loaded (403 then, 404 without): what the *running* server has loaded.
cgibin0=$(c_code "$c" http://127.0.0.1/cgi-bin/)
is "before: /cgi-bin/ is not mapped (no CGI module running)" 404 "$cgibin0"

# assert_restored LABEL: the state after a rolled-back run.
assert_restored() {
	is "$1: /etc/apache2 byte-identical" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
	is "$1: /srv byte-identical" "$srv0" "$(c_snapshot "$c" /srv)"
	ok "$1: /srv/cgi does not exist" in_c "$c" test ! -e /srv/cgi
	ok "$1: mods-enabled has no cgid link" in_c "$c" test ! -L /etc/apache2/mods-enabled/cgid.load \
		-a ! -L /etc/apache2/mods-enabled/cgid.conf
	is "$1: apache2 is active" active "$(in_c "$c" systemctl is-active apache2)"
	is "$1: the default site answers 200" 200 "$(c_code "$c" "$site")"
	is "$1: the same page as before" "$body0" "$(c_body "$c" "$site" | sha256sum)"
	is "$1: the script's URL is not served" 404 "$(c_code "$c" "$url")"
	is "$1: the running Apache has no CGI module loaded" "$cgibin0" \
		"$(c_code "$c" http://127.0.0.1/cgi-bin/)"
}

cgs "$c" --dir /srv/cgi --yes --json >"$TMPD/1.json" 2>"$TMPD/1.err"
is_rc "json: exit 1" 1 $? "$TMPD/1.json" "$TMPD/1.err"
is "json: status" failed "$(jget status "$TMPD/1.json")"
is "json: changed" false "$(jget changed "$TMPD/1.json")"
ok "json: the activation itself went through (restart.path: $(jlist restart.path "$TMPD/1.json" | xargs))" \
	test -n "$(jlist restart.path "$TMPD/1.json")"
is "json: verify.status" 500 "$(jget verify.status "$TMPD/1.json")"
is "json: verify.verdict" server-error "$(jget verify.verdict "$TMPD/1.json")"
ok "json: verify.error_log is not empty" test -n "$(jget verify.error_log "$TMPD/1.json")"
ok "json: verify.error_log has the cgid error" \
	contains "$(jget verify.error_log "$TMPD/1.json")" "End of script output before headers"
ok "json: error names the failed verification" \
	contains "$(jget error "$TMPD/1.json")" "did not run the script"
ok "json: rollback_restart names the job that brought the old config back" \
	contains "$(jget rollback_restart "$TMPD/1.json")" "apache2.service"
n=$(jlist restart.path "$TMPD/1.json" | grep -c .)
is "json: Apache re-read its config once per job, and once more for the rollback" \
	$((gen0 + n + 1)) "$(c_generations "$c")"
# the diagnosis of the failed check, as --check --json gives it
diag_of() {
	python3 -c 'import json, sys
for f in json.load(open(sys.argv[1])).get("diagnosis", []):
    print(f[sys.argv[2]])' "$1" "$2"
}
diag_ids=$(diag_of "$TMPD/1.json" id | xargs)
ok "json: a diagnosis array names the cause ($diag_ids)" test -n "$diag_ids"
ok "json: the diagnosis has a problem" grep -qx problem <(diag_of "$TMPD/1.json" level)
ok "json: the diagnosis is about the probe's URL" \
	grep -qx 'http://127\.0\.0\.1/cgi/cgisetup-probe-[0-9a-f]*\.py' <(diag_of "$TMPD/1.json" subject)
ok "json: the diagnosis names python3's Permission denied" \
	grep -qF "found 'python3' on the web server's PATH but may not run it (Permission denied)" \
	<(diag_of "$TMPD/1.json" cause)
assert_restored json

cgs "$c" --dir /srv/cgi --yes >"$TMPD/2.out" 2>&1
is_rc "human: exit 1" 1 $? "$TMPD/2.out"
ok "human: names the verification failure" grep -q "did not run the script (HTTP 500)" "$TMPD/2.out"
ok "human: shows the error log" grep -q "End of script output before headers" "$TMPD/2.out"
ok "human: says it rolled back" grep -q "rolled back" "$TMPD/2.out"
# (each run writes its own probe name)
is "human: the same diagnosis as --json's, line by line" \
	"$(diag_of "$TMPD/1.json" cause | sed 's/^/problem: /; s/probe-[0-9a-f]*/probe-X/g')" \
	"$(grep -E '^(problem|warning): ' "$TMPD/2.out" | sed 's/probe-[0-9a-f]*/probe-X/g')"
ok "human: says Apache is back on the old config" grep -q "old configuration" "$TMPD/2.out"
assert_restored human
done_testing
