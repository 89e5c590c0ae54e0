#!/bin/bash
# undo.sh - --undo on copies of every layout of every tier: apply then
# undo gives the original tree back (contents, modes, symlinks); on each
# Debian tree, unrelated edits made after the apply survive the undo; two
# applies undo in turn; a changed hello.py is kept; cgisetup's own lines
# edited since stop the undo cleanly.
. "$(dirname "$0")/../lib.sh"
layouts_init

for layout in "${LAYOUTS[@]}"; do
	root="$TMPD/root"
	copy_layout "$layout" "$root"
	before=$(snapshot "$root")
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null 2>&1
	is "$layout: apply exits 0" 0 $?
	"$CGISETUP" --root "$root" --undo >"$TMPD/out" 2>&1
	is "$layout: undo exits 0" 0 $?
	is "$layout: apply + undo = the original tree" "$before" "$(snapshot "$root")"
	rm -rf "$root"
done

root="$TMPD/root"
cfg="$root/etc/apache2/apache2.conf"
for deb in "${DEBIAN_LAYOUTS[@]}"; do
	# The lines that name cgisetup before it ran (the own layouts' header
	# comment says whom they were written for): all that may be left.
	own=$(grep -c cgisetup "$(layout_dir "$deb")/etc/apache2/apache2.conf")

	# An unrelated edit after the apply, in the same file, before and after
	# cgisetup's lines: it stays; cgisetup's lines go.
	copy_layout "$deb" "$root"
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null 2>&1
	sed -i 's/^Timeout 300$/Timeout 120/' "$cfg"
	printf 'ServerName edited.example\n' >>"$cfg"
	"$CGISETUP" --root "$root" --undo >/dev/null 2>&1
	is "$deb: edited file: undo exits 0" 0 $?
	ok "$deb: edited file: the edit before cgisetup's lines is kept" grep -qx 'Timeout 120' "$cfg"
	ok "$deb: edited file: the edit after them is kept" grep -qx 'ServerName edited.example' "$cfg"
	is "$deb: edited file: no cgisetup line is left" "$own" "$(grep -c 'cgisetup' "$cfg")"
	is "$deb: edited file: no <Directory /srv/cgi>" 0 "$(grep -c '/srv/cgi' "$cfg")"
	copy_layout "$deb" "$TMPD/orig"
	sed -i 's/^Timeout 300$/Timeout 120/' "$TMPD/orig/etc/apache2/apache2.conf"
	printf 'ServerName edited.example\n' >>"$TMPD/orig/etc/apache2/apache2.conf"
	ok "$deb: edited file: exactly the original plus the edits" cmp "$TMPD/orig/etc/apache2/apache2.conf" "$cfg"
	ok "$deb: edited file: the module links are gone" test ! -e "$root/etc/apache2/mods-enabled/cgid.load"

	# Two applies for two directories, undone in turn.
	copy_layout "$deb" "$root"
	before=$(snapshot "$root")
	"$CGISETUP" --root "$root" --dir /srv/one --yes >/dev/null 2>&1
	after_one=$(snapshot "$root")
	"$CGISETUP" --root "$root" --dir /srv/two --yes >/dev/null 2>&1
	is "$deb: two applies: two entries in --status" 2 \
		"$("$CGISETUP" --root "$root" --status --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["applied"]))')"
	"$CGISETUP" --root "$root" --undo >/dev/null 2>&1
	ok "$deb: two applies: the first undo takes back /srv/two only" \
		bash -c "grep -q '/srv/one' '$cfg' && ! grep -q '/srv/two' '$cfg' && test -d '$root/srv/one'"
	"$CGISETUP" --root "$root" --undo >/dev/null 2>&1
	is "$deb: two applies: undo twice = the original tree" "$before" "$(snapshot "$root")"
	"$CGISETUP" --root "$root" --undo >"$TMPD/out" 2>&1
	is "$deb: nothing applied: undo exits 0" 0 $?
	ok "$deb: nothing applied: says so" grep -q "nothing to undo" "$TMPD/out"
	is "$deb: nothing applied: nothing touched" "$before" "$(snapshot "$root")"

	# A hello.py changed since is kept, with a warning; its directory too.
	copy_layout "$deb" "$root"
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null 2>&1
	echo "# mine now" >>"$root/srv/cgi/hello.py"
	"$CGISETUP" --root "$root" --undo >"$TMPD/out" 2>&1
	is "$deb: changed hello.py: undo exits 0" 0 $?
	ok "$deb: changed hello.py: kept" grep -q "mine now" "$root/srv/cgi/hello.py"
	ok "$deb: changed hello.py: a warning names it" grep -q "kept '/srv/cgi/hello.py'" "$TMPD/out"
	is "$deb: changed hello.py: the config is clean" "$own" "$(grep -c cgisetup "$cfg")"

	# The dry-run of an undo writes nothing; --json reports it.
	copy_layout "$deb" "$root"
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null 2>&1
	before=$(snapshot "$root")
	"$CGISETUP" --root "$root" --undo --dry-run --json >"$TMPD/j" 2>/dev/null
	is "$deb: undo dry-run: status" dry-run "$(json_get status <"$TMPD/j")"
	json_valid "$deb: undo dry-run: valid against its schema" undo "$TMPD/j"
	is "$deb: undo dry-run: nothing written" "$before" "$(snapshot "$root")"

	# cgisetup's own lines edited since: the section goes by its marker.
	sed -i 's/^\(\s*\)AddHandler cgi-script .py$/\1AddHandler cgi-script .py .cgi/' "$cfg"
	"$CGISETUP" --root "$root" --undo >"$TMPD/out" 2>&1
	is "$deb: own lines edited: undo exits 0" 0 $?
	ok "$deb: own lines edited: a warning says so" grep -q "were edited since: removed its section by its marker" "$TMPD/out"
	is "$deb: own lines edited: no cgisetup line is left" "$own" "$(grep -c 'cgisetup\|/srv/cgi' "$cfg")"
	ok "$deb: own lines edited: the rest of the file is the original" \
		cmp "$cfg" "$(layout_dir "$deb")/etc/apache2/apache2.conf"

	# The marker removed by the admin: the section is theirs now and stays;
	# cgisetup's Alias, which they did not touch, goes.
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null 2>&1
	sed -i 's|^Alias /cgi/ /srv/cgi/$|Alias /cgi/ /srv/cgi/\nAlias /more/ /srv/more/|' "$cfg"
	sed -i '/^\s*# managed by cgisetup/d' "$cfg"
	"$CGISETUP" --root "$root" --undo >"$TMPD/out" 2>&1
	is "$deb: marker removed: undo exits 0" 0 $?
	ok "$deb: marker removed: the admin's Alias stays" grep -qx 'Alias /more/ /srv/more/' "$cfg"
	ok "$deb: marker removed: cgisetup's Alias goes" bash -c "! grep -q '^Alias /cgi/' '$cfg'"
	is "$deb: marker removed: the unmarked section stays" 1 "$(grep -c '^<Directory /srv/cgi>' "$cfg")"
done
done_testing
