#!/bin/bash
# dryrun-recovery.sh - --dry-run writes nothing, not even the recovery of
# a crashed run: an apply killed halfway (strace's fault injection, as in
# crash.sh) leaves an interrupted journal entry; --dry-run then leaves the
# tree byte-identical and says a recovery is pending and which files it
# puts back (so does --undo --dry-run); a --yes run recovers (the tree
# is the original again) and applies.
. "$(dirname "$0")/../lib.sh"
command -v strace >/dev/null || skip_all "strace is not installed"
strace -f -o /dev/null true >/dev/null 2>&1 || skip_all "strace cannot trace here (no ptrace)"

# A minimal Debian-like tree, when the shared fixtures are absent.
minimal_debian() {
	local r=$1 a=$1/etc/apache2
	mkdir -p "$a/mods-available" "$a/mods-enabled" "$a/conf-enabled" "$a/sites-enabled" \
		"$r/var/www/html" "$r/usr/lib/cgi-bin" "$r/var/log/apache2"
	echo 12.5 >"$r/etc/debian_version"
	printf 'ID=debian\nNAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' \
		>"$r/etc/os-release"
	cat >"$a/apache2.conf" <<'CONF'
DefaultRuntimeDir ${APACHE_RUN_DIR}
PidFile ${APACHE_PID_FILE}
User ${APACHE_RUN_USER}
Group ${APACHE_RUN_GROUP}
ErrorLog ${APACHE_LOG_DIR}/error.log
IncludeOptional mods-enabled/*.load
IncludeOptional mods-enabled/*.conf
Include ports.conf
<Directory /var/www/>
	Options Indexes FollowSymLinks
	AllowOverride None
	Require all granted
</Directory>
IncludeOptional conf-enabled/*.conf
IncludeOptional sites-enabled/*.conf
CONF
	printf 'Listen 80\n' >"$a/ports.conf"
	printf 'export APACHE_RUN_USER=www-data\nexport APACHE_RUN_GROUP=www-data\nexport APACHE_LOG_DIR=/var/log/apache2\n' >"$a/envvars"
	printf 'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n' \
		>"$a/mods-available/mpm_event.load"
	printf 'LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so\n' \
		>"$a/mods-available/alias.load"
	printf 'LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\n' \
		>"$a/mods-available/cgid.load"
	printf 'ScriptSock ${APACHE_RUN_DIR}/cgisock\n' >"$a/mods-available/cgid.conf"
	ln -s ../mods-available/mpm_event.load "$a/mods-enabled/mpm_event.load"
	ln -s ../mods-available/alias.load "$a/mods-enabled/alias.load"
	printf '<VirtualHost *:80>\n\tDocumentRoot /var/www/html\n</VirtualHost>\n' \
		>"$a/sites-enabled/000-default.conf"
}

root="$TMPD/root"
if have_fixtures; then
	copy_layout debian-12 "$root"
else
	minimal_debian "$root"
fi
orig=$(snapshot "$root")

# Kill the apply at its first symlink (the module's): files are written,
# the journal entry stays without "committed".
strace -f -o /dev/null -e trace=symlink,symlinkat \
	-e inject=symlink,symlinkat:signal=KILL:when=1 \
	"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null 2>&1
is "the apply was killed" 137 $?
ok "an interrupted journal entry is left" ls "$root"/var/lib/cgisetup/entries/*/manifest
crashed=$(snapshot "$root")
ok "the crash left the tree changed" test "$crashed" != "$orig"

"$CGISETUP" --root "$root" --dir /srv/cgi --dry-run >"$TMPD/dry.out" 2>"$TMPD/dry.err"
is "--dry-run: exit 0" 0 $?
is "--dry-run: the tree stays byte-identical" "$crashed" "$(snapshot "$root")"
ok "--dry-run: says a recovery is pending" grep -q "recovery pending" "$TMPD/dry.out"
ok "--dry-run: names a file the recovery restores" grep -q "put back '/srv/cgi" "$TMPD/dry.out"
ok "--dry-run: does not claim it rolled back" sh -c "! grep -q 'rolled back to the exact previous files first\$' '$TMPD/dry.err'"

"$CGISETUP" --root "$root" --dir /srv/cgi --dry-run --json >"$TMPD/dry.json"
is "--dry-run --json: recovery_pending" 1 "$(json_get recovery_pending <"$TMPD/dry.json")"
is "--dry-run --json: recovered" 0 "$(json_get recovered <"$TMPD/dry.json")"
json_valid "--dry-run --json: valid against its schema" dry-run "$TMPD/dry.json"
is "--dry-run --json: the tree stays byte-identical" "$crashed" "$(snapshot "$root")"

"$CGISETUP" --root "$root" --undo --dry-run >"$TMPD/undo.out" 2>&1
is "--undo --dry-run: exit 0" 0 $?
is "--undo --dry-run: the tree stays byte-identical" "$crashed" "$(snapshot "$root")"
ok "--undo --dry-run: says a recovery is pending" grep -q "recovery pending" "$TMPD/undo.out"

cp -a "$root" "$TMPD/check"
"$CGISETUP" --root "$root" --dir /srv/cgi --yes >"$TMPD/yes.out" 2>"$TMPD/yes.err"
is "--yes: exit 0" 0 $?
ok "--yes: says it rolled the interrupted run back" \
	grep -q "rolled back to the exact previous files" "$TMPD/yes.err"
ok "--yes: then CGI is on" grep -q "CGI is on for '/srv/cgi'" "$TMPD/yes.out"
"$CGISETUP" --root "$TMPD/check" --status >/dev/null 2>&1
tree() {
	snapshot "$1" | grep -v 'var/lib/cgisetup'
}
orig_tree=$(printf '%s\n' "$orig" | grep -v 'var/lib/cgisetup')
is "recovery alone: the original tree again" "$orig_tree" "$(tree "$TMPD/check")"

done_testing
