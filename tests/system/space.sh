#!/bin/bash
# space.sh - a CGI directory with a space in its name ("/srv/my cgi"):
# written quoted in the config, served at /my-cgi/ and really run over
# HTTP; a second run finds the quoted section and changes nothing.
. "$(dirname "$0")/common.sh"
sys_require
sys_start c space

dir="/srv/my cgi"
url=http://127.0.0.1/my-cgi/hello.py

cgs "$c" --dir "$dir" --yes --json >"$TMPD/1.json" 2>"$TMPD/1.err"
is_rc "exit 0" 0 $? "$TMPD/1.json" "$TMPD/1.err"
is "status" applied "$(jget status "$TMPD/1.json")"
is "dir as given" "$dir" "$(jget dir "$TMPD/1.json")"
is "url_path" /my-cgi "$(jget url_path "$TMPD/1.json")"
ok "verify.url is a probe beside hello.py" \
	has "^${url%/hello.py}/cgisetup-probe-[0-9a-f]\{16\}\\.py$" <(jget verify.url "$TMPD/1.json")
is "verify.verdict" ran "$(jget verify.verdict "$TMPD/1.json")"
is "restart.via_systemd" true "$(jget restart.via_systemd "$TMPD/1.json")"
ok "the directory exists" in_c "$c" test -d "$dir"
ok "hello.py is executable" in_c "$c" test -x "$dir/hello.py"
conf=$(in_c "$c" cat /etc/apache2/apache2.conf)
ok "the section names the directory quoted" contains "$conf" "<Directory \"$dir\">"
ok "the Alias target is quoted" contains "$conf" "Alias /my-cgi/ \"$dir/\""
ok "apache2ctl -t accepts the config" in_c "$c" apache2ctl -t

is "curl: HTTP 200" 200 "$(c_code "$c" "$url")"
ok "curl: text/html" contains "$(c_ctype "$c" "$url")" text/html
ok "curl: the script ran" contains "$(c_body "$c" "$url")" "$PROOF"

etc=$(c_snapshot "$c" /etc/apache2)
inv=$(c_unit "$c" InvocationID)
cgs "$c" --dir "$dir" --yes >"$TMPD/2.out" 2>&1
is_rc "second run: exit 0" 0 $? "$TMPD/2.out"
ok "second run: already configured" grep -q "already configured" "$TMPD/2.out"
is "second run: /etc/apache2 byte-identical" "$etc" "$(c_snapshot "$c" /etc/apache2)"
is "second run: no restart" "$inv" "$(c_unit "$c" InvocationID)"
done_testing
