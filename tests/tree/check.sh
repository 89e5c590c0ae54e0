#!/bin/bash
# check.sh - `cgisetup --check` on a --root tree (the static half: nothing
# is fetched under --root): each class of broken script gets its exact
# diagnosis and fix, the configuration checks go through the model, a
# working directory has no problem line and exits 0, a problem exits 1,
# bad input exits 2 with the tree byte-identical, --json is valid against
# schemas/check.schema.json; and no script is ever run. --fix: the
# preview, the rewrite of CRLF and BOM scripts with the exec bits, a clean
# --check after it, and --undo back to the same bytes and modes.
. "$(dirname "$0")/../lib.sh"

root="$TMPD/root"
copy_layout own/debian "$root"
R=(--root "$root")
# an interpreter for the scripts' first lines (never run: a marker file
# says so if it were)
mkdir -p "$root/usr/bin"
printf '#!/bin/sh\ntouch %s/ran\n' "$TMPD" >"$root/usr/bin/python3.11"
chmod 0755 "$root/usr/bin/python3.11"
ln -s python3.11 "$root/usr/bin/python3"
cp "$root/usr/bin/python3.11" "$root/usr/bin/env"

not_grep() {
	! grep -q -- "$1" "$2"
}

# line MESSAGE: the output has exactly this line
has_line() {
	grep -qxF -- "$1" "$TMPD/out"
}

# --- bad input: exit 2, nothing changed ---
mkdir -p "$root/srv/cgi"
before=$(snapshot "$root")
dmtimes=$(dir_mtimes "$root")
for args in "relative/dir" "/srv/nope" "/srv/../etc" "ftp://x/y"; do
	"$CGISETUP" "${R[@]}" --check "$args" >"$TMPD/out" 2>&1
	is "bad input '$args': exit 2" 2 $?
done
"$CGISETUP" "${R[@]}" --fix relative/dir --yes >"$TMPD/out" 2>&1
is "--fix relative/dir: exit 2" 2 $?
ok "--fix relative/dir: says it needs an absolute path" \
	grep -qF "needs the absolute path of a directory or of a script in it" "$TMPD/out"
for args in "/srv/../etc" "/srv/cgi*"; do
	"$CGISETUP" "${R[@]}" --fix "$args" --yes >"$TMPD/out" 2>&1
	is "--fix bad input '$args': exit 2" 2 $?
done
"$CGISETUP" "${R[@]}" --check >"$TMPD/out" 2>&1
is "nothing set up and no target: exit 2" 2 $?
ok "nothing set up and no target: says so" grep -q "no directory set up by cgisetup" "$TMPD/out"
"$CGISETUP" "${R[@]}" --check /srv/nope --json >"$TMPD/bad.json" 2>/dev/null
json_valid "bad input: the --json document is valid" check "$TMPD/bad.json"
is "bad input: status invalid" invalid "$(json_get status <"$TMPD/bad.json")"
is "bad input: tree unchanged" "$before" "$(snapshot "$root")"
is "bad input: no journal created" "$dmtimes" "$(dir_mtimes "$root")"

# --- the tutorial's first script, before any setup ---
printf '#! /usr/bin/env python\nprint "Content-Type: text/html"\nprint\nprint "<h1>Hello</h1>"\n' \
	>"$root/srv/cgi/first.py"
