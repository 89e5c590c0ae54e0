#!/bin/bash
# fleet.sh - the cgisetup.apache.cgi Ansible module (ansible/) on a fleet
# of six rig containers (real systemd + Debian's Apache), reached with
# Ansible's community.docker.nsenter connection (ansible_nsenter_pid = the
# container's PID 1), one ansible-playbook run over all six at a time
# (forks=6), results read from the json callback:
#   fresh       a fresh container
#   configured  cgisetup --dir /srv/cgi already applied
#   stopped     Apache stopped
#   prefork     mpm_prefork instead of mpm_event (mod_cgi, not mod_cgid)
#   broken      an unrelated conf file Apache rejects (config test fails)
#   nopython    /usr/bin/python3* moved away inside that container only
# Runs: --check --diff (changed exactly where needed, diffs, nothing
# written), the real run, a second real run (changed=0), state=absent
# (every /etc/apache2 back to its bytes); then, on the prefork host with
# two name-based vhosts, vhost: b.test (check mode before and after, the
# script runs with Host: b.test only, the scope returned, state=absent
# byte-identical).
. "$(dirname "$0")/common.sh"
sys_require
need_tool ansible-playbook ansible
LC_ALL=C.UTF-8 ansible-doc -t connection community.docker.nsenter >/dev/null 2>&1 ||
	fail_all "the connection community.docker.nsenter is missing (Debian's ansible has it)"

HOSTS=(fresh configured stopped prefork broken nopython)
url=http://127.0.0.1/cgi/hello.py
declare -A C

for h in "${HOSTS[@]}"; do
	sys_start c "fleet-$h"
	C[$h]=$c
	# "Installed": cgisetup on the target's PATH, from the bound build.
	in_c "$c" ln -s "$IN_CGISETUP" /usr/local/sbin/cgisetup || bail "cannot install cgisetup in $h"
done

# The bytes before anything (the configured host is configured after).
declare -A ETC0 SRV0
for h in "${HOSTS[@]}"; do
	ETC0[$h]=$(c_snapshot "${C[$h]}" /etc/apache2)
done
in_c "${C[configured]}" cgisetup --dir /srv/cgi --yes >"$TMPD/configured.out" 2>&1 ||
	bail "cannot configure the 'configured' host: $(cat "$TMPD/configured.out")"
in_c "${C[stopped]}" systemctl stop apache2.service
in_c "${C[prefork]}" bash -c 'a2dismod -q mpm_event && a2enmod -q mpm_prefork &&
	systemctl restart apache2' >/dev/null || bail "cannot switch to prefork"
in_c "${C[broken]}" bash -c 'cd /etc/apache2 &&
	echo "CgisetupNoSuchDirective on" >conf-available/zz-broken.conf &&
	ln -s ../conf-available/zz-broken.conf conf-enabled/zz-broken.conf'
in_c "${C[nopython]}" bash -c 'mkdir /root/hidden-python &&
	mv /usr/bin/python3* /root/hidden-python/'

is "setup: the configured host serves the script" 200 "$(c_code "${C[configured]}" "$url")"
is "setup: the stopped host's Apache is inactive" inactive \
	"$(in_c "${C[stopped]}" systemctl is-active apache2)"
is "setup: the prefork host runs mpm_prefork" prefork \
	"$(in_c "${C[prefork]}" apache2ctl -V 2>/dev/null | sed -n 's/^Server MPM: *//p')"
ok "setup: the broken host's config test fails" not in_c "${C[broken]}" apache2ctl -t
ok "setup: the nopython host has no python3" not in_c "${C[nopython]}" sh -c 'command -v python3'
ok "setup: the host machine still has python3" command -v python3

# The bytes before the first playbook run ("before").
declare -A ETC1
for h in "${HOSTS[@]}"; do
	ETC1[$h]=$(c_snapshot "${C[$h]}" /etc/apache2)
	SRV0[$h]=$(c_snapshot "${C[$h]}" /srv)
