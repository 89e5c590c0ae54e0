#!/bin/bash
# deb.sh - the Debian package (debian/, README.source), end to end.
# dpkg-buildpackage -us -uc -b builds cgisetup_*.deb from a copy of this
# source tree (the tree itself is not touched; nocheck: make check runs the
# same tests from the same tree). The .deb holds the binary, cgisetup(8),
# the completions and the schemas, with Depends from ${shlibs:Depends}.
# In a rig container (offline: the rootfs has the runtime libraries)
# `apt-get install ./cgisetup_*.deb` installs it, and the installed
# `cgisetup --dir /srv/cgi --yes` turns CGI on (the script runs over HTTP).
# `apt-get remove` and then `purge` leave /etc/apache2 byte- and
# mtime-identical and the journal as it was, and say how to undo first;
# reinstalling and `cgisetup --undo`, as they say, puts /etc/apache2 back.
# Purge removes an empty journal directory (what an empty journal leaves)
# and keeps one holding anything else.
. "$(dirname "$0")/common.sh"
sys_require
need_tool dpkg-buildpackage dpkg-dev
need_tool dh debhelper
need_tool dh_autoreconf dh-autoreconf

# ---- build the package from a copy of the tree ----
# The tracked and new files of a git work tree (what would be committed);
# otherwise (an unpacked tarball) the whole tree, whose clean step
# (dh_auto_clean: make distclean) drops an in-tree build.
src=$TMPD/pkg/cgisetup
mkdir -p "$src"
if git -C "$TOP_SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$TOP_SRCDIR" && git ls-files -z -co --exclude-standard | tar --null -T - -cf -) |
		tar -xf - -C "$src"
else
	tar -C "$TOP_SRCDIR" --exclude=./build-asan --exclude='./cgisetup-*' -cf - . |
		tar -xf - -C "$src"
	chmod -R u+w "$src"
