#!/bin/bash
# userdir.sh - --userdir with --root on the project's own layouts: Debian
# enables mod_userdir as a2enmod does and adds <Directory
# /home/*/public_html/cgi-bin> (no Require: the home directories' own
# section decides access); the URL is a user's /~USER/cgi-bin/; undo gives
# the tree back; refusals (UserDir disabled for everyone, mod_userdir not
# available, --vhost or --dir or --url-path with it) exit 2 with nothing
# touched.
. "$(dirname "$0")/../lib.sh"
layouts_init

root="$TMPD/root"
cfg=etc/apache2/apache2.conf

# debian_userdir: the own Debian layout with Debian's userdir files and
# alice's ~/public_html/cgi-bin.
debian_userdir() {
	copy_layout own/debian "$root"
	printf 'LoadModule userdir_module /usr/lib/apache2/modules/mod_userdir.so\n' \
		>"$root/etc/apache2/mods-available/userdir.load"
	printf 'UserDir public_html\nUserDir disabled root\n\n<Directory /home/*/public_html>\n\tRequire method GET POST OPTIONS\n</Directory>\n' \
		>"$root/etc/apache2/mods-available/userdir.conf"
	mkdir -p "$root/home/bob" "$root/home/alice/public_html/cgi-bin"
}

debian_userdir
before=$(snapshot "$root")
"$CGISETUP" --root "$root" --userdir --yes --json >"$TMPD/a.json" 2>"$TMPD/err"
is "debian --userdir: exit 0" 0 $?
json_valid "debian --userdir: --json valid" apply "$TMPD/a.json"
is "debian --userdir: the URL is alice's" "http://127.0.0.1/~alice/cgi-bin/hello.py" \
	"$(json_get url <"$TMPD/a.json")"
is "debian --userdir: url_path" "/~alice/cgi-bin" "$(json_get url_path <"$TMPD/a.json")"
is "debian --userdir: --json names the scope" userdir "$(json_get scope.kind <"$TMPD/a.json")"
"$CGISETUP" --root "$root" --status --json >"$TMPD/s.json" 2>"$TMPD/err"
json_valid "debian --userdir: --status --json valid" status "$TMPD/s.json"
is "debian --userdir: --status --json names the scope" userdir \
	"$(python3 -c 'import json,sys; print(json.load(sys.stdin)["applied"][0]["scope"]["kind"])' \
		<"$TMPD/s.json")"
"$CGISETUP" --root "$root" --status >"$TMPD/s.out" 2>&1
ok "debian --userdir: --status names the scope" \
	grep -qE '^1  [^ ]+  userdir  /home/\*/public_html/cgi-bin at /~alice/cgi-bin/  \(intact\)' \
	"$TMPD/s.out"
for f in userdir.load userdir.conf; do
	is "debian --userdir: mods-enabled/$f links to mods-available" "../mods-available/$f" \
		"$(readlink "$root/etc/apache2/mods-enabled/$f")"
done
ok "debian --userdir: the section for every user's cgi-bin" \
	grep -qx '<Directory /home/\*/public_html/cgi-bin>' "$root/$cfg"
is "debian --userdir: no Require added (the home directories' section decides)" 0 \
	"$(sed -n '/public_html\/cgi-bin>/,/<\/Directory>/p' "$root/$cfg" | grep -c Require)"
is "debian --userdir: no hello.py, no directory made for anyone" \
	"$(cd "$TMPD" && printf '%s\n' root/home root/home/alice root/home/alice/public_html root/home/alice/public_html/cgi-bin root/home/bob)" \
	"$(cd "$TMPD" && find root/home | sort)"
"$CGISETUP" --root "$root" --userdir --yes >"$TMPD/out" 2>&1
is "debian --userdir again: exit 0" 0 $?
ok "debian --userdir again: already configured" grep -q "already configured" "$TMPD/out"
"$CGISETUP" --root "$root" --undo >"$TMPD/out" 2>&1
is "debian --userdir: undo exits 0" 0 $?
ok "debian --userdir: undo names the scope" \
	grep -qx "cgisetup: where it applied: in every user's ~/public_html/cgi-bin (--userdir)" \
	"$TMPD/out"
rm -rf "$root/var/lib/cgisetup"
rmdir "$root/var/lib" "$root/var" 2>/dev/null
is "debian --userdir: apply + undo = the original tree" "$before" "$(snapshot "$root")"

# nobody has ~/public_html/cgi-bin: configured, said not provable now
debian_userdir
rm -rf "$root/home/alice/public_html"
"$CGISETUP" --root "$root" --userdir --yes >"$TMPD/out" 2>&1
is "debian --userdir, no user's directory: exit 0" 0 $?
ok "debian --userdir, no user's directory: says it cannot be proven now" \
	grep -q "no user has ~/public_html/cgi-bin yet" "$TMPD/out"

# refusals: exit 2, every byte and mtime as it was
refused() {  # refused LABEL MESSAGE ARG...
	local label=$1 msg=$2
	shift 2
	local b m dm
	b=$(snapshot "$root") m=$(snapshot_mtimes "$root") dm=$(dir_mtimes "$root")
	"$CGISETUP" --root "$root" "$@" >"$TMPD/out" 2>&1
	is "$label: exit 2" 2 $?
	ok "$label: says why" grep -qF -- "$msg" "$TMPD/out"
	is "$label: the tree is byte-identical" "$b" "$(snapshot "$root")"
	is "$label: mtimes unchanged (files, /, /var, /var/lib)" "$m$dm" \
		"$(snapshot_mtimes "$root")$(dir_mtimes "$root")"
}
debian_userdir
refused "--userdir --vhost" "--vhost and --userdir do not go together" --userdir --vhost a.test --yes
refused "--userdir --dir" "--userdir sets the directory itself" --userdir --dir /srv/cgi --yes
refused "--userdir --url-path" "give no --url-path" --userdir --url-path /x --yes
rm "$root/etc/apache2/mods-available/userdir.load"
refused "debian without userdir.load" "mod_userdir is not loaded" --userdir --yes

# RHEL: conf.d/userdir.conf as the package ships it disables UserDir
copy_layout own/rhel "$root"
printf '<IfModule mod_userdir.c>\n    UserDir disabled\n</IfModule>\n' >"$root/etc/httpd/conf.d/userdir.conf"
base="$root/etc/httpd/conf.modules.d/00-base.conf"
grep -q userdir_module "$base" || printf 'LoadModule userdir_module modules/mod_userdir.so\n' >>"$base"
refused "rhel, UserDir disabled" \
	"disabled for every user by 'UserDir disabled' in '/etc/httpd/conf.d/userdir.conf' line 2" \
	--userdir --yes
done_testing
