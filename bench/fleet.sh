#!/bin/bash
# bench/fleet.sh - the cgisetup.apache.cgi Ansible module (ansible/) on a
# fleet of rig containers (real systemd + Debian's Apache, reached with
# community.docker.nsenter), against the bare binary. Run on demand as
# root (never part of make check). Each round, on the same N fresh hosts
# (every change undone with the bare binary between the sides, untimed):
#
#   bare, one after another   rig.sh exec HOST -- cgisetup --dir /srv/cgi
#                             --yes --json, host after host (what a for
#                             loop over ssh does, minus ssh)
#   ansible, forks=N          one ansible-playbook run over the fleet
#   ansible, forks=1          the same, one host at a time
#   ansible, no host work     the same playbook with a task that connects
#                             to no host (meta: noop): ansible-playbook's
#                             fixed start-up cost
#
# Prints the medians, forks=N / bare, and the module's overhead per host:
# (forks=1 - fixed start-up - bare one after another) / N, i.e. what the
# module adds to each cgisetup run (connection, copying and starting the
# module, its cgisetup --json parsing, the result back).
#
# Environment: BENCH_ROUNDS (3), BENCH_HOSTS (6), CGISETUP, TOP_SRCDIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${TOP_SRCDIR:=$(cd "$here/.." && pwd)}"
: "${CGISETUP:=$TOP_SRCDIR/cgisetup}"
RIG=$TOP_SRCDIR/tests/rig/rig.sh
ROUNDS=${BENCH_ROUNDS:-3}
NHOSTS=${BENCH_HOSTS:-6}
BUILD=$(cd "$(dirname "$CGISETUP")" && pwd)
MNT=/opt/cgisetup
IN_CGISETUP=$MNT/$(basename "$CGISETUP")

# shellcheck source=lib.sh
. "$here/lib.sh"
command -v ansible-playbook >/dev/null || die "ansible-playbook is missing (./install-deps.sh)"

HOSTS=()
for ((i = 1; i <= NHOSTS; i++)); do
	HOSTS+=("cgs-bfleet$i-$$")
	start "cgs-bfleet$i-$$"
	in_c "cgs-bfleet$i-$$" ln -s "$IN_CGISETUP" /usr/local/sbin/cgisetup
done

{
	echo "all:"
	echo "  vars:"
	echo "    ansible_connection: community.docker.nsenter"
	echo "    ansible_python_interpreter: /usr/bin/python3"
	echo "  hosts:"
	for h in "${HOSTS[@]}"; do
		echo "    $h:"
		echo "      ansible_nsenter_pid: $("$RIG" leader "$h")"
	done
} >"$TMP/inventory.yml"
cat >"$TMP/apply.yml" <<'EOF'
- hosts: all
  gather_facts: false
  tasks:
    - cgisetup.apache.cgi:
        dir: /srv/cgi
EOF
cat >"$TMP/noop.yml" <<'EOF'
- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.meta: noop
EOF
: >"$TMP/ansible.cfg"
export ANSIBLE_CONFIG=$TMP/ansible.cfg ANSIBLE_HOME=$TMP/ansible-home
export ANSIBLE_LOCAL_TEMP=$TMP/ansible-tmp ANSIBLE_COLLECTIONS_PATH=$TOP_SRCDIR/ansible
export ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_RETRY_FILES_ENABLED=0
export LC_ALL=C.UTF-8  # ansible-core refuses other locales

now_ms() {
	local t=$EPOCHREALTIME
	echo $(( ${t/./} / 1000 ))
}

undo_all() {
	local h
	for h in "${HOSTS[@]}"; do
		in_c "$h" cgisetup --undo --dir /srv/cgi --json >/dev/null || die "undo failed on $h"
	done
}

bare_side() {
	local h t0
	t0=$(now_ms)
	for h in "${HOSTS[@]}"; do
		in_c "$h" cgisetup --dir /srv/cgi --yes --json >"$TMP/bare.json" ||
			die "cgisetup failed on $h: $(cat "$TMP/bare.json")"
	done
	echo $(( $(now_ms) - t0 ))
}

# ansible_side FORKS PLAYBOOK: wall time of one run; every host must be
# changed (apply) or ok (noop), none failed.
ansible_side() {
	local t0 t1
	t0=$(now_ms)
	ANSIBLE_FORKS=$1 ansible-playbook -i "$TMP/inventory.yml" "$2" \
		>"$TMP/play.json" 2>"$TMP/play.err" ||
		die "ansible-playbook failed: $(tail -c 2000 "$TMP/play.json") $(cat "$TMP/play.err")"
	t1=$(now_ms)
	python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))["stats"]
bad = [h for h, v in s.items() if v["failures"] or v["unreachable"]
       or (sys.argv[2] == "apply" and v["changed"] != 1)]
sys.exit("not as expected: %s" % bad if bad else 0)' "$TMP/play.json" \
		"$([ "$2" = "$TMP/apply.yml" ] && echo apply || echo noop)" >&2 || die "bad results"
	echo $(( t1 - t0 ))
}

median() {
	sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

: >"$TMP/bare" && : >"$TMP/f1" && : >"$TMP/fn" && : >"$TMP/noop"
for ((r = 1; r <= ROUNDS; r++)); do
	bare_side >>"$TMP/bare"
	undo_all
	ansible_side "$NHOSTS" "$TMP/apply.yml" >>"$TMP/fn"
	undo_all
	ansible_side 1 "$TMP/apply.yml" >>"$TMP/f1"
	undo_all
	ansible_side "$NHOSTS" "$TMP/noop.yml" >>"$TMP/noop"
	echo "round $r: bare $(tail -n1 "$TMP/bare") ms, forks=$NHOSTS $(tail -n1 "$TMP/fn") ms," \
		"forks=1 $(tail -n1 "$TMP/f1") ms, start-up $(tail -n1 "$TMP/noop") ms" >&2
done

bare=$(median <"$TMP/bare")
fn=$(median <"$TMP/fn")
f1=$(median <"$TMP/f1")
noop=$(median <"$TMP/noop")
echo "fleet of $NHOSTS hosts (fresh, event MPM), medians of $ROUNDS rounds, wall time" \
	"($(nproc) CPUs, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '  %-44s %6d ms\n' "bare cgisetup, one host after another" "$bare"
printf '  %-44s %6d ms   (%s x bare)\n' "ansible-playbook, forks=$NHOSTS" "$fn" \
	"$(awk -v a="$fn" -v b="$bare" 'BEGIN { printf "%.2f", a / b }')"
printf '  %-44s %6d ms\n' "ansible-playbook, forks=1" "$f1"
printf '  %-44s %6d ms\n' "ansible-playbook start-up (a noop task)" "$noop"
printf '  %-44s %6d ms\n' "module overhead per host (forks=1)" \
	$(( (f1 - noop - bare) / NHOSTS ))
printf '  %-44s %6d ms\n' "bare cgisetup per host" $(( bare / NHOSTS ))