done

# ---- the inventory and the playbook ----
{
	echo "all:"
	echo "  vars:"
	echo "    ansible_connection: community.docker.nsenter"
	echo "  hosts:"
	for h in "${HOSTS[@]}"; do
		echo "    $h:"
		echo "      ansible_nsenter_pid: $("$RIG" leader "${C[$h]}")"
	done
} >"$TMPD/inventory.yml"
cat >"$TMPD/fleet.yml" <<'EOF'
- name: Python CGI on the fleet
  hosts: all
  gather_facts: false
  tasks:
    - name: cgisetup
      cgisetup.apache.cgi:
        dir: /srv/cgi
        state: "{{ cgi_state | default('present') }}"
EOF
: >"$TMPD/ansible.cfg"
mkdir -p "$TMPD/ansible-home" "$TMPD/ansible-tmp"

# play OUT [ARG]...: one ansible-playbook run over the fleet; the json
# callback's document in OUT, the exit status in $play_rc.
play() {
	local out=$1
	shift
	# ansible-core refuses LC_ALL=C (make check's); the module runs
	# cgisetup with LC_ALL=C on the target whatever it is given.
	LC_ALL=C.UTF-8 ANSIBLE_CONFIG=$TMPD/ansible.cfg ANSIBLE_HOME=$TMPD/ansible-home \
		ANSIBLE_LOCAL_TEMP=$TMPD/ansible-tmp ANSIBLE_COLLECTIONS_PATH=$TOP_SRCDIR/ansible \
		ANSIBLE_STDOUT_CALLBACK=${ANSIBLE_STDOUT_CALLBACK:-json} ANSIBLE_FORKS=6 \
		ANSIBLE_RETRY_FILES_ENABLED=0 \
		ANSIBLE_PYTHON_INTERPRETER=auto_silent ANSIBLE_NOCOLOR=1 \
		ansible-playbook -i "$TMPD/inventory.yml" "${PLAYBOOK:-$TMPD/fleet.yml}" "$@" \
		>"$out" 2>"$out.err" </dev/null
	play_rc=$?
}

# r OUT HOST KEY: a value of HOST's result of the task (KEY dotted; lists
# and objects as JSON, booleans as true/false, a missing key as "").
r() {
	python3 - "$@" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
d = doc['plays'][0]['tasks'][0]['hosts'].get(sys.argv[2], {})
for k in sys.argv[3].split('.'):
    d = d.get(k) if isinstance(d, dict) else None
if d is None:
    print('')
elif isinstance(d, bool):
    print('true' if d else 'false')
elif isinstance(d, (dict, list)):
    print(json.dumps(d, sort_keys=True))
else:
    print(d)
EOF
}

# recap OUT HOST KEY: ansible-playbook's recap (ok, changed, failures, ...).
recap() {
	python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["stats"][sys.argv[2]][sys.argv[3]])' "$@"
}

# The hosts whose result has KEY = VALUE, space-separated, in HOSTS order.
hosts_with() {
	local out=$1 key=$2 want=$3 h list=""
	for h in "${HOSTS[@]}"; do
		[ "$(r "$out" "$h" "$key")" = "$want" ] && list="$list $h"
	done
	echo "${list# }"
}

show_play() {
	sed 's/^/# | /' "$1.err" | head -20
	head -c 3000 "$1" | sed 's/^/# | /'
}

# ---- check mode + diff ----
play "$TMPD/check.json" --check --diff
is "check: ansible-playbook exits 2 (the nopython host fails)" 2 "$play_rc"
[ "$play_rc" = 2 ] || show_play "$TMPD/check.json"
is "check: changed exactly on the hosts that need it" "fresh stopped prefork broken" \
	"$(hosts_with "$TMPD/check.json" changed true)"