fi
ok "the copy of the tree has debian/" test -x "$src/debian/rules"
t0=$SECONDS
(cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" DEB_BUILD_PROFILES=nocheck \
	dpkg-buildpackage -us -uc -b) >"$TMPD/build.log" 2>&1
rc=$?
echo "# dpkg-buildpackage -us -uc -b (nocheck, parallel=$(nproc)): $((SECONDS - t0)) s"
is_rc "dpkg-buildpackage -us -uc -b: exit 0" 0 "$rc" <(tail -n 30 "$TMPD/build.log")
debs=("$TMPD"/pkg/cgisetup_*.deb)
is "one cgisetup_*.deb is built" 1 "$(ls "$TMPD"/pkg/cgisetup_*.deb 2>/dev/null | wc -l)"
deb=${debs[0]}
[ -f "$deb" ] || bail "no .deb to install"
deb_name=${deb##*/}

# ---- what the .deb holds ----
depends=$(dpkg-deb -f "$deb" Depends)
echo "# Depends: $depends"
for lib in libaugeas0 libc6 libcurl4 libncursesw6 libsystemd0; do
	ok "Depends names $lib (from \${shlibs:Depends})" \
		contains ", $depends," ", $lib ("
done
ok "Depends has no unexpanded substitution variable" not contains "$depends" '${'
is "Recommends" "apache2 | httpd" "$(dpkg-deb -f "$deb" Recommends)"
dpkg-deb -c "$deb" | awk '{ print $6 }' >"$TMPD/contents"
for f in ./usr/sbin/cgisetup ./usr/share/man/man8/cgisetup.8.gz \
	./usr/share/bash-completion/completions/cgisetup \
	./usr/share/zsh/vendor-completions/_cgisetup ./usr/share/doc/cgisetup/copyright; do
	ok "the .deb holds $f" grep -qxF "$f" "$TMPD/contents"
done
for s in "$TOP_SRCDIR"/schemas/*.schema.json; do
	ok "the .deb holds the schema ${s##*/}" \
		grep -qxF "./usr/share/cgisetup/schemas/${s##*/}" "$TMPD/contents"
done
ok "the .deb ships no /var/lib/cgisetup (cgisetup creates it, dpkg must not remove it)" \
	not grep -q '^\./var/lib/cgisetup' "$TMPD/contents"

# ---- install it in a rig container, offline ----
sys_start c deb --bind-ro "$TMPD/pkg:/mnt/pkg"
apt_in() {  # apt-get in the container's /tmp, noninteractive, output in $TMPD/$1.out
	local out=$TMPD/$1.out
	shift
	in_c "$c" sh -c 'cd /tmp && DEBIAN_FRONTEND=noninteractive exec apt-get -y -q "$@"' \
		apt-get "$@" </dev/null >"$out" 2>&1
}
in_c "$c" cp "/mnt/pkg/$deb_name" /tmp/
ok "cgisetup is not in the rootfs before" in_c "$c" test ! -e /usr/sbin/cgisetup
etc0=$(c_snapshot "$c" /etc/apache2)
apt_in install install "./$deb_name"
is_rc "apt-get install ./$deb_name: exit 0 (no network: the libraries are there)" 0 $? \
	"$TMPD/install.out"
is "dpkg: install ok installed" "install ok installed" \
	"$(in_c "$c" dpkg-query -W -f='${Status}' cgisetup)"
is "the installed cgisetup is this tree's version" "$("$CGISETUP" --version | head -n 1)" \
	"$(in_c "$c" /usr/sbin/cgisetup --version | head -n 1)"
for s in "$TOP_SRCDIR"/schemas/*.schema.json; do
	is "installed schema ${s##*/} is the source's" "$(sha256sum <"$s" | cut -d' ' -f1)" \
		"$(in_c "$c" sha256sum "/usr/share/cgisetup/schemas/${s##*/}" | cut -d' ' -f1)"
done
ok "bash's completion is where bash-completion loads it" \
	in_c "$c" test -s /usr/share/bash-completion/completions/cgisetup
is "installing changed nothing in /etc/apache2" "$etc0" "$(c_snapshot "$c" /etc/apache2)"

# ---- the installed cgisetup turns CGI on ----
url=http://127.0.0.1/cgi/hello.py
in_c "$c" /usr/sbin/cgisetup --dir /srv/cgi --yes </dev/null >"$TMPD/apply.out" 2>&1
is_rc "cgisetup --dir /srv/cgi --yes: exit 0" 0 $? "$TMPD/apply.out"
ok "the script runs over HTTP" contains "$(c_body "$c" "$url")" "$PROOF"
is "the journal records one change" 1 \
	"$(in_c "$c" find /var/lib/cgisetup/entries -mindepth 1 -maxdepth 1 -type d | wc -l)"
etc1=$(c_snapshot "$c" /etc/apache2)
mt1=$(c_mtimes "$c" /etc/apache2)
srv1=$(c_snapshot "$c" /srv/cgi)
jr1=$(c_snapshot "$c" /var/lib/cgisetup)
ok "the run changed /etc/apache2" test "$etc0" != "$etc1"

# state_is WHAT: /etc/apache2, /srv/cgi and the journal as after the run.
state_is() {
	is "$1: /etc/apache2 byte-identical" "$etc1" "$(c_snapshot "$c" /etc/apache2)"
	is "$1: /etc/apache2 mtimes unchanged" "$mt1" "$(c_mtimes "$c" /etc/apache2)"
	is "$1: /srv/cgi byte-identical" "$srv1" "$(c_snapshot "$c" /srv/cgi)"
	is "$1: the journal is kept as it was" "$jr1" "$(c_snapshot "$c" /var/lib/cgisetup)"
	ok "$1: the script still runs over HTTP" contains "$(c_body "$c" "$url")" "$PROOF"
}

# ---- apt-get remove ----
apt_in remove remove cgisetup
is_rc "apt-get remove cgisetup: exit 0" 0 $? "$TMPD/remove.out"
ok "remove: says the journal records the change" \
	has "cgisetup: /var/lib/cgisetup records 1 change" "$TMPD/remove.out"
ok "remove: says how to undo first (cgisetup --undo)" has "cgisetup --undo" "$TMPD/remove.out"
ok "remove: the binary is gone" in_c "$c" test ! -e /usr/sbin/cgisetup
is "remove: dpkg keeps the package as removed, not purged" "rc " \
	"$(in_c "$c" dpkg-query -W -f='${db:Status-Abbrev}' cgisetup)"
state_is "remove"

# ---- apt-get purge, the journal has an entry ----
apt_in purge purge cgisetup
is_rc "apt-get purge cgisetup: exit 0" 0 $? "$TMPD/purge.out"
ok "purge: says the journal is kept" has "cgisetup: /var/lib/cgisetup is kept" "$TMPD/purge.out"
ok "purge: says how to undo (reinstall, cgisetup --undo)" has "cgisetup --undo" "$TMPD/purge.out"
ok "purge: dpkg no longer knows the package" \
	not in_c "$c" dpkg-query -W -f='${db:Status-Abbrev}' cgisetup
state_is "purge"

# ---- what the messages say works: reinstall, undo ----
apt_in reinstall install "./$deb_name"
is_rc "reinstall: exit 0" 0 $? "$TMPD/reinstall.out"
in_c "$c" /usr/sbin/cgisetup --undo </dev/null >"$TMPD/undo.out" 2>&1
is_rc "reinstalled cgisetup --undo: exit 0" 0 $? "$TMPD/undo.out"
is "undo: /etc/apache2 is as before the run" "$etc0" "$(c_snapshot "$c" /etc/apache2)"
is "undo: cgisetup removed its emptied journal" absent "$(c_snapshot "$c" /var/lib/cgisetup)"

# ---- purge with an empty journal: the directory goes ----
# What an emptied journal is made of when cgisetup did not tear it down
# itself (a run cut short at the end): an empty entries/, the lock, the
# list of the parents it created.
in_c "$c" sh -c 'mkdir -m 0755 /var/lib/cgisetup && mkdir -m 0700 /var/lib/cgisetup/entries &&
	install -m 0600 /dev/null /var/lib/cgisetup/lock &&
	echo /var/lib/cgisetup > /var/lib/cgisetup/created-parents'
etc2=$(c_snapshot "$c" /etc/apache2)
mt2=$(c_mtimes "$c" /etc/apache2)
apt_in purge-empty purge cgisetup
is_rc "apt-get purge (empty journal): exit 0" 0 $? "$TMPD/purge-empty.out"
is "purge (empty journal): the directory is removed" absent "$(c_snapshot "$c" /var/lib/cgisetup)"
ok "purge (empty journal): /var/lib stays" in_c "$c" test -d /var/lib/dpkg
is "purge (empty journal): nothing to undo, so no message" "" \
	"$(grep '^cgisetup:' "$TMPD/purge-empty.out")"
is "purge (empty journal): /etc/apache2 byte-identical" "$etc2" "$(c_snapshot "$c" /etc/apache2)"
is "purge (empty journal): /etc/apache2 mtimes unchanged" "$mt2" "$(c_mtimes "$c" /etc/apache2)"

# ---- purge with a file cgisetup did not write: the directory stays ----
apt_in reinstall2 install "./$deb_name"
is_rc "reinstall again: exit 0" 0 $? "$TMPD/reinstall2.out"
in_c "$c" sh -c 'mkdir -m 0755 /var/lib/cgisetup && echo "an admin note" > /var/lib/cgisetup/NOTES'
jr3=$(c_snapshot "$c" /var/lib/cgisetup)
apt_in purge-other purge cgisetup
is_rc "apt-get purge (a foreign file): exit 0" 0 $? "$TMPD/purge-other.out"
is "purge (a foreign file): the directory and the file are kept" "$jr3" \
	"$(c_snapshot "$c" /var/lib/cgisetup)"
ok "purge (a foreign file): says why it is kept" \
	has "cgisetup: /var/lib/cgisetup is kept: it holds files cgisetup did not write" \
	"$TMPD/purge-other.out"
done_testing
