#!/bin/bash
# undo-any.sh - undo never gets stuck, and takes back any entry: on each
# Debian tree (own, debian-pkg, shared),
#  - stacked applies (/srv/a then /srv/b) undone by ID and by --dir, in
#    either order: after the first undo the tree is byte for byte the one
#    the other apply alone makes (the module symlinks stay while an entry
#    needs them), after the second the tree as shipped, journal gone;
#  - --undo --dir /srv/none and an unknown ID: exit 2, nothing changed;
#  - an entry a later one builds on (the same directory) is refused; the
#    undo of the later one says CGI stays on through the earlier;
#  - apache2.conf replaced by the pristine copy plus one edit (a package
#    upgrade's maintainer version): --undo exits 0, says the lines were
#    gone, keeps the edit, removes the links, hello.py and the directory;
#  - cgisetup's lines edited by hand, marker gone: the rest is undone, the
#    entry stays "partly undone" (--status says why); --forget drops it
#    (--yes; refused without a terminal).
. "$(dirname "$0")/../lib.sh"
layouts_init

# tree ROOT: the files, links and modes of ROOT with their hashes (the
# journal under /var aside, checked on its own).
tree() {
	(cd "$1" && find . -path ./var -prune -o -printf '%y %m %p %l\n' | sort
		find . -path ./var -prune -o -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

run() {
	"$CGISETUP" --root "$root" "$@" </dev/null >"$TMPD/out" 2>&1
}

for deb in "${DEBIAN_LAYOUTS[@]}"; do
	p="$TMPD/pristine" root="$TMPD/root"
	copy_layout "$deb" "$p"
	mkdir -p "$p/srv"
	for x in a b; do
		rm -rf "$TMPD/only-$x" && cp -a "$p" "$TMPD/only-$x"
		"$CGISETUP" --root "$TMPD/only-$x" --dir /srv/$x --yes >/dev/null 2>&1
	done
	shipped=$(tree "$p")

	# id:N or dir:DIR, in the order given; first names the state expected
	# after the first undo.
	for order in "1 2|only-b" "2 1|only-a" "dir:/srv/a dir:/srv/b|only-b" \
		"dir:/srv/b dir:/srv/a|only-a" "1 dir:/srv/b|only-b" "dir:/srv/b 1|only-a"; do
		rm -rf "$root" && cp -a "$p" "$root"
		"$CGISETUP" --root "$root" --dir /srv/a --yes >/dev/null 2>&1
		"$CGISETUP" --root "$root" --dir /srv/b --yes >/dev/null 2>&1
		set -- ${order%|*}
		n=0
		for o in "$@"; do
			case $o in
			dir:*) args=(--undo --dir "${o#dir:}") ;;
			*) args=(--undo "$o") ;;
			esac
			run "${args[@]}"
			is "$deb: undo ${order%|*}: ${args[*]} exits 0" 0 $?
			n=$((n + 1))
			[ $n -eq 1 ] && is "$deb: undo ${order%|*}: after ${args[*]} the tree is ${order#*|}'s" \
				"$(tree "$TMPD/${order#*|}")" "$(tree "$root")"
		done
		is "$deb: undo ${order%|*}: the tree as shipped" "$shipped" "$(tree "$root")"
		ok "$deb: undo ${order%|*}: no journal left" test ! -e "$root/var"
	done

	# The module stays while a later entry needs it, and says so.
	rm -rf "$root" && cp -a "$p" "$root"
	"$CGISETUP" --root "$root" --dir /srv/a --yes >/dev/null 2>&1
	"$CGISETUP" --root "$root" --dir /srv/b --yes >/dev/null 2>&1
	run --undo 1
	ok "$deb: undo 1: says the module stays for change 2" grep -q "kept the module 'cgid' enabled: change 2 for '/srv/b' needs it" "$TMPD/out"
	run --status
	ok "$deb: --status lists change 2 by its ID" grep -qE '^2  .*  /srv/b at /b/' "$TMPD/out"

	# Nothing to undo for a directory, an unknown ID: exit 2, no change.
	before=$(snapshot "$root")
	run --undo --dir /srv/none
	is "$deb: --undo --dir /srv/none exits 2" 2 $?
	ok "$deb: --undo --dir /srv/none says why" grep -q "no change by cgisetup for '/srv/none' to undo" "$TMPD/out"
	run --undo 7
	is "$deb: --undo 7 (no such ID) exits 2" 2 $?
	ok "$deb: --undo 7 says why" grep -q "no applied change has the ID '7'" "$TMPD/out"
	is "$deb: refused undos change nothing" "$before" "$(snapshot "$root")"

	# A later entry for the same directory builds on the first: refused.
	rm -rf "$root" && cp -a "$p" "$root"
	"$CGISETUP" --root "$root" --dir /srv/a --yes >/dev/null 2>&1
	"$CGISETUP" --root "$root" --dir /srv/a --ext .py,.cgi --yes >/dev/null 2>&1
	before=$(snapshot "$root")
	run --undo 1
	is "$deb: same dir: --undo 1 exits 2" 2 $?
	ok "$deb: same dir: names the entry to undo first" \
		grep -q "cannot undo change 1 alone: change 2 for the same directory '/srv/a' builds on it" "$TMPD/out"
	is "$deb: same dir: nothing changed" "$before" "$(snapshot "$root")"
	run --undo
	ok "$deb: same dir: undo 2 says CGI stays on through change 1" \
		grep -q "undone: change 2 for '/srv/a' (applied .*); CGI stays on there: change 1 for the same directory still applies" "$TMPD/out"
	run --undo
	ok "$deb: same dir: undo 1 says CGI is off" grep -q "undone: CGI for '/srv/a' (applied .*) is off again" "$TMPD/out"
	is "$deb: same dir: the tree as shipped" "$shipped" "$(tree "$root")"

	# The file replaced by the package's version plus one unrelated edit.
	rm -rf "$root" && cp -a "$p" "$root"
	cfg=/etc/apache2/apache2.conf
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null 2>&1
	cp "$p$cfg" "$root$cfg"
	echo "# an unrelated edit" >>"$root$cfg"
	edited=$(cat "$root$cfg")
	run --undo
	is "$deb: replaced file: --undo exits 0" 0 $?
	ok "$deb: replaced file: says the lines were gone" \
		grep -q "cgisetup's lines are gone from '$cfg' (the file was replaced since" "$TMPD/out"
	is "$deb: replaced file: the edit is kept" "$edited" "$(cat "$root$cfg")"
	ok "$deb: replaced file: hello.py and the directory are gone" test ! -e "$root/srv/cgi"
	ok "$deb: replaced file: the module links are gone" \
		sh -c "! ls '$root/etc/apache2/mods-enabled/' | grep -q '^cgid\.'"
	ok "$deb: replaced file: the entry is gone" test ! -e "$root/var"

	# cgisetup's lines edited by hand, the marker taken out: the Alias
	# goes, the section cannot; the entry stays, partly undone.
	rm -rf "$root" && cp -a "$p" "$root"
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null 2>&1
	sed -i -e '/managed by cgisetup/d' -e 's/^\tAddHandler cgi-script \.py$/\tAddHandler cgi-script .py .cgi/' "$root$cfg"
	run --undo
	is "$deb: edited lines: --undo exits 0" 0 $?
	ok "$deb: edited lines: says what is not undone" \
		grep -q "one of cgisetup's edits in '$cfg' was changed since and carries no marker: take it out by hand" "$TMPD/out"
	ok "$deb: edited lines: the Alias is gone" sh -c "! grep -q '^Alias /cgi/' '$root$cfg'"
	ok "$deb: edited lines: the module links are gone" \
		sh -c "! ls '$root/etc/apache2/mods-enabled/' | grep -q '^cgid\.'"
	run --status
	ok "$deb: edited lines: --status says partly undone" grep -qE '^1  .*\(partly undone\)' "$TMPD/out"
	ok "$deb: edited lines: --status says why" grep -q "not undone: one of cgisetup's edits" "$TMPD/out"
	run --undo 1 --forget
	is "$deb: --forget without --yes and without a terminal exits 2" 2 $?
	ok "$deb: --forget without a terminal keeps the entry" test -d "$root/var/lib/cgisetup/entries/000001"
	run --undo 1 --forget --yes
	is "$deb: --forget --yes exits 0" 0 $?
	ok "$deb: --forget --yes says so" grep -q "dropped change 1 for '/srv/cgi'" "$TMPD/out"
	ok "$deb: --forget --yes: the journal is gone" test ! -e "$root/var"
	ok "$deb: --forget: the section stays as the admin left it" grep -q 'AddHandler cgi-script .py .cgi' "$root$cfg"
done
done_testing