chmod 0755 "$root/srv/cgi/first.py"
"$CGISETUP" "${R[@]}" --check /srv/cgi >"$TMPD/out" 2>&1
is "tutorial script: exit 1" 1 $?
ok "tutorial: no python on Apache's PATH" has_line "problem: no 'python' on the web server's PATH (/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin): '/usr/bin/env python' fails (the caller's pyenv, venv or ~/.local pythons are not on it)"
ok "tutorial: its fix names the python3 on that PATH" has_line "  fix: make the first line of /srv/cgi/first.py '#!/usr/bin/python3'"
ok "tutorial: Python 2 syntax" has_line "problem: line 2 of '/srv/cgi/first.py' is Python 2 syntax (a print statement): Python 3 stops with a SyntaxError"
ok "tutorial: its fix" has_line '  fix: write print() as a function, line 2: print("Content-Type: text/html")'
ok "not set up: no module" has_line "problem: no CGI module is loaded: Apache sends the scripts' source (or a download) instead of running them"
ok "not set up: the module's fix" has_line "  fix: a2enmod cgid, then a full restart (cgisetup --fix does both)"
ok "not set up: no handler" has_line "problem: '.py' files in '/srv/cgi' are not handed to cgi-script: Apache sends their source"
ok "not set up: Require" grep -qF "problem: '/srv/cgi' is denied by the catch-all <Directory /> (/etc/apache2/apache2.conf:" "$TMPD/out"
ok "not set up: no URL" has_line "  fix: add 'Alias /cgi /srv/cgi'"
is "tutorial: the summary" "cgisetup: checked 1 script in 1 directory: 7 problems, 0 warnings" "$(tail -n 1 "$TMPD/out")"

# --- set up, then every class of broken script ---
"$CGISETUP" "${R[@]}" --dir /srv/cgi --yes >/dev/null 2>&1
is "apply: exit 0" 0 $?
rm -f "$root/srv/cgi/first.py"
"$CGISETUP" "${R[@]}" --check /srv/cgi >"$TMPD/out" 2>&1
is "set up, hello.py only: exit 0" 0 $?
ok "set up: the configuration is ok" has_line "ok: '/srv/cgi': CGI is on (module, ExecCGI, handler, access), served at '/cgi/'"
ok "set up: hello.py is ok" has_line "ok: '/srv/cgi/hello.py': no problem found"
ok "set up: no problem line" bash -c "! grep -q '^problem' '$TMPD/out'"
"$CGISETUP" "${R[@]}" --check http://127.0.0.1/cgi/hello.py --json >"$TMPD/url.json" 2>&1
is "a URL under --root: exit 0" 0 $?
json_valid "a URL under --root: valid --json" check "$TMPD/url.json"
is "a URL under --root: nothing fetched" "" "$(json_get fetched <"$TMPD/url.json")"
is "a URL under --root: mapped through the Alias to hello.py" "config script /srv/cgi/hello.py" \
	"$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(f["id"] for f in d["findings"]), d["findings"][-1]["subject"])' "$TMPD/url.json")"
"$CGISETUP" "${R[@]}" --check >"$TMPD/out" 2>&1
is "no target: the journal's directory, exit 0" 0 $?
ok "no target: checks /srv/cgi" has_line "ok: '/srv/cgi/hello.py': no problem found"

