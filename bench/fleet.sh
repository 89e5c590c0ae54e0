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
# Prints the medians of the wall time and of the CPU time (user + system
# of everything the side waited for), forks=N / bare, and the module's
# overhead per host:
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

undo_all() {
	local h
	for h in "${HOSTS[@]}"; do
		in_c "$h" cgisetup --undo --dir /srv/cgi --json >/dev/null || die "undo failed on $h"
	done
}

bare_side() {
	local h
	for h in "${HOSTS[@]}"; do
		in_c "$h" cgisetup --dir /srv/cgi --yes --json >"$TMP/bare.json" || {
			echo "cgisetup failed on $h: $(cat "$TMP/bare.json")" >&2
			return 1
		}
	done
}

# ansible_side FORKS PLAYBOOK: one run; every host must be changed (apply)
# or ok (noop), none failed.
ansible_side() {
	ANSIBLE_FORKS=$1 ansible-playbook -i "$TMP/inventory.yml" "$2" >"$TMP/play.json" || {
		echo "ansible-playbook failed: $(tail -c 2000 "$TMP/play.json")" >&2
		return 1
	}
	python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))["stats"]
bad = [h for h, v in s.items() if v["failures"] or v["unreachable"]
       or (sys.argv[2] == "apply" and v["changed"] != 1)]
sys.exit("not as expected: %s" % bad if bad else 0)' "$TMP/play.json" \
		"$([ "$2" = "$TMP/apply.yml" ] && echo apply || echo noop)"
}

# measure NAME COMMAND...: append "WALL_MS CPU_MS" to $TMP/NAME. CPU is
# user + system time of the command and everything it waited for: the
# controller's Python, nsenter, the module's Python on the target and
# cgisetup (not Apache's own reloads, on either side). Unlike the wall
# time, it hardly depends on what else the machine is doing.
measure() {
	local name=$1 t TIMEFORMAT='%3R %3U %3S'
	shift
	t=$( { time "$@" 2>"$TMP/side.err" >/dev/null; } 2>&1 ) ||
		die "$name failed: $(cat "$TMP/side.err")"
	awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$t" >>"$TMP/$name"
}

median() {  # median COLUMN <FILE
	awk -v c="$1" '{ print $c }' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

: >"$TMP/bare" && : >"$TMP/f1" && : >"$TMP/fn" && : >"$TMP/noop"
for ((r = 1; r <= ROUNDS; r++)); do
	measure bare bare_side
	undo_all
	measure fn ansible_side "$NHOSTS" "$TMP/apply.yml"
	undo_all
	measure f1 ansible_side 1 "$TMP/apply.yml"
	undo_all
	measure noop ansible_side "$NHOSTS" "$TMP/noop.yml"
	echo "round $r (wall ms, cpu ms): bare $(tail -n1 "$TMP/bare"), forks=$NHOSTS" \
		"$(tail -n1 "$TMP/fn"), forks=1 $(tail -n1 "$TMP/f1"), start-up $(tail -n1 "$TMP/noop")" >&2
done

row() {  # row LABEL NAME
	printf '  %-40s %7d %7d\n' "$1" "$(median 1 <"$TMP/$2")" "$(median 2 <"$TMP/$2")"
}
echo "fleet of $NHOSTS hosts (fresh, event MPM), medians of $ROUNDS rounds" \
	"($(nproc) CPUs, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '  %-40s %7s %7s\n' "" "wall ms" "CPU ms"
row "bare cgisetup, one host after another" bare
row "ansible-playbook, forks=$NHOSTS" fn
row "ansible-playbook, forks=1" f1
row "ansible-playbook start-up (a noop task)" noop
for k in 1 2; do
	b=$(median $k <"$TMP/bare") n=$(median $k <"$TMP/fn")
	o=$(( ($(median $k <"$TMP/f1") - $(median $k <"$TMP/noop") - b) / NHOSTS ))
	ratio[$k]=$(awk -v a="$n" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
	over[$k]=$o per[$k]=$(( b / NHOSTS ))
done
printf '  %-40s %7s %7s\n' "forks=$NHOSTS / bare" "${ratio[1]}x" "${ratio[2]}x"
printf '  %-40s %7d %7d\n' "bare cgisetup per host" "${per[1]}" "${per[2]}"
printf '  %-40s %7d %7d\n' "module overhead per host (forks=1)" "${over[1]}" "${over[2]}"
