#!/bin/bash
# edits.sh - the edit itself on the Debian layout: existing sections are
# completed (any case, quotes, trailing slash) and never duplicated, Options
# stay valid, a directory with a space is quoted, scripts become executable
# without following symlinks or widening write bits, an unrelated file that
# Augeas cannot parse does not stop the run. On each Debian tree (own,
# debian-pkg, shared).
. "$(dirname "$0")/../lib.sh"
layouts_init

root="$TMPD/root"
cfg="$root/etc/apache2/apache2.conf"

# fresh: $root, a new copy of layout $deb.
fresh() {
	copy_layout "$deb" "$root"
}

# The <Directory> section for /srv/cgi, whatever its spelling, as text.
section() {
	awk 'tolower($0) ~ /^<directory "?\/srv\/cgi\/?"?>/ {p=1} p {print} /^<\/[Dd]irectory>/ {p=0}' "$cfg"
}

for deb in "${DEBIAN_LAYOUTS[@]}"; do
	# A pre-existing partial section, in another spelling: completed in place.
	fresh
	printf '<directory "/srv/cgi/">\n\tOptions FollowSymLinks\n</directory>\n' >>"$cfg"
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null 2>&1
	is "$deb: partial section: exit 0" 0 $?
	is "$deb: partial section: still one section" 1 "$(grep -ciE '^<directory "?/srv/cgi/?"?>' "$cfg")"
	is "$deb: partial section: completed, options kept" \
		"$(printf '<directory "/srv/cgi/">\n\tOptions FollowSymLinks ExecCGI\n\t# managed by cgisetup (undo with: cgisetup --undo)\n\tAddHandler cgi-script .py\n\tRequire all granted\n</directory>')" \
		"$(section)"
	before=$(snapshot "$root")
	out=$("$CGISETUP" --root "$root" --dir /srv/cgi/ --yes 2>&1)
	ok "$deb: partial section: second run says already configured" grep -q "already configured" <<<"$out"
	is "$deb: partial section: second run changes nothing" "$before" "$(snapshot "$root")"

	# Options variants keep valid syntax (no mixing of +/- and plain options).
	for case in "None|ExecCGI" "-ExecCGI|+ExecCGI" "+Indexes -MultiViews|+Indexes -MultiViews +ExecCGI" \
		"Indexes|Indexes ExecCGI"; do
		fresh
		printf '<Directory /srv/cgi>\nOptions %s\nRequire all denied\n</Directory>\n' "${case%%|*}" >>"$cfg"
		"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null 2>&1
		is "$deb: Options ${case%%|*}: becomes ${case#*|}" "Options ${case#*|}" "$(section | grep '^Options')"
		is "$deb: Options ${case%%|*}: the admin's Require is kept, none added" "Require all denied" \
			"$(section | grep '^Require')"
	done

	# A section that already has everything: what holds is not written again.
	fresh
	printf '<Directory /srv/cgi>\nOptions +ExecCGI\nAddHandler cgi-script py\nRequire all granted\n</Directory>\n' >>"$cfg"
	held=$(section)
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null 2>&1
	is "$deb: complete section: the section is not touched" "$held" "$(section)"
	is "$deb: complete section: no second AddHandler" 1 "$(section | grep -c AddHandler)"

	# A directory with a space: quoted in the section and the Alias. The
	# dry-run diff, applied by patch -p1 and by git apply at the root of
	# copies, gives the tree the apply gives (symlinks and modes included;
	# the journal aside).
	fresh
	for tool in patch git; do
		rm -rf "$TMPD/$tool" && cp -a "$root" "$TMPD/$tool"
	done
	"$CGISETUP" --root "$root" --dir "/srv/my cgi" --dry-run >"$TMPD/space.diff" 2>/dev/null
	is "$deb: space: dry-run exit 0" 0 $?
	ok "$deb: space: file names end with a tab" grep -qP '^\+\+\+ b/srv/my cgi/hello\.py\t$' "$TMPD/space.diff"
	ok "$deb: space: patch -p1 applies the diff" patch -s -p1 -d "$TMPD/patch" -i "$TMPD/space.diff"
	ok "$deb: space: git apply applies the diff" \
		git -C "$TMPD/git" apply -p1 --unsafe-paths --directory=. "$TMPD/space.diff"
	"$CGISETUP" --root "$root" --dir "/srv/my cgi" --yes >/dev/null 2>&1
	is "$deb: space: exit 0" 0 $?
	ok "$deb: space: the section argument is quoted" grep -qx '<Directory "/srv/my cgi">' "$cfg"
	ok "$deb: space: the Alias target is quoted" grep -qx 'Alias /my-cgi/ "/srv/my cgi/"' "$cfg"
	ok "$deb: space: hello.py written" test -x "$root/srv/my cgi/hello.py"
	applied=$(cd "$root" && find . -path ./var -prune -o -printf '%y %m %p %l\n' | sort;
		find . -path ./var -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
	for tool in patch git; do
		is "$deb: space: the tree $tool made is the applied tree" "$applied" \
			"$(cd "$TMPD/$tool" && find . -path ./var -prune -o -printf '%y %m %p %l\n' | sort;
			find . -path ./var -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)"
	done
	before=$(snapshot "$root")
	"$CGISETUP" --root "$root" --dir "/srv/my cgi" --yes >/dev/null 2>&1
	is "$deb: space: second run changes nothing" "$before" "$(snapshot "$root")"
	ok "$deb: space: the tree passes apache2 -t" bash -c "
		set -a; . '$root/etc/apache2/envvars'; APACHE_RUN_DIR=$TMPD APACHE_LOCK_DIR=$TMPD APACHE_LOG_DIR=$TMPD
		/usr/sbin/apache2 -d '$root/etc/apache2' -f '$cfg' -t"

	# --no-hello: no URL of a hello.py that is not there; one the user
	# put there is named.
	fresh
	out=$("$CGISETUP" --root "$root" --dir /srv/cgi --no-hello --yes 2>&1)
	is "$deb: --no-hello: exit 0" 0 $?
	is "$deb: --no-hello: no hello.py URL" "" "$(grep 'hello\.py' <<<"$out")"
	ok "$deb: --no-hello: says where scripts run" \
		grep -qF "no test script (--no-hello): a script you put in '/srv/cgi' runs at http://127.0.0.1/cgi/NAME" <<<"$out"
	"$CGISETUP" --root "$root" --dir /srv/other --no-hello --yes --json >"$TMPD/j" 2>/dev/null
	is "$deb: --no-hello --json: url is null" "" "$(json_get url <"$TMPD/j")"
	mkdir -p "$root/srv/mine" && printf '#!/bin/sh\necho\n' >"$root/srv/mine/hello.py"
	out=$("$CGISETUP" --root "$root" --dir /srv/mine --no-hello --yes 2>&1)
	ok "$deb: --no-hello, the user's hello.py: its URL" grep -q "test URL once it runs: http://127.0.0.1/mine/hello.py" <<<"$out"

	# A directory name that is not UTF-8 (Latin-1 "café"): --json stays
	# valid UTF-8, the byte becomes U+FFFD; the files get the real bytes.
	fresh
	latin1=$(printf '/srv/caf\351')
	for mode in --dry-run --yes; do
		"$CGISETUP" --root "$root" --dir "$latin1" $mode --json >"$TMPD/j" 2>/dev/null
		is "$deb: Latin-1 dir $mode --json: exit 0" 0 $?
		is "$deb: Latin-1 dir $mode --json: python3 json.loads reads it, U+FFFD for the byte" \
			"'/srv/caf\\ufffd'" "$(python3 -c 'import json, sys
