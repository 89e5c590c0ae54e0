#!/bin/bash
# signals.sh - a Ctrl-C (SIGINT) or SIGTERM that comes while --yes or
# --undo --yes writes is waited out: strace delivers the signal at the first
# symlink of the apply (the module being enabled) or the first unlink of
# the undo (it being disabled), and the run finishes anyway, prints its
# report, says on stderr that it was interrupted and waited, and exits 0;
# the tree is the one a run without a signal leaves. A SIGINT during the
# preparation (the journal's lock, before the first write) still stops it
# at once: exit 130, nothing written. A SIGHUP the caller ignores (nohup)
# is not reported.
. "$(dirname "$0")/../lib.sh"
need_tool strace strace
need_ptrace

layout=own/debian
dir=/srv/cgi
conf=/etc/apache2/apache2.conf
applied_re="^cgisetup: CGI is on for '$dir'"
undone_re="^cgisetup: undone: CGI for '$dir'"
waited_apply='^cgisetup: interrupted while applying; waited for the change to finish$'
waited_undo='^cgisetup: interrupted while undoing; waited for the undo to finish$'

# The tree without the journal's own files (whose manifest holds a time).
tree() {
	snapshot "$1" | grep -v 'var/lib/cgisetup'
}

# signal_at SIG SYSCALL ROOT ARGS...: run cgisetup on ROOT, SIG delivered
# at the first SYSCALL; the output in $TMPD/out, $TMPD/err; the status.
signal_at() {
	local sig=$1 sc=$2 root=$3
	shift 3
	strace -f -o /dev/null -e trace="$sc" -e inject="$sc:signal=$sig:when=1" \
		"$CGISETUP" --root "$root" "$@" >"$TMPD/out" 2>"$TMPD/err"
	echo $?
}

# The trees a run without signals leaves: applied, and applied then undone.
copy_layout "$layout" "$TMPD/base"
cp -a "$TMPD/base" "$TMPD/applied"
"$CGISETUP" --root "$TMPD/applied" --dir "$dir" --yes >/dev/null 2>&1
cp -a "$TMPD/applied" "$TMPD/undone"
"$CGISETUP" --root "$TMPD/undone" --undo --yes >/dev/null 2>&1

for sig in INT TERM; do
	w="$TMPD/w-$sig"
	rm -rf "$w" && cp -a "$TMPD/base" "$w"
	is "SIG$sig during the apply: exit 0" 0 "$(signal_at "$sig" symlink "$w" --dir "$dir" --yes)"
	ok "SIG$sig during the apply: the report" grep -q "$applied_re" "$TMPD/out"
	ok "SIG$sig during the apply: 'interrupted ... waited' on stderr" \
		grep -q "$waited_apply" "$TMPD/err"
	is "SIG$sig during the apply: the tree is the applied one" \
		"$(tree "$TMPD/applied")" "$(tree "$w")"
	ok "SIG$sig during the apply: the run is committed (undo finds it)" \
		"$CGISETUP" --root "$w" --undo --dry-run

	is "SIG$sig during the undo: exit 0" 0 "$(signal_at "$sig" unlink "$w" --undo --yes)"
	ok "SIG$sig during the undo: the report" grep -q "$undone_re" "$TMPD/out"
	ok "SIG$sig during the undo: 'interrupted ... waited' on stderr" \
		grep -q "$waited_undo" "$TMPD/err"
	is "SIG$sig during the undo: the tree is the undone one" \
		"$(tree "$TMPD/undone")" "$(tree "$w")"
done

# --json: the document on stdout stays one document; the line goes to stderr.
w="$TMPD/w-json"
rm -rf "$w" && cp -a "$TMPD/base" "$w"
is "SIGINT during a --json apply: exit 0" 0 "$(signal_at INT symlink "$w" --dir "$dir" --yes --json)"
is "SIGINT during a --json apply: stdout is the JSON result" applied \
	"$(json_get status <"$TMPD/out")"
ok "SIGINT during a --json apply: the line on stderr" grep -q "$waited_apply" "$TMPD/err"

# Before the first write a Ctrl-C stops the run at once.
w="$TMPD/w-early"
rm -rf "$w" && cp -a "$TMPD/base" "$w"
is "SIGINT while preparing: killed at once (130)" 130 \
	"$(signal_at INT flock "$w" --dir "$dir" --yes)"
is "SIGINT while preparing: nothing written" "$(tree "$TMPD/base")" "$(tree "$w")"
ok "SIGINT while preparing: no 'waited' line" bash -c "! grep -q waited '$TMPD/err'"

# nohup: an ignored SIGHUP is no interruption.
w="$TMPD/w-nohup"
rm -rf "$w" && cp -a "$TMPD/base" "$w"
is "ignored SIGHUP during the apply: exit 0" 0 \
	"$(trap '' HUP; signal_at HUP symlink "$w" --dir "$dir" --yes)"
ok "ignored SIGHUP during the apply: not reported" bash -c "! grep -q interrupted '$TMPD/err'"
is "ignored SIGHUP during the apply: the tree is the applied one" \
	"$(tree "$TMPD/applied")" "$(tree "$w")"

done_testing