is "check: failed only on the nopython host" nopython "$(hosts_with "$TMPD/check.json" failed true)"
for h in fresh stopped prefork broken; do
	is "check $h: status dry-run" dry-run "$(r "$TMPD/check.json" "$h" status)"
	ok "check $h: the diff adds the Alias" \
		contains "$(r "$TMPD/check.json" "$h" diff.prepared)" "+Alias /cgi/ /srv/cgi/"
	ok "check $h: the diff creates hello.py" \
		contains "$(r "$TMPD/check.json" "$h" diff.prepared)" "+++ b/srv/cgi/hello.py"
	ok "check $h: ran cgisetup --dry-run" \
		contains "$(r "$TMPD/check.json" "$h" cmd)" '"--dry-run"'
done
ok "check prefork: the diff enables mod_cgi (prefork)" \
	contains "$(r "$TMPD/check.json" prefork diff.prepared)" "mods-enabled/cgi.load"
ok "check fresh: the diff enables mod_cgid (event)" \
	contains "$(r "$TMPD/check.json" fresh diff.prepared)" "mods-enabled/cgid.load"
is "check configured: status dry-run" dry-run "$(r "$TMPD/check.json" configured status)"
is "check configured: no changes" "[]" "$(r "$TMPD/check.json" configured changes)"
is "check configured: an empty diff" "" "$(r "$TMPD/check.json" configured diff.prepared)"
ok "check nopython: says Python is missing on the target" \
	contains "$(r "$TMPD/check.json" nopython msg)" "needs Python 3 on the target"
for h in "${HOSTS[@]}"; do
	is "check $h: /etc/apache2 byte-identical" "${ETC1[$h]}" "$(c_snapshot "${C[$h]}" /etc/apache2)"
	is "check $h: /srv byte-identical" "${SRV0[$h]}" "$(c_snapshot "${C[$h]}" /srv)"
done
# The diff as a person sees it: the default callback prints it.
ANSIBLE_STDOUT_CALLBACK=default play "$TMPD/check-text.out" --check --diff --limit fresh
is "check, default callback: exit 0" 0 "$play_rc"
ok "check, default callback: prints the diff" \
	grep -q '^+Alias /cgi/ /srv/cgi/' "$TMPD/check-text.out"
ok "check, default callback: the recap says changed=1" \
	grep -q 'fresh .*changed=1 ' "$TMPD/check-text.out"
is "check stopped: Apache still inactive" inactive \
	"$(in_c "${C[stopped]}" systemctl is-active apache2)"

# ---- the real run (with --diff: the module asks for the dry-run's diff first) ----
play "$TMPD/run1.json" --diff
is "run 1: ansible-playbook exits 2 (broken and nopython fail)" 2 "$play_rc"
[ "$play_rc" = 2 ] || show_play "$TMPD/run1.json"
is "run 1: changed on fresh, stopped, prefork" "fresh stopped prefork" \
	"$(hosts_with "$TMPD/run1.json" changed true)"
is "run 1: failed on broken, nopython" "broken nopython" \
	"$(hosts_with "$TMPD/run1.json" failed true)"
for h in fresh stopped prefork; do
	is "run 1 $h: status applied" applied "$(r "$TMPD/run1.json" "$h" status)"
	is "run 1 $h: url" "$url" "$(r "$TMPD/run1.json" "$h" url)"
	is "run 1 $h: the HTTP check ran the script" ran \
		"$(r "$TMPD/run1.json" "$h" activation.verify.verdict)"
	is "run 1 $h: apache2 active" active "$(in_c "${C[$h]}" systemctl is-active apache2)"
	ok "run 1 $h: the script runs (curl inside)" contains "$(c_body "${C[$h]}" "$url")" "$PROOF"
done
for h in fresh stopped prefork; do
	ok "run 1 $h: the diff of what was written" \
		contains "$(r "$TMPD/run1.json" "$h" diff.prepared)" "+Alias /cgi/ /srv/cgi/"
