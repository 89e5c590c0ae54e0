#!/bin/bash
# check.sh - `cgisetup --check` against the real Apache of the rig, under
# mpm_event with mod_cgid and under mpm_prefork with mod_cgi: the
# tutorial's first script (env python, Python 2 prints), then one real
# broken setup per failure class, each fetched once and diagnosed from the
# HTTP answer and the error-log lines Apache wrote for that request (cause
# and fix asserted); a working script has no problem line.
. "$(dirname "$0")/common.sh"
sys_require

# expect LABEL ID CAUSE FIX: the last findings() has this finding.
expect() {
	ok "$M: $1: $2" grep -qxF -- "$2 | $3 | $4" "$TMPD/found"
	grep -qxF -- "$2 | $3 | $4" "$TMPD/found" || sed 's/^/#   /' "$TMPD/found"
}

# script NAME MODE TEXT: /srv/cgi/NAME in the container.
script() {
	in_c "$c" bash -c 'printf "%b" "$3" >"/srv/cgi/$1" && chmod "$2" "/srv/cgi/$1"' _ "$1" "$2" "$3"
}

HDR='print("Content-Type: text/plain")\nprint()\n'

run_mpm() {
	M=$1
	sys_start c "check-$M"
	if [ "$M" = prefork ]; then
		in_c "$c" bash -c 'a2dismod -q mpm_event && a2enmod -q mpm_prefork && systemctl restart apache2' >/dev/null 2>&1
	fi
	# a short Timeout, for the script that never answers
	in_c "$c" bash -c 'echo "Timeout 3" >/etc/apache2/conf-enabled/zz-timeout.conf'
	cgs "$c" --dir /srv/cgi --yes >/dev/null 2>&1
	is "$M: apply: exit 0" 0 $?
	local mod=cgid cgimsg=AH01262
	[ "$M" = prefork ] && mod=cgi cgimsg=AH02809
	is "$M: the $mod module runs" "$mod" "$(in_c "$c" bash -c "apache2ctl -M 2>/dev/null | grep -o '^ cgid\\?_module' | tr -d ' ' | sed 's/_module//'")"

	# -- the tutorial's first script --
	script first.py 0755 '#! /usr/bin/env python\nprint "Content-Type: text/html"\nprint\nprint "<h1>Hello, World!</h1>"\n'
	findings "$c" /srv/cgi/first.py
	is "$M: tutorial: exit 1" 1 "$(cat "$TMPD/rc")"
	expect tutorial env-not-found "no 'python' on the web server's PATH (/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin): '/usr/bin/env python' fails (the caller's pyenv, venv or ~/.local pythons are not on it)" \
		"make the first line of /srv/cgi/first.py '#!/usr/bin/python3'"
	expect tutorial python2-syntax "line 2 of '/srv/cgi/first.py' is Python 2 syntax (a print statement): Python 3 stops with a SyntaxError" \
		'write print() as a function, line 2: print("Content-Type: text/html")'
	is "$M: tutorial: fetched once, 500" 500 "$(jget fetched.status "$TMPD/check.json")"

	# -- a working script --
	script ok.py 0755 "#!/usr/bin/python3\n${HDR}print('hi')\n"
	findings "$c" /srv/cgi/ok.py
	is "$M: working: exit 0" 0 "$(cat "$TMPD/rc")"
	is "$M: working: no problem or warning" "" "$(cat "$TMPD/found")"
	is "$M: working: ran" "ran" "$(python3 -c 'import json,sys; print(" ".join(f["id"] for f in json.load(open(sys.argv[1]))["findings"] if f["level"]=="ok" and f["id"]=="ran"))' "$TMPD/check.json")"
	cgs "$c" --check /srv/cgi/ok.py >"$TMPD/human" 2>&1
	ok "$M: working: no problem line in the human output" not grep -q '^problem' "$TMPD/human"

	# -- one broken script per class --
	script noexec.py 0644 "#!/usr/bin/python3\n$HDR"
	findings "$c" /srv/cgi/noexec.py
	expect "no exec bit" exec-bit "'/srv/cgi/noexec.py' (mode 0644) cannot be read and executed by the web server's user 'www-data' (AH01241: Permission denied)" "chmod 0755 /srv/cgi/noexec.py"
	expect "no exec bit, live" exec-eacces "Apache could not start '/srv/cgi/noexec.py': (13)Permission denied (AH01241): no exec bit, a noexec mount or SELinux" \
		"chmod 755 /srv/cgi/noexec.py; if it is already executable, check the mount (findmnt -T /srv/cgi/noexec.py) and SELinux (ls -Z /srv/cgi/noexec.py)"

	script crlf.py 0755 "#!/usr/bin/python3\r\nprint('Content-Type: text/plain')\r\nprint()\r\n"
	findings "$c" /srv/cgi/crlf.py
	expect "CRLF" crlf "'/srv/cgi/crlf.py' has Windows line endings: the kernel looks for '/usr/bin/python3\\r' (AH01241: No such file or directory)" "sed -i 's/\\r\$//' /srv/cgi/crlf.py"
	expect "CRLF, live" exec-enoent "Apache could not start '/srv/cgi/crlf.py': (2)No such file or directory (AH01241): the interpreter named by its '#!' line does not exist, or the line ends in a carriage return" \
		"correct its first line (head -1 /srv/cgi/crlf.py | od -c shows it)"

	script crlfenv.py 0755 "#!/usr/bin/env python3\r\nprint('Content-Type: text/plain')\r\nprint()\r\n"
	findings "$c" /srv/cgi/crlfenv.py
	expect "CRLF through env" crlf "'/srv/cgi/crlfenv.py' has Windows line endings: the kernel looks for 'python3\\r' (AH01241: No such file or directory)" "sed -i 's/\\r\$//' /srv/cgi/crlfenv.py"
	is "$M: CRLF through env: said once" 1 "$(grep -c '^crlf ' "$TMPD/found")"

	script badinterp.py 0755 "#!/usr/local/bin/python3\n$HDR"
	findings "$c" /srv/cgi/badinterp.py
	expect "interpreter missing" interpreter-missing "the interpreter '/usr/local/bin/python3' named in the first line of '/srv/cgi/badinterp.py' does not exist (AH01241: No such file or directory)" \
		"make the first line of /srv/cgi/badinterp.py '#!/usr/bin/python3'"
	ok "$M: interpreter missing, live: exec-enoent" grep -q '^exec-enoent ' "$TMPD/found"

	script noshebang.py 0755 "$HDR"
	findings "$c" /srv/cgi/noshebang.py
	expect "no shebang" no-shebang "'/srv/cgi/noshebang.py' has no '#!' line: the kernel cannot run it (AH01241: Exec format error)" \
		"add '#!/usr/bin/python3' as the first line of /srv/cgi/noshebang.py"
	expect "no shebang, live" exec-enoexec "Apache could not start '/srv/cgi/noshebang.py': (8)Exec format error (AH01241): it has no '#!' line, or a byte order mark comes before it" \
		"make '#!/usr/bin/python3' the very first bytes of /srv/cgi/noshebang.py"

	script bom.py 0755 "\xef\xbb\xbf#!/usr/bin/python3\n$HDR"
	findings "$c" /srv/cgi/bom.py
	expect "BOM" bom "'/srv/cgi/bom.py' starts with a UTF-8 byte order mark before '#!': the kernel does not see the shebang (AH01241: Exec format error)" \
		"sed -i '1s/^\\xEF\\xBB\\xBF//' /srv/cgi/bom.py"
	ok "$M: BOM, live: exec-enoexec" grep -q '^exec-enoexec ' "$TMPD/found"

	script nohdr.py 0755 "#!/usr/bin/python3\nprint('hello world')\n"
	findings "$c" /srv/cgi/nohdr.py
	expect "no Content-Type" malformed-header "'/srv/cgi/nohdr.py' printed 'hello world' where a header belongs (malformed header from script)" \
		"print 'Content-Type: text/html' and then an empty line before anything else"

	script noblank.py 0755 "#!/usr/bin/python3\nprint('Content-Type: text/plain')\nprint('hello')\n"
	findings "$c" /srv/cgi/noblank.py
	expect "no blank line" malformed-header "'/srv/cgi/noblank.py' printed 'hello' where a header belongs (malformed header from script)" \
		"print 'Content-Type: text/html' and then an empty line before anything else"

	script importerr.py 0755 "#!/usr/bin/python3\nimport nosuch\n$HDR"
	findings "$c" /srv/cgi/importerr.py
	expect "ImportError" traceback "'/srv/cgi/importerr.py' stopped with an exception before its headers: ModuleNotFoundError: No module named 'nosuch'" \
		"fix the line the traceback names (the error log has it all)"

	script syntax.py 0755 "#!/usr/bin/python3\ndef (\n"
	findings "$c" /srv/cgi/syntax.py
	expect "SyntaxError" traceback "'/srv/cgi/syntax.py' stopped with an exception before its headers: SyntaxError: invalid syntax" \
		"fix the line the traceback names (the error log has it all)"

	script before.py 0755 "#!/usr/bin/python3\nprint('hello world: yes')\n$HDR"
	findings "$c" /srv/cgi/before.py
	expect "output before headers" output-before-headers "'/srv/cgi/before.py' printed text before its headers (AH02429: a header name with invalid characters)" \
		"print 'Content-Type: text/html' and then an empty line before anything else"

	script exit3.py 0755 "#!/usr/bin/python3\nimport sys\nsys.exit(3)\n"
	findings "$c" /srv/cgi/exit3.py
	expect "exits non-zero before output" no-output "'/srv/cgi/exit3.py' ended before it printed any header (End of script output before headers)" \
		"make it print 'Content-Type: text/html' and an empty line first, and exit 0; its own errors, if any, are in the error log"

	script writable.py 0777 "#!/usr/bin/python3\n${HDR}print('x')\n"
	findings "$c" /srv/cgi/writable.py
	is "$M: world-writable: runs, exit 0" 0 "$(cat "$TMPD/rc")"
	expect "world-writable" writable "'/srv/cgi/writable.py' (mode 0777) is writable by group or others: anyone who can write it runs code as the web server" \
		"chmod 0755 /srv/cgi/writable.py"

	# a noexec mount (a tmpfs mounted noexec in the container)
	in_c "$c" bash -c 'mkdir -p /srv/nx && mount -t tmpfs -o noexec tmpfs /srv/nx && mkdir /srv/nx/cgi &&
		printf "#!/usr/bin/python3\nprint(\"Content-Type: text/plain\")\nprint()\n" >/srv/nx/cgi/a.py &&
		chmod 755 /srv/nx/cgi/a.py'
	cgs "$c" --dir /srv/nx/cgi --yes --no-verify >/dev/null 2>&1
	is "$M: noexec: apply (no HTTP check): exit 0" 0 $?
	findings "$c" /srv/nx/cgi/a.py
	expect "noexec mount" noexec "'/srv/nx/cgi/a.py' is on '/srv/nx', mounted noexec: the kernel refuses to run it (AH01241: Permission denied)" \
		"mount -o remount,exec /srv/nx (and drop noexec from its line in /etc/fstab), or move the scripts to another file system"
	expect "noexec mount, live" exec-eacces "Apache could not start '/srv/nx/cgi/a.py': (13)Permission denied (AH01241): no exec bit, a noexec mount or SELinux" \
		"chmod 755 /srv/nx/cgi/a.py; if it is already executable, check the mount (findmnt -T /srv/nx/cgi/a.py) and SELinux (ls -Z /srv/nx/cgi/a.py)"

	script tmp.py 0755 "#!/usr/bin/python3\nopen('/tmp/hits.log', 'a').write('x')\n${HDR}print('x')\n"
	findings "$c" /srv/cgi/tmp.py
	expect "/tmp" private-tmp "'/srv/cgi/tmp.py' uses /tmp: Apache runs with PrivateTmp=true, so its scripts see a /tmp of their own, not the system's" \
		"look in /tmp/systemd-private-*-apache2.service-*/tmp, or write below /var/lib instead"
	ok "$M: /tmp: the script ran (exit 0)" test "$(cat "$TMPD/rc")" = 0

	# import cgi on a Python without the module: a wrapper named python3.13
	in_c "$c" bash -c 'mkdir -p /opt/nocgi && printf "raise ModuleNotFoundError(\"No module named %s\", name=\"cgi\")\n" "'"'cgi'"'" >/opt/nocgi/cgi.py &&
		printf "#!/bin/sh\nPYTHONPATH=/opt/nocgi exec /usr/bin/python3 \"\$@\"\n" >/usr/local/bin/python3.13 && chmod 755 /usr/local/bin/python3.13'
	script form.py 0755 "#!/usr/local/bin/python3.13\nimport cgi\n$HDR"
	findings "$c" /srv/cgi/form.py
	expect "import cgi" import-cgi "line 2 of '/srv/cgi/form.py' imports cgi or cgitb, which Python 3.13 no longer has (removed in 3.13): ModuleNotFoundError" \
		"install the drop-in legacy-cgi (pip install legacy-cgi), or read the request with os.environ and urllib.parse instead"

	# a directory on the way that www-data cannot search
	in_c "$c" bash -c 'mkdir -p /srv/cgi/sub && printf "#!/usr/bin/python3\nprint(1)\n" >/srv/cgi/sub/in.py && chmod 755 /srv/cgi/sub/in.py && chmod 0700 /srv/cgi/sub'
	findings "$c" /srv/cgi/sub/in.py
	expect "untraversable directory" path-blocked "the web server's user 'www-data' cannot search '/srv/cgi/sub', on the way to '/srv/cgi/sub/in.py' (AH00035: 403)" "chmod o+x /srv/cgi/sub"
	is "$M: untraversable directory: fetched, 403" 403 "$(jget fetched.status "$TMPD/check.json")"
	is "$M: untraversable directory: said once (the log's AH00035 confirms it)" 1 \
		"$(grep -c '^path-blocked ' "$TMPD/found")"

	# 404: a wrong URL
	findings "$c" http://127.0.0.1/cgi-bin/missing.py
	is "$M: wrong URL: exit 1" 1 "$(cat "$TMPD/rc")"
	expect "404" not-found "'http://127.0.0.1/cgi-bin/missing.py' maps to a file that does not exist (AH01264)" \
		"check the file name, or the Alias/ScriptAlias the URL goes through"

	# a timeout (Timeout 3)
	script slow.py 0755 "#!/usr/bin/python3\nimport time\ntime.sleep(20)\n"
	findings "$c" /srv/cgi/slow.py
	expect "timeout" timeout "'/srv/cgi/slow.py' sent no header before Apache's Timeout (Script timed out)" \
		"make it answer sooner, or raise 'Timeout' (seconds) in the configuration"

	# Require denied, ExecCGI off: directories of their own
	in_c "$c" bash -c 'mkdir -p /srv/denied /srv/noexe && cp /srv/cgi/ok.py /srv/denied/ && cp /srv/cgi/ok.py /srv/noexe/ &&
		printf "Alias /denied /srv/denied\n<Directory /srv/denied>\n\tOptions +ExecCGI\n\tAddHandler cgi-script .py\n</Directory>\nAlias /noexe /srv/noexe\n<Directory /srv/noexe>\n\tAddHandler cgi-script .py\n\tRequire all granted\n</Directory>\n" >/etc/apache2/conf-enabled/zz-broken.conf && systemctl reload apache2'
	findings "$c" /srv/denied/ok.py
	expect "Require denied" require-denied "'/srv/denied' is denied by the catch-all <Directory /> (/etc/apache2/apache2.conf:162): Apache answers 403 (AH01630)" \
		"add 'Require all granted' to <Directory /srv/denied>"
	expect "Require denied, live" require-denied "the configuration denies '/srv/denied/ok.py' (AH01630: client denied by server configuration)" \
		"add 'Require all granted' to the script's <Directory> (cgisetup --fix)"
	findings "$c" /srv/noexe/ok.py
	ok "$M: ExecCGI off: static" grep -q "^execcgi-off | Options ExecCGI is off for '/srv/noexe'" "$TMPD/found"
	expect "ExecCGI off, live ($cgimsg)" execcgi-off "Options ExecCGI is off for '/srv/noexe/ok.py' (AH01262, AH02809)" \
		"add 'Options +ExecCGI' to the script's <Directory> (cgisetup --fix)"
	in_c "$c" bash -c 'rm /etc/apache2/conf-enabled/zz-broken.conf && systemctl reload apache2'

	# module not loaded: the source is served
	in_c "$c" bash -c "a2dismod -q $mod && systemctl restart apache2" >/dev/null 2>&1
	findings "$c" /srv/cgi/ok.py
	expect "module not loaded" module-missing "no CGI module is loaded: Apache sends the scripts' source (or a download) instead of running them" \
		"a2enmod $mod, then a full restart (cgisetup --fix does both)"
	findings "$c" http://127.0.0.1/cgi/ok.py
	expect "module not loaded, live" source-served "'http://127.0.0.1/cgi/ok.py' came back as its own source: Apache does not run it (no CGI module, or no handler for it)" \
		"cgisetup --fix (loads the module, adds the handler, then a full restart)"

	if [ "$M" = event ]; then
		# cgid's daemon: started by a full restart, not by a lone graceful reload
		in_c "$c" bash -c "a2enmod -q cgid && systemctl reload apache2" >/dev/null 2>&1
		findings "$c" http://127.0.0.1/cgi/ok.py
		expect "cgid daemon not running" cgid-down "mod_cgid's daemon is not running (AH01257: unable to connect to cgi daemon): a graceful reload alone does not start it" \
			"systemctl restart apache2 (a full restart)"
	fi
	ok "$M: no script was run but those fetched (the /tmp marker is in Apache's private /tmp only)" in_c "$c" test ! -e /tmp/hits.log
}