c=$root/srv/cgi
printf '#!/usr/bin/python3\r\nprint("x")\r\n' >"$c/crlf.py"
printf '#!/usr/bin/env python3\r\nprint("x")\r\n' >"$c/crlfenv.py"
printf '\xef\xbb\xbf#!/usr/bin/python3\nprint("x")\n' >"$c/bom.py"
printf 'print("Content-Type: text/plain")\n' >"$c/noshebang.py"
printf '#!/usr/local/bin/python3\nprint("x")\n' >"$c/badinterp.py"
printf '#!/usr/bin/python3\nprint("x")\n' >"$c/noexec.py"
printf '#!/usr/bin/python3\nprint("x")\n' >"$c/writable.py"
printf '#!/usr/bin/python3\nprint("x")\n' >"$c/style.css"
chmod 0755 "$c"/*.py
chmod 0644 "$c/noexec.py"
chmod 0777 "$c/writable.py"
"$CGISETUP" "${R[@]}" --check /srv/cgi >"$TMPD/out" 2>&1
is "broken scripts: exit 1" 1 $?
ok "crlf" has_line "problem: '/srv/cgi/crlf.py' has Windows line endings: the kernel looks for '/usr/bin/python3\\r' (AH01241: No such file or directory)"
ok "crlf: fix" has_line "  fix: sed -i 's/\\r\$//' /srv/cgi/crlf.py"
ok "crlf through env" has_line "problem: '/srv/cgi/crlfenv.py' has Windows line endings: the kernel looks for 'python3\\r' (AH01241: No such file or directory)"
ok "bom" has_line "problem: '/srv/cgi/bom.py' starts with a UTF-8 byte order mark before '#!': the kernel does not see the shebang (AH01241: Exec format error)"
ok "bom: fix" has_line "  fix: sed -i '1s/^\\xEF\\xBB\\xBF//' /srv/cgi/bom.py"
ok "no shebang" has_line "problem: '/srv/cgi/noshebang.py' has no '#!' line: the kernel cannot run it (AH01241: Exec format error)"
ok "no shebang: fix" has_line "  fix: add '#!/usr/bin/python3' as the first line of /srv/cgi/noshebang.py"
ok "interpreter missing" has_line "problem: the interpreter '/usr/local/bin/python3' named in the first line of '/srv/cgi/badinterp.py' does not exist (AH01241: No such file or directory)"
ok "no exec bit" has_line "problem: '/srv/cgi/noexec.py' (mode 0644) cannot be read and executed by the web server's user 'www-data' (AH01241: Permission denied)"
ok "no exec bit: fix" has_line "  fix: chmod 0755 /srv/cgi/noexec.py"
ok "world-writable" has_line "warning: '/srv/cgi/writable.py' (mode 0777) is writable by group or others: anyone who can write it runs code as the web server"
ok "a file of another extension is not read" bash -c "! grep -q style.css '$TMPD/out'"
"$CGISETUP" "${R[@]}" --check /srv/cgi/crlf.py --json >"$TMPD/one.json" 2>/dev/null
is "one script under --root: exit 1" 1 $?
json_valid "one script: valid --json" check "$TMPD/one.json"
is "one script: nothing fetched under --root" "" "$(json_get fetched <"$TMPD/one.json")"
is "one script: the crlf finding is fixable" "crlf true" "$(python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(" ".join(f["id"]+" "+str(f["fixable"]).lower() for f in d["findings"] if f["level"]=="problem"))' "$TMPD/one.json")"
"$CGISETUP" "${R[@]}" --check /srv/cgi --json >"$TMPD/dir.json" 2>/dev/null
json_valid "directory: valid --json" check "$TMPD/dir.json"
is "directory: status problem" problem "$(json_get status <"$TMPD/dir.json")"
is "directory: 8 scripts read" 8 "$(json_get scripts <"$TMPD/dir.json")"

# a directory on the way that www-data cannot search
mkdir -p "$root/srv/locked/cgi"
chmod 0700 "$root/srv/locked"
cp "$c/hello.py" "$root/srv/locked/cgi/"
"$CGISETUP" "${R[@]}" --check /srv/locked/cgi/hello.py >"$TMPD/out" 2>&1
ok "untraversable directory" has_line "problem: the web server's user 'www-data' cannot search '/srv/locked', on the way to '/srv/locked/cgi/hello.py' (AH00035: 403)"
ok "untraversable directory: fix" has_line "  fix: chmod o+x /srv/locked"

# a ScriptAlias directory runs every file: a non-script there is named
"$CGISETUP" "${R[@]}" --dir /usr/lib/cgi-bin --yes >/dev/null 2>&1
printf 'body { color: red }\n' >"$root/usr/lib/cgi-bin/style.css"
"$CGISETUP" "${R[@]}" --check /usr/lib/cgi-bin >"$TMPD/out" 2>&1
ok "ScriptAlias: a stylesheet is named" has_line "warning: '/usr/lib/cgi-bin/style.css' is in a ScriptAlias directory, where every file is executed, not served"

# --- --fix: the safe fixes through the journaled apply, --undo takes them back ---
copy_layout own/debian "$root"
mkdir -p "$root/usr/bin" "$root/srv/cgi"
printf '#!/bin/sh\ntouch %s/ran\n' "$TMPD" >"$root/usr/bin/python3.11"
chmod 0755 "$root/usr/bin/python3.11"
ln -s python3.11 "$root/usr/bin/python3"
printf '#!/usr/bin/python3\r\nprint("Content-Type: text/plain")\r\nprint()\r\n' >"$root/srv/cgi/crlf.py"
printf '\xef\xbb\xbf#!/usr/bin/python3\nprint("x")\n' >"$root/srv/cgi/bom.py"
printf '#!/usr/bin/python3\nprint("x")\n' >"$root/srv/cgi/mode.py"
chmod 0644 "$root/srv/cgi/crlf.py" "$root/srv/cgi/mode.py"
chmod 0755 "$root/srv/cgi/bom.py"
etc0=$(snapshot "$root/etc")
srv0=$(snapshot "$root/srv")
"$CGISETUP" "${R[@]}" --check /srv/cgi >"$TMPD/out" 2>&1
is "--fix: before, --check finds problems (exit 1)" 1 $?
"$CGISETUP" "${R[@]}" --fix /srv/cgi --dry-run >"$TMPD/out" 2>&1
is "--fix --dry-run: exit 0" 0 $?
ok "--fix --dry-run: the diff rewrites crlf.py" grep -qxF -- "+++ b/srv/cgi/crlf.py" "$TMPD/out"
ok "--fix --dry-run: the diff rewrites bom.py" grep -qxF -- "+++ b/srv/cgi/bom.py" "$TMPD/out"
ok "--fix --dry-run: the plan makes mode.py executable" \
	grep -qF "change the mode of '/srv/cgi/mode.py' from 0644 to 0755" "$TMPD/out"
ok "--fix --dry-run: no hello.py" not_grep "hello.py" "$TMPD/out"
is "--fix --dry-run: /etc unchanged" "$etc0" "$(snapshot "$root/etc")"
is "--fix --dry-run: /srv unchanged" "$srv0" "$(snapshot "$root/srv")"
"$CGISETUP" "${R[@]}" --fix /srv/cgi >"$TMPD/out" 2>&1 </dev/null
is "--fix without --yes or --dry-run: exit 2" 2 $?
"$CGISETUP" "${R[@]}" --fix /srv/cgi/crlf.py --yes >"$TMPD/out" 2>&1
is "--fix SCRIPT --yes: exit 0" 0 $?
is "--fix: crlf.py has LF line endings" "$(printf '#!/usr/bin/python3\nprint("Content-Type: text/plain")\nprint()\n' | sha256sum)" \
	"$(sha256sum <"$root/srv/cgi/crlf.py")"
is "--fix: crlf.py is executable now" 755 "$(stat -c %a "$root/srv/cgi/crlf.py")"
is "--fix: bom.py has no byte order mark" "$(printf '#!/usr/bin/python3\nprint("x")\n' | sha256sum)" \
	"$(sha256sum <"$root/srv/cgi/bom.py")"
ok "--fix: no hello.py written" test ! -e "$root/srv/cgi/hello.py"
"$CGISETUP" "${R[@]}" --check /srv/cgi >"$TMPD/out" 2>&1
is "--fix then --check: exit 0" 0 $?
ok "--fix then --check: no problem line" not_grep "^problem" "$TMPD/out"
"$CGISETUP" "${R[@]}" --undo --yes >"$TMPD/out" 2>&1
is "--undo after --fix: exit 0" 0 $?
is "--undo after --fix: /etc byte-identical" "$etc0" "$(snapshot "$root/etc")"
is "--undo after --fix: /srv byte-identical (the scripts' bytes and modes)" "$srv0" "$(snapshot "$root/srv")"

# --- --fix without a target: every directory cgisetup's journal lists ---
"$CGISETUP" "${R[@]}" --fix --yes >"$TMPD/out" 2>&1
is "--fix, nothing set up and no target: exit 2" 2 $?
ok "--fix, nothing set up: says so" grep -qF "no directory set up by cgisetup on this system: name one (--fix DIR" "$TMPD/out"
mkdir -p "$root/srv/one" "$root/srv/two"
"$CGISETUP" "${R[@]}" --dir /srv/one --yes >/dev/null 2>&1
is "--fix default: /srv/one set up" 0 $?
"$CGISETUP" "${R[@]}" --dir /srv/two --yes >/dev/null 2>&1
is "--fix default: /srv/two set up" 0 $?
printf '#!/usr/bin/python3\r\nprint("x")\r\n' >"$root/srv/one/crlf.py"
printf '#!/usr/bin/python3\nprint("x")\n' >"$root/srv/two/mode.py"
chmod 0755 "$root/srv/one/crlf.py"
chmod 0644 "$root/srv/two/mode.py"
"$CGISETUP" "${R[@]}" --check >"$TMPD/out" 2>&1
is "--fix default: before, --check finds the problems of both (exit 1)" 1 $?
srv1=$(snapshot "$root/srv")
"$CGISETUP" "${R[@]}" --fix --dry-run >"$TMPD/out" 2>&1
is "--fix --dry-run, no target: exit 0" 0 $?
ok "--fix --dry-run, no target: rewrites /srv/one's crlf.py" grep -qxF -- "+++ b/srv/one/crlf.py" "$TMPD/out"
ok "--fix --dry-run, no target: makes /srv/two's mode.py executable" \
	grep -qF "change the mode of '/srv/two/mode.py' from 0644 to 0755" "$TMPD/out"
is "--fix --dry-run, no target: /srv unchanged" "$srv1" "$(snapshot "$root/srv")"
"$CGISETUP" "${R[@]}" --fix --yes >"$TMPD/out" 2>&1
is "--fix --yes, no target: exit 0" 0 $?
is "--fix, no target: /srv/one/crlf.py has LF line endings" \
	"$(printf '#!/usr/bin/python3\nprint("x")\n' | sha256sum)" "$(sha256sum <"$root/srv/one/crlf.py")"
is "--fix, no target: /srv/two/mode.py is executable" 755 "$(stat -c %a "$root/srv/two/mode.py")"
"$CGISETUP" "${R[@]}" --check >"$TMPD/out" 2>&1
is "--fix, no target, then --check: exit 0" 0 $?
ok "--fix, no target, then --check: no problem line" not_grep "^problem" "$TMPD/out"
"$CGISETUP" "${R[@]}" --undo --yes >/dev/null 2>&1
is "--undo: /srv/two's fix taken back" 644 "$(stat -c %a "$root/srv/two/mode.py")"
"$CGISETUP" "${R[@]}" --undo --yes >/dev/null 2>&1
is "--undo twice: both fixes taken back, the same bytes and modes" "$srv1" "$(snapshot "$root/srv")"

# --- suEXEC: the SuexecUserGroup in force for the directory (the model's:
# the default vhost's on :80, which serves the main server's Alias) ---
sx="$TMPD/sx"
copy_layout own/debian "$sx"
mkdir -p "$sx/usr/bin" "$sx/srv/cgi"
cp "$root/usr/bin/python3.11" "$sx/usr/bin/python3.11"
ln -s python3.11 "$sx/usr/bin/python3"
printf 'root:x:0:0::/root:/bin/sh\nwww-data:x:33:33::/var/www:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n' \
	>"$sx/etc/passwd"
"$CGISETUP" --root "$sx" --dir /srv/cgi --yes >/dev/null 2>&1
is "suEXEC: apply: exit 0" 0 $?
chown 0:0 "$sx/srv/cgi/hello.py"
"$CGISETUP" --root "$sx" --check /srv/cgi >"$TMPD/out" 2>&1
ok "suEXEC: no SuexecUserGroup, no suEXEC finding" not_grep "suEXEC" "$TMPD/out"
sed -i 's|^\(\tDocumentRoot /var/www/html\)$|\1\n\tSuexecUserGroup alice alice|' \
	"$sx/etc/apache2/sites-enabled/000-default.conf"
ok "suEXEC: the default vhost has SuexecUserGroup" grep -q "SuexecUserGroup alice alice" \
	"$sx/etc/apache2/sites-enabled/000-default.conf"
"$CGISETUP" --root "$sx" --check /srv/cgi >"$TMPD/out" 2>&1
is "suEXEC: the script's owner is not alice: exit 1" 1 $?
ok "suEXEC: the owner rule" has_line "problem: suEXEC runs '/srv/cgi/hello.py' as 'alice', who does not own it (suexec policy violation)"
ok "suEXEC: its fix" has_line "  fix: chown alice /srv/cgi/hello.py"
chown 1000:1000 "$sx/srv/cgi/hello.py"
"$CGISETUP" --root "$sx" --check /srv/cgi >"$TMPD/out" 2>&1
is "suEXEC: owned by alice: exit 0" 0 $?
ok "suEXEC: owned by alice: no suEXEC problem" not_grep "suEXEC runs" "$TMPD/out"

# --- --fix of a script that is not executable and writable by all: the
# exec-bit and the writable finding name the same mode, and --fix makes
# it exactly that (exec bits on, group and other write off) ---
mkdir -p "$root/srv/ww"
"$CGISETUP" "${R[@]}" --dir /srv/ww --yes >/dev/null 2>&1
is "0666: /srv/ww set up" 0 $?
printf '#!/usr/bin/python3\nprint("x")\n' >"$root/srv/ww/ww.py"
chmod 0666 "$root/srv/ww/ww.py"
"$CGISETUP" "${R[@]}" --check /srv/ww >"$TMPD/out" 2>&1
is "0666: --check exit 1" 1 $?
is "0666: both findings give the same fix, chmod 0755" \
	"$(printf '  fix: chmod 0755 /srv/ww/ww.py\n  fix: chmod 0755 /srv/ww/ww.py')" \
	"$(grep -F 'fix: chmod' "$TMPD/out" | grep -F /srv/ww/ww.py)"
"$CGISETUP" "${R[@]}" --fix /srv/ww --dry-run >"$TMPD/out" 2>&1
ok "0666: --fix --dry-run: to 0755" \
	grep -qF "change the mode of '/srv/ww/ww.py' from 0666 to 0755" "$TMPD/out"
"$CGISETUP" "${R[@]}" --fix /srv/ww --yes >"$TMPD/out" 2>&1
is "0666: --fix --yes: exit 0" 0 $?
is "0666: --fix: mode 0755 (exec bits on, group and other write off)" 755 \
	"$(stat -c %a "$root/srv/ww/ww.py")"
"$CGISETUP" "${R[@]}" --check /srv/ww >"$TMPD/out" 2>&1
is "0666: --fix then --check: exit 0" 0 $?
ok "0666: --fix then --check: no warning left" not_grep "^warning\|^problem" "$TMPD/out"
"$CGISETUP" "${R[@]}" --undo --yes >/dev/null 2>&1
is "0666: --undo gives the mode back" 666 "$(stat -c %a "$root/srv/ww/ww.py")"

# --- a directory set up with --vhost NAME: its vhost's configuration
# (the main server's sections plus the vhost's own, the vhost's Alias)
# decides, not the main server's alone ---
vr="$TMPD/vr"
VS=etc/apache2/sites-available/b.conf
copy_layout own/debian "$vr"
mkdir -p "$vr/usr/bin" "$vr/srv/v"
cp "$root/usr/bin/python3.11" "$vr/usr/bin/python3.11"
ln -s python3.11 "$vr/usr/bin/python3"
printf '<VirtualHost *:80>\n\tServerName b.test\n\tDocumentRoot /var/www/b\n</VirtualHost>\n' \
	>"$vr/$VS"
ln -s ../sites-available/b.conf "$vr/etc/apache2/sites-enabled/b.conf"
"$CGISETUP" --root "$vr" --vhost b.test --dir /srv/v --yes >"$TMPD/out" 2>&1
is "--vhost: apply: exit 0" 0 $?
ok "--vhost: the section is in b.conf" grep -qF '<Directory /srv/v>' "$vr/$VS"
ok "--vhost: hello.py written" test -f "$vr/srv/v/hello.py"
"$CGISETUP" --root "$vr" --check /srv/v >"$TMPD/out" 2>&1
is "--vhost: --check DIR: exit 0" 0 $?
ok "--vhost: --check DIR: no problem line" not_grep "^problem" "$TMPD/out"
ok "--vhost: --check DIR: served at the vhost's /v/" \
	grep -qF "CGI is on (module, ExecCGI, handler, access), served at '/v/'" "$TMPD/out"
"$CGISETUP" --root "$vr" --check >"$TMPD/out" 2>&1
is "--vhost: --check (the journal's dirs): exit 0" 0 $?
ok "--vhost: --check (the journal's dirs): no problem line" not_grep "^problem" "$TMPD/out"
"$CGISETUP" --root "$vr" --check /srv/v/hello.py >"$TMPD/out" 2>&1
is "--vhost: --check SCRIPT: exit 0" 0 $?
printf '#!/usr/bin/python3\nprint("x")\n' >"$vr/srv/v/m.py"
chmod 0644 "$vr/srv/v/m.py"
"$CGISETUP" --root "$vr" --fix /srv/v --yes >"$TMPD/out" 2>&1
is "--vhost: --fix of a script there: exit 0" 0 $?
"$CGISETUP" --root "$vr" --check >"$TMPD/out" 2>&1
is "--vhost: --check after a --fix entry: still the vhost's view, exit 0" 0 $?
ok "--vhost: --check after a --fix entry: no problem line" not_grep "^problem" "$TMPD/out"
sed -i 's|^\(\s*\)Options +ExecCGI$|&\n\1Options -ExecCGI|' "$vr/$VS"
ok "--vhost: the vhost's section now turns ExecCGI off" grep -qx '\s*Options -ExecCGI' "$vr/$VS"
"$CGISETUP" --root "$vr" --check /srv/v >"$TMPD/out" 2>&1
is "--vhost, Options -ExecCGI in the vhost: exit 1" 1 $?
ok "--vhost, Options -ExecCGI in the vhost: execcgi-off, decided in b.conf" \
	grep -q "^problem: Options ExecCGI is off for '/srv/v' (decided at .*b.conf:" "$TMPD/out"

# --- a directory an admin's own site maps (its Alias and its <Directory>
# inside the vhost, nothing of cgisetup's): that vhost decides, and a
# script there is fetched with its name as Host ---
WS=etc/apache2/sites-available/c.conf
mkdir -p "$vr/srv/w"
printf '#!/usr/bin/python3\nprint("Content-Type: text/plain\\n")\n' >"$vr/srv/w/ok.py"
chmod 0755 "$vr/srv/w/ok.py"
printf '%s\n' '<VirtualHost *:80>' '	ServerName c.test' '	DocumentRoot /var/www/c' \
	'	Alias /w/ /srv/w/' '	<Directory /srv/w>' '		Options +ExecCGI' \
	'		AddHandler cgi-script .py' '		Require all granted' '	</Directory>' \
	'</VirtualHost>' >"$vr/$WS"
ln -s ../sites-available/c.conf "$vr/etc/apache2/sites-enabled/c.conf"
"$CGISETUP" --root "$vr" --check /srv/w >"$TMPD/out" 2>&1
is "an admin's site: --check DIR: exit 0" 0 $?
ok "an admin's site: --check DIR: no problem line" not_grep "^problem" "$TMPD/out"
ok "an admin's site: --check DIR: served at its /w/" \
	grep -qF "CGI is on (module, ExecCGI, handler, access), served at '/w/'" "$TMPD/out"

ok "no script was run" test ! -e "$TMPD/ran"
done_testing
