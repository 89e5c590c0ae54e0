#!/bin/bash
# no-restart.sh - `--no-restart`: the files are edited, Apache is neither
# restarted nor reloaded (same InvocationID and MainPID, the running server
# does not serve the script yet), and the output says what to run; running
# exactly that then makes the script run.
. "$(dirname "$0")/common.sh"
sys_require
sys_start c norestart

url=http://127.0.0.1/cgi/hello.py
inv0=$(c_unit "$c" InvocationID)
pid0=$(c_unit "$c" MainPID)

cgs "$c" --dir /srv/cgi --yes --no-restart >"$TMPD/1.out" 2>&1
is_rc "exit 0" 0 $? "$TMPD/1.out"
ok "the output says to run 'systemctl restart apache2'" \
	grep -qE "systemctl restart apache2(\.service)?'" "$TMPD/1.out"
is "InvocationID unchanged" "$inv0" "$(c_unit "$c" InvocationID)"
is "MainPID unchanged" "$pid0" "$(c_unit "$c" MainPID)"
ok "hello.py written" in_c "$c" test -x /srv/cgi/hello.py
ok "cgid.load enabled" in_c "$c" test -L /etc/apache2/mods-enabled/cgid.load
ok "cgid.conf enabled" in_c "$c" test -L /etc/apache2/mods-enabled/cgid.conf
conf=$(in_c "$c" cat /etc/apache2/apache2.conf)
ok "the Alias is in apache2.conf" contains "$conf" "Alias /cgi/ /srv/cgi/"
ok "the section is in apache2.conf" contains "$conf" "<Directory /srv/cgi>"
ok "apache2ctl -t accepts the edit" in_c "$c" apache2ctl -t
is "the running Apache does not serve the script yet" 404 "$(c_code "$c" "$url")"

cgs "$c" --dir /srv/cgi --yes --no-restart --json >"$TMPD/2.json" 2>"$TMPD/2.err"
is_rc "--json re-run: exit 0" 0 $? "$TMPD/2.json" "$TMPD/2.err"
is "--json re-run: status" unchanged "$(jget status "$TMPD/2.json")"
is "--json re-run: no restart" "" "$(jget restart.job "$TMPD/2.json")"
is "still the same InvocationID" "$inv0" "$(c_unit "$c" InvocationID)"

# Run what the output told us to run, as it says it.
cmd=$(sed -n "s/.*activate it with '\([^']*\)'.*/\1/p" "$TMPD/1.out" | head -n 1)
ok "the command to run is quoted in the output ('$cmd')" test -n "$cmd"
read -ra argv <<<"$cmd"
ok "running '$cmd' succeeds" in_c "$c" "${argv[@]}"
ok "then the script runs" contains "$(c_body "$c" "$url")" "$PROOF"
done_testing