d = json.loads(sys.stdin.buffer.read().decode("utf-8"))
print(ascii([c["path"] for c in d["changes"] if c["action"] == "mkdir"][0]))' <"$TMPD/j")"
	done
	ok "$deb: Latin-1 dir: hello.py written at the real bytes" test -x "$root$latin1/hello.py"

	# Existing scripts become executable; symlinks are not followed, write
	# bits are never widened, other extensions are left alone.
	fresh
	mkdir -p "$root/srv/cgi" "$root/outside"
	install -m 0644 /dev/null "$root/srv/cgi/a.py"
	install -m 0600 /dev/null "$root/srv/cgi/private.py"
	install -m 0664 /dev/null "$root/srv/cgi/group.cgi"
	install -m 0644 /dev/null "$root/srv/cgi/notes.txt"
	install -m 0644 /dev/null "$root/outside/target.py"
	ln -s ../../outside/target.py "$root/srv/cgi/link.py"
	"$CGISETUP" --root "$root" --dir /srv/cgi --ext .py,.cgi --yes >/dev/null 2>&1
	is "$deb: chmod: a.py 0644 -> 0755" 755 "$(stat -c %a "$root/srv/cgi/a.py")"
	is "$deb: chmod: private.py 0600 -> 0700" 700 "$(stat -c %a "$root/srv/cgi/private.py")"
	is "$deb: chmod: group.cgi 0664 -> 0775 (no new write bit)" 775 "$(stat -c %a "$root/srv/cgi/group.cgi")"
	is "$deb: chmod: notes.txt untouched" 644 "$(stat -c %a "$root/srv/cgi/notes.txt")"
	is "$deb: chmod: the symlink's target untouched" 644 "$(stat -c %a "$root/outside/target.py")"
	is "$deb: --ext .py,.cgi: both in AddHandler, indented like the file" \
		"$(printf '\tAddHandler cgi-script .py .cgi')" "$(section | grep AddHandler)"

	# Nothing changed outside DIR through a mode: a script with a second
	# hard link elsewhere (a 0600 file under /etc) is not made executable,
	# nor a setuid or setgid one; each is named in a warning, in the
	# dry-run (whose diff has no mode change for them) as in the apply.
	fresh
	mkdir -p "$root/srv/cgi"
	install -m 0600 /dev/null "$root/etc/apache2/secret.py"
	ln "$root/etc/apache2/secret.py" "$root/srv/cgi/linked.py"
	install -m 4644 /dev/null "$root/srv/cgi/suid.py"
	install -m 2640 /dev/null "$root/srv/cgi/sgid.py"
	install -m 0644 /dev/null "$root/srv/cgi/plain.py"
	"$CGISETUP" --root "$root" --dir /srv/cgi --dry-run >"$TMPD/dry" 2>&1
	is "$deb: modes: dry-run exit 0" 0 $?
	ok "$deb: modes: dry-run warns of the hard link" grep -qF \
		"warning: '/srv/cgi/linked.py' has 2 hard links: not made executable" "$TMPD/dry"
	ok "$deb: modes: dry-run warns of the setuid script" grep -qF \
		"warning: '/srv/cgi/suid.py' is setuid (mode 4644): not made executable" "$TMPD/dry"
	ok "$deb: modes: dry-run warns of the setgid script" grep -qF \
		"warning: '/srv/cgi/sgid.py' is setgid (mode 2640): not made executable" "$TMPD/dry"
	ok "$deb: modes: the dry-run diff changes plain.py's mode" grep -q "plain.py" "$TMPD/dry"
	is "$deb: modes: the dry-run diff has no line for them" "" \
		"$(grep -E '^(diff|---|\+\+\+).*(linked|suid|sgid)\.py' "$TMPD/dry")"
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes --json >"$TMPD/j" 2>"$TMPD/err"
	is "$deb: modes: apply exit 0" 0 $?
	is "$deb: modes: the hard-linked script stays 0600" 600 "$(stat -c %a "$root/srv/cgi/linked.py")"
	is "$deb: modes: its other name under /etc stays 0600" 600 \
		"$(stat -c %a "$root/etc/apache2/secret.py")"
	is "$deb: modes: the setuid script stays 4644" 4644 "$(stat -c %a "$root/srv/cgi/suid.py")"
	is "$deb: modes: the setgid script stays 2640" 2640 "$(stat -c %a "$root/srv/cgi/sgid.py")"
	is "$deb: modes: the plain script 0644 -> 0755" 755 "$(stat -c %a "$root/srv/cgi/plain.py")"
	is "$deb: modes: --json warns of all three" 3 \
		"$(python3 -c 'import json,sys; print(sum(1 for w in json.load(open(sys.argv[1]))["warnings"]
			if "not made executable" in w))' "$TMPD/j")"

	# The directory under the document root: no Alias, the URL follows the path.
	fresh
	"$CGISETUP" --root "$root" --dir /var/www/html/scripts --yes --json >"$TMPD/j" 2>/dev/null
	is "$deb: under the document root: URL path" /scripts "$(json_get url_path <"$TMPD/j")"
	json_valid "$deb: under the document root: --json is valid against its schema" apply "$TMPD/j"
	is "$deb: under the document root: no Alias" 0 "$(grep -c '^Alias' "$cfg")"

	# An Alias that already maps a URL to the directory is reused.
	fresh
	printf 'Alias /tools/ /srv/cgi/\n' >>"$cfg"
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes --json >"$TMPD/j" 2>/dev/null
	is "$deb: existing Alias: reused" /tools "$(json_get url_path <"$TMPD/j")"
	json_valid "$deb: existing Alias: --json is valid against its schema" apply "$TMPD/j"
	is "$deb: existing Alias: no second Alias" 1 "$(grep -c '^Alias' "$cfg")"

	# A default URL path that is taken gets a suffix.
	fresh
	printf 'Alias /cgi /var/other\n' >>"$cfg"
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes --json >"$TMPD/j" 2>/dev/null
	is "$deb: taken URL path: suffixed" /cgi-2 "$(json_get url_path <"$TMPD/j")"
	json_valid "$deb: taken URL path: --json is valid against its schema" apply "$TMPD/j"

	# An unrelated enabled file that Augeas cannot parse does not stop the run.
	fresh
	printf '<Location ~ "/(.*)/adm>\n</Location>\n' >"$root/etc/apache2/conf-available/broken.conf"
	ln -s ../conf-available/broken.conf "$root/etc/apache2/conf-enabled/broken.conf"
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null 2>&1
	is "$deb: unparsable unrelated file: exit 0" 0 $?

	# --json: one document with the status, the layout and the changes.
	fresh
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes --json >"$TMPD/j" 2>/dev/null
	is "$deb: json: status applied" applied "$(json_get status <"$TMPD/j")"
	json_valid "$deb: json: --json is valid against its schema" apply "$TMPD/j"
	is "$deb: json: url" http://127.0.0.1/cgi/hello.py "$(json_get url <"$TMPD/j")"
	is "$deb: json: family" debian "$(json_get layout.family <"$TMPD/j")"
	is "$deb: json: 6 changes" 6 "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["changes"]))' <"$TMPD/j")"
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes --json >"$TMPD/j" 2>/dev/null
	is "$deb: json: re-run status unchanged" unchanged "$(json_get status <"$TMPD/j")"
	json_valid "$deb: json re-run: --json is valid against its schema" apply "$TMPD/j"

	# --force accepts a world-writable directory, but says nothing changes its mode.
	fresh
	mkdir -p -m 0777 "$root/srv/cgi" && chmod 0777 "$root/srv/cgi"
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes --force >/dev/null 2>&1
	is "$deb: --force: world-writable accepted" 0 $?
	is "$deb: --force: its mode is left as it was" 777 "$(stat -c %a "$root/srv/cgi")"
done
done_testing