run_mpm event
run_mpm prefork

# --dir ... --yes whose HTTP check fails: the diagnosis comes before the
# rollback report (python3 made non-executable, as in verify-fail.sh)
sys_start c check-verify
# an ErrorLog that is neither a file nor syslog (a piped logger): said,
# and the HTTP answer alone decides (syslog: tests/system/check-logs.sh)
in_c "$c" bash -c 'mkdir -p /srv/plain && printf "#!/usr/bin/python3\nprint(1)\n" >/srv/plain/x.py && chmod 755 /srv/plain/x.py &&
	printf "ErrorLog \"|/bin/cat >/dev/null\"\n" >/etc/apache2/conf-enabled/zz-syslog.conf &&
	sed -i "/ErrorLog/d" /etc/apache2/sites-enabled/000-default.conf && systemctl reload apache2'
cgs "$c" --dir /srv/plain --yes >/dev/null 2>&1
findings "$c" /srv/plain/x.py
is "piped ErrorLog: exit 1 (the script prints no header)" 1 "$(cat "$TMPD/rc")"
ok "piped ErrorLog: said" grep -qE "^log-not-a-file \| Apache's ErrorLog is '[^']*/bin/cat >/dev/null', not a file: the diagnosis of 'http://127.0.0.1/plain/x.py' comes from its HTTP answer alone \| journalctl -u apache2.service --since -5min\$" "$TMPD/found"
ok "piped ErrorLog: the answer alone: HTTP 500" grep -q "^server-error | 'http://127.0.0.1/plain/x.py' answered HTTP 500" "$TMPD/found"
in_c "$c" bash -c 'rm /etc/apache2/conf-enabled/zz-syslog.conf && systemctl reload apache2'
cgs "$c" --undo --yes >/dev/null 2>&1
py=$(in_c "$c" readlink -f /usr/bin/python3)
in_c "$c" chmod 0644 "$py"
cgs "$c" --dir /srv/cgi --yes >"$TMPD/out" 2>"$TMPD/err"
is "failed verification: exit 1" 1 $?
ok "failed verification: the diagnosis is printed" grep -qxF "cgisetup: why the HTTP check failed (as --check reads it):" "$TMPD/err"
ok "failed verification: env may not run python3" \
	grep -qE "^problem: /usr/bin/env found 'python3' on the web server's PATH but may not run it \(Permission denied\), running '/srv/cgi/cgisetup-probe-[0-9a-f]{16}\.py'\$" "$TMPD/err"
ok "failed verification: the fix" grep -qxF -- '  fix: chmod a+rx "$(readlink -f "$(command -v python3)")"' "$TMPD/err"
ok "failed verification: the diagnosis precedes the rollback report" \
	test "$(grep -n 'why the HTTP check failed' "$TMPD/err" | cut -d: -f1)" -lt \
	"$(grep -n 'every change was rolled back' "$TMPD/err" | cut -d: -f1)"
done_testing
