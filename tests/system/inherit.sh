#!/bin/bash
# inherit.sh - children inherit nothing (issue 14, part 5): cgisetup run
# without systemd (rig.sh start --no-boot) starts Apache with `apache2ctl
# start`; its caller holds a lock (flock), a log file and a pipe open on
# descriptors 7, 8 and 9. Apache lives on after cgisetup exits: none of its
# processes may hold any of the three (the caller's next run would wait on
# its own lock, a reader of the pipe would never see EOF), and the lock is
# free again once the caller is gone.
. "$(dirname "$0")/common.sh"
sys_require
sys_start c inherit --no-boot

ok "container: Apache is stopped before the run" not c_apache_pid "$c"

# The caller: fd 7 a locked file, fd 8 a log it appends to, fd 9 the read
# end of a pipe whose writer sleeps (a pipe is named by its inode; it is
# made first, so that the sleep does not hold the lock). It prints the
# three links as it sees them, then runs cgisetup.
CALLER='exec 9< <(exec sleep 300) || exit 92
	exec 7>/run/caller.lock && flock 7 || exit 90
	exec 8>>/var/log/caller.log || exit 91
	readlink /proc/$$/fd/7 /proc/$$/fd/8 /proc/$$/fd/9 >/run/caller.fds
	"$@"'
in_c "$c" bash -c "$CALLER" _ "$IN_CGISETUP" --dir /srv/cgisetup-inherit --yes \
	</dev/null >"$TMPD/1.out" 2>&1
is_rc "apply through apache2ctl start: exit 0" 0 $? "$TMPD/1.out"
ok "the caller's lock was held (link recorded)" in_c "$c" grep -qx /run/caller.lock /run/caller.fds
ok "the caller's pipe was a pipe" in_c "$c" grep -q '^pipe:\[' /run/caller.fds
pid=$(c_apache_pid "$c")
ok "Apache runs afterwards" test -n "$pid"
is "the script runs" 200 "$(c_code "$c" http://127.0.0.1/cgisetup-inherit/hello.py)"

# Every apache2 process (the parent, its children, the cgid daemon): the
# targets of all its descriptors.
FDS_SH='for p in $(pgrep -x apache2); do
		for f in /proc/$p/fd/*; do echo "$p $(readlink "$f")"; done
	done'
in_c "$c" bash -c "$FDS_SH" >"$TMPD/fds" 2>&1
ok "apache2's descriptors were read" grep -q "^$pid " "$TMPD/fds"
in_c "$c" cat /run/caller.fds >"$TMPD/caller"
while read -r target; do
	if grep -qF " $target" "$TMPD/fds"; then
		held=$(grep -F " $target" "$TMPD/fds" | head -3 | tr '\n' ';')
	else
		held=none
	fi
	is "no apache2 process holds the caller's '$target'" none "$held"
done <"$TMPD/caller"
ok "the caller's lock is free after it exited" in_c "$c" flock -n /run/caller.lock true
done_testing