done
is "run 1 configured: no diff" "" "$(r "$TMPD/run1.json" configured diff)"
is "run 1 stopped: Apache was started" start "$(r "$TMPD/run1.json" stopped activation.restart.job)"
is "run 1 fresh: a graceful reload" reload "$(r "$TMPD/run1.json" fresh activation.restart.job)"
is "run 1 prefork: layout.mpm" prefork "$(r "$TMPD/run1.json" prefork layout.mpm)"
is "run 1 prefork: mod_cgi" cgi "$(r "$TMPD/run1.json" prefork layout.cgi_module_wanted)"
is "run 1 configured: ok, unchanged" "false unchanged" \
	"$(r "$TMPD/run1.json" configured changed) $(r "$TMPD/run1.json" configured status)"
is "run 1 configured: not failed" "" "$(r "$TMPD/run1.json" configured failed)"
ok "run 1 configured: the script runs" contains "$(c_body "${C[configured]}" "$url")" "$PROOF"
is "run 1 broken: status failed" failed "$(r "$TMPD/run1.json" broken status)"
ok "run 1 broken: cgisetup's message (the config test fails before any change)" \
	contains "$(r "$TMPD/run1.json" broken msg)" \
	"fails its config test already, before any change, at /etc/apache2/conf-enabled/zz-broken.conf line 1: nothing was written"
ok "run 1 broken: Apache's own message in detail" \
	contains "$(r "$TMPD/run1.json" broken detail)" "CgisetupNoSuchDirective"
is "run 1 broken: the rollback is complete" true "$(r "$TMPD/run1.json" broken rollback.complete)"
is "run 1 broken: /etc/apache2 rolled back byte-identical" "${ETC1[broken]}" \
	"$(c_snapshot "${C[broken]}" /etc/apache2)"
is "run 1 broken: /srv byte-identical" "${SRV0[broken]}" "$(c_snapshot "${C[broken]}" /srv)"
ok "run 1 nopython: a clear message" \
	contains "$(r "$TMPD/run1.json" nopython msg)" \
	"needs Python 3 on the target to run, and there is none"
is "run 1 nopython: /etc/apache2 byte-identical" "${ETC1[nopython]}" \
	"$(c_snapshot "${C[nopython]}" /etc/apache2)"
for h in fresh configured stopped prefork broken; do
	is "run 1 $h: ansible recap failures" "$([ "$h" = broken ] && echo 1 || echo 0)" \
		"$(recap "$TMPD/run1.json" "$h" failures)"
done

# ---- the second real run ----
play "$TMPD/run2.json"
is "run 2: ansible-playbook exits 2 (broken and nopython fail again)" 2 "$play_rc"
for h in fresh configured stopped prefork; do
	is "run 2 $h: changed=0 in the recap" 0 "$(recap "$TMPD/run2.json" "$h" changed)"
	is "run 2 $h: status unchanged" unchanged "$(r "$TMPD/run2.json" "$h" status)"
	is "run 2 $h: not failed" 0 "$(recap "$TMPD/run2.json" "$h" failures)"
done

# ---- state: absent ----
play "$TMPD/absent.json" -e cgi_state=absent --diff
is "absent: ansible-playbook exits 2 (the nopython host fails)" 2 "$play_rc"
[ "$play_rc" = 2 ] || show_play "$TMPD/absent.json"
is "absent: changed where cgisetup had applied" "fresh configured stopped prefork" \
	"$(hosts_with "$TMPD/absent.json" changed true)"
for h in fresh configured stopped prefork; do
	is "absent $h: status undone" undone "$(r "$TMPD/absent.json" "$h" status)"
	is "absent $h: one entry taken back" '["1"]' "$(r "$TMPD/absent.json" "$h" undone)"
done
ok "absent fresh: the diff removes the Alias" \
	contains "$(r "$TMPD/absent.json" fresh diff.prepared)" "-Alias /cgi/ /srv/cgi/"
