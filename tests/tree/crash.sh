#!/bin/bash
# crash.sh - the real binary killed (SIGKILL, injected by strace) at each of
# its write steps, apply and undo, on several layouts: the next run, in any
# mode, rolls the interrupted run back, and every file is byte-identical to
# the state before or the state after a complete run, never a mix. Then
# ENOSPC and EIO injected into write, fsync and rename: a clear error,
# exit 1, and the original bytes everywhere. The layouts: Debian, Arch and
# RHEL of the own tier, and of the shared one when present; every Debian
# tree (own, debian-pkg, shared) for the undo and the faults.
. "$(dirname "$0")/../lib.sh"
layouts_init
need_tool strace strace
need_ptrace

# The syscalls that change the file system, one counter each.
write_steps="rename mkdir symlink fchmod chmod unlink rmdir"

# The tree without the journal's own files (whose manifest holds a time).
tree() {
	snapshot "$1" | grep -v 'var/lib/cgisetup'
}

# Run CMD under strace, killed at the Nth call of SYSCALL; 0 if killed.
killed_at() {
	local sc=$1 n=$2
	shift 2
	strace -f -o /dev/null -e trace="$sc" -e inject="$sc:signal=KILL:when=$n" "$@" \
		>/dev/null 2>&1
	[ $? -eq 137 ]
}

# crash_each LAYOUT SETUP-ARGS -- RUN-ARGS: kill RUN at every write step on
# a tree prepared by SETUP, then check the recovery.
crash_each() {
	local layout=$1 setup=$2 run=$3 label=$4
	local base="$TMPD/base" done_="$TMPD/done" w="$TMPD/w"
	copy_layout "$layout" "$base"
	[ -n "$setup" ] && "$CGISETUP" --root "$base" $setup >/dev/null 2>&1
	rm -rf "$done_" && cp -a "$base" "$done_"
	"$CGISETUP" --root "$done_" $run >/dev/null 2>&1
	local before after kills=0 mixed=0 leftover=0
	before=$(tree "$base")
	after=$(tree "$done_")
	for sc in $write_steps; do
		for n in $(seq 1 40); do
			rm -rf "$w" && cp -a "$base" "$w"
			killed_at "$sc" "$n" "$CGISETUP" --root "$w" $run || break
			kills=$((kills + 1))
			"$CGISETUP" --root "$w" --status >/dev/null 2>&1
			now=$(tree "$w")
			if [ "$now" != "$before" ] && [ "$now" != "$after" ]; then
				mixed=$((mixed + 1))
				echo "# $label: mixed state after a kill at $sc #$n"
				diff <(echo "$before") <(echo "$now") | head -5 | sed 's/^/#   /'
			fi
			if ls "$w"/var/lib/cgisetup/entries/*/manifest >/dev/null 2>&1 &&
				! "$CGISETUP" --root "$w" --status --json | grep -q '"applied"'; then
				leftover=$((leftover + 1))
			fi
		done
	done
	ok "$label: killed at $kills write steps" test "$kills" -ge 5
	is "$label: after recovery, never a mix of before and after" 0 "$mixed"
	is "$label: no interrupted entry is left" 0 "$leftover"
}

crash_layouts=(own/debian own/arch own/rhel)
[[ " ${LAYOUTS[*]} " == *" debian-pkg/debian "* ]] && crash_layouts+=(debian-pkg/debian)
have_fixtures && crash_layouts+=(shared/debian-12 shared/arch shared/rhel9)
for layout in "${crash_layouts[@]}"; do
	crash_each "$layout" "" "--dir /srv/cgi --yes" "$layout apply"
done
for deb in "${DEBIAN_LAYOUTS[@]}"; do
	crash_each "$deb" "--dir /srv/cgi --yes" "--undo" "$deb undo"
done

# Faults: the call fails with ENOSPC or EIO; nothing is left changed.
root="$TMPD/fault"
for deb in "${DEBIAN_LAYOUTS[@]}"; do
	for fault in write:ENOSPC fsync:EIO rename:EIO write:EIO; do
		sc=${fault%%:*} err=${fault#*:}
		for n in 1 2 3 4 6 9; do
			copy_layout "$deb" "$root"
			before=$(snapshot "$root")
			strace -f -o /dev/null -e trace="$sc" -e inject="$sc:error=$err:when=$n" \
				"$CGISETUP" --root "$root" --dir /srv/cgi --yes >"$TMPD/out" 2>&1
			rc=$?
			if [ "$rc" -eq 0 ]; then
				continue # the Nth call was not one of cgisetup's writes (e.g. stdout)
			fi
			is "$deb: $sc $err #$n: exit 1" 1 "$rc"
			ok "$deb: $sc $err #$n: a clear error" grep -qE "cannot (write|sync|create)|$err|No space|Input/output" "$TMPD/out"
			is "$deb: $sc $err #$n: the original bytes everywhere" "$before" "$(snapshot "$root")"
		done
	done
	# A rollback that itself fails: the write of hello.py fails (EIO from the
	# 7th rename on: the journal's own renames come first) and so does every
	# unlink after the first (which finishes creating the journal), so its
	# temporary file cannot be taken away. The run says what is left and keeps
	# the journal entry; the next run, once the cause is gone, finishes.
	copy_layout "$deb" "$root"
	before=$(snapshot "$root")
	strace -f -o /dev/null -e trace=rename,unlink -e inject=rename:error=EIO:when=7+ \
		-e inject=unlink:error=EIO:when=2+ "$CGISETUP" --root "$root" --dir /srv/cgi --yes >"$TMPD/out" 2>&1
	is "$deb: failed rollback: exit 1" 1 $?
	ok "$deb: failed rollback: says it is incomplete" grep -q "rollback incomplete; fix these by hand" "$TMPD/out"
	ok "$deb: failed rollback: names what is left" \
		grep -q "cannot remove the temporary file of '/srv/cgi/hello.py'" "$TMPD/out"
	ok "$deb: failed rollback: says the next run finishes it" grep -q "finishes the rollback" "$TMPD/out"
	ok "$deb: failed rollback: the journal entry stays" ls "$root"/var/lib/cgisetup/entries/*/manifest
	"$CGISETUP" --root "$root" --status >"$TMPD/out" 2>&1
	is "$deb: next run: exit 0" 0 $?
	ok "$deb: next run: says it rolled the interrupted run back" grep -q "rolled back to the exact previous files" "$TMPD/out"
	is "$deb: next run: the original tree" "$before" "$(snapshot "$root")"
done
done_testing