is "absent broken: ok, nothing to take back" "false absent" \
	"$(r "$TMPD/absent.json" broken changed) $(r "$TMPD/absent.json" broken status)"
for h in fresh stopped prefork broken nopython; do
	is "absent $h: /etc/apache2 back to its bytes before the first run" "${ETC1[$h]}" \
		"$(c_snapshot "${C[$h]}" /etc/apache2)"
done
# The configured host's change was cgisetup's too: absent takes it back.
is "absent configured: /etc/apache2 back to its bytes before cgisetup" "${ETC0[configured]}" \
	"$(c_snapshot "${C[configured]}" /etc/apache2)"
is "absent fresh: the script is gone (404)" 404 "$(c_code "${C[fresh]}" "$url")"

for h in fresh configured stopped prefork broken; do
	is "$h: no Ansible temporary directory left on the host" "" \
		"$(in_c "${C[$h]}" sh -c 'ls -A /root/.ansible/tmp 2>/dev/null')"
done

play "$TMPD/absent2.json" -e cgi_state=absent
for h in fresh configured stopped prefork broken; do
	is "absent again $h: changed=0" 0 "$(recap "$TMPD/absent2.json" "$h" changed)"
done

# ---- vhost: b.test, on the prefork host (clean again) ----
# Two name-based vhosts beside the default; the module with vhost: b.test
# makes the script run with Host: b.test only; check mode tells the truth
# before and after; state: absent gives /etc/apache2 back byte for byte.
V=${C[prefork]}
vurl=http://127.0.0.1/vcgi/hello.py
SITES=/etc/apache2/sites-available
for n in a b; do
	in_c "$V" sh -c 'mkdir -p "/var/www/$1.test" && printf "%s\n" "<VirtualHost *:80>" \
		"	ServerName $1.test" "	DocumentRoot /var/www/$1.test" "</VirtualHost>" \
		>"$2/$1.conf" && a2ensite -q "$1"' _ "$n" "$SITES" >/dev/null
done
ok "vhost: Apache reloaded with a.test and b.test" in_c "$V" systemctl reload apache2.service
VETC=$(c_snapshot "$V" /etc/apache2)
VSRV=$(c_snapshot "$V" /srv)
cat >"$TMPD/vhost.yml" <<'YAML'
- name: Python CGI in one virtual host
  hosts: all
  gather_facts: false
  tasks:
    - name: cgisetup, b.test only
      cgisetup.apache.cgi:
        dir: /srv/vcgi
        vhost: b.test
        state: "{{ cgi_state | default('present') }}"
YAML
# hcode HOST: the status of the vhost's URL with Host: HOST on loopback.
hcode() {
	in_c "$V" curl -gs -o /dev/null -w '%{http_code}' --max-time 5 -H "Host: $1" "$vurl" || true
}
# vscope OUT: the scope's kind, vhost and copies ("FILE:LINE").
vscope() {
	r "$1" prefork scope | python3 -c 'import json, sys
s = json.load(sys.stdin)
print(s["kind"], s.get("vhost"), *["%s:%s" % (c["file"], c["line"]) for c in s.get("copies", [])])'
}
PLAYBOOK=$TMPD/vhost.yml play "$TMPD/v-check.json" --limit prefork --check --diff
is "vhost check: exit 0" 0 "$play_rc"
[ "$play_rc" = 0 ] || show_play "$TMPD/v-check.json"
is "vhost check: changed" true "$(r "$TMPD/v-check.json" prefork changed)"
is "vhost check: the scope, b.test's one copy" "vhost b.test $SITES/b.conf:1" \
	"$(vscope "$TMPD/v-check.json")"
ok "vhost check: the diff edits b.conf" \
	contains "$(r "$TMPD/v-check.json" prefork diff.prepared)" "+++ b$SITES/b.conf"
ok "vhost check: ran cgisetup --dry-run --vhost b.test" \
	contains "$(r "$TMPD/v-check.json" prefork cmd)" '"--dry-run", "--vhost", "b.test"'
is "vhost check: /etc/apache2 byte-identical" "$VETC" "$(c_snapshot "$V" /etc/apache2)"
is "vhost check: /srv byte-identical" "$VSRV" "$(c_snapshot "$V" /srv)"

PLAYBOOK=$TMPD/vhost.yml play "$TMPD/v-run.json" --limit prefork
is "vhost run: exit 0" 0 "$play_rc"
[ "$play_rc" = 0 ] || show_play "$TMPD/v-run.json"
is "vhost run: changed, applied" "true applied" \
	"$(r "$TMPD/v-run.json" prefork changed) $(r "$TMPD/v-run.json" prefork status)"
is "vhost run: the scope names b.test's copy" "vhost b.test $SITES/b.conf:1" \
	"$(vscope "$TMPD/v-run.json")"
is "vhost run: the URL is b.test's" http://b.test/vcgi/hello.py \
	"$(r "$TMPD/v-run.json" prefork url)"
is "vhost run: the HTTP check ran the script" ran \
	"$(r "$TMPD/v-run.json" prefork activation.verify.verdict)"
ok "vhost run: Host: b.test runs the script" contains \
	"$(in_c "$V" curl -gs --max-time 5 -H 'Host: b.test' "$vurl")" "$PROOF"
is "vhost run: Host: a.test does not (404)" 404 "$(hcode a.test)"
is "vhost run: the default vhost does not (404)" 404 "$(c_code "$V" "$vurl")"

PLAYBOOK=$TMPD/vhost.yml play "$TMPD/v-check2.json" --limit prefork --check
is "vhost check again: exit 0, not changed" "0 false" \
	"$play_rc $(r "$TMPD/v-check2.json" prefork changed)"

PLAYBOOK=$TMPD/vhost.yml play "$TMPD/v-absent.json" --limit prefork -e cgi_state=absent
is "vhost absent: exit 0" 0 "$play_rc"
[ "$play_rc" = 0 ] || show_play "$TMPD/v-absent.json"
is "vhost absent: changed, undone" "true undone" \
	"$(r "$TMPD/v-absent.json" prefork changed) $(r "$TMPD/v-absent.json" prefork status)"
is "vhost absent: the scope taken back is b.test" "vhost b.test" "$(vscope "$TMPD/v-absent.json")"
is "vhost absent: /etc/apache2 byte-identical to before" "$VETC" "$(c_snapshot "$V" /etc/apache2)"
is "vhost absent: /srv byte-identical to before" "$VSRV" "$(c_snapshot "$V" /srv)"
is "vhost absent: Host: b.test answers 404" 404 "$(hcode b.test)"

# ---- the collection's example playbook, on the fresh host (clean again) ----
# It copies the built binary over the link to it; the libraries are in
# the rig's image (apt would need the network); nsenter is root already.
PLAYBOOK=$TOP_SRCDIR/ansible/ansible_collections/cgisetup/apache/playbooks/fleet.yml \
	play "$TMPD/example.json" --limit fresh \
	-e cgisetup_binary="$CGISETUP" -e '{"cgisetup_libraries": []}' -e ansible_become=false
is "example playbook: exit 0" 0 "$play_rc"
[ "$play_rc" = 0 ] || show_play "$TMPD/example.json"
ok "example playbook: cgisetup installed as a file" in_c "${C[fresh]}" \
	sh -c 'test -f /usr/local/sbin/cgisetup && test ! -L /usr/local/sbin/cgisetup'
is "example playbook: the module applied" applied "$(python3 -c 'import json, sys
for t in json.load(open(sys.argv[1]))["plays"][0]["tasks"]:
    r = t["hosts"].get("fresh", {})
    if r.get("action") == "cgisetup.apache.cgi":
        print(r.get("status"))' "$TMPD/example.json")"
ok "example playbook: the script runs" contains "$(c_body "${C[fresh]}" "$url")" "$PROOF"

done_testing
