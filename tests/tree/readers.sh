#!/bin/bash
# readers.sh - cgisetup reads the configuration with two readers: the
# core's own scanner (src/core/scan.c, fast, for every file Apache reads)
# and Augeas's Httpd lens (for the files it edits). Both must read the same
# directives, sections, nesting and arguments from the same text, or the
# plan (made from the scanner's model) and the edit (made in Augeas's tree)
# would disagree. This compares them on every file of the project's own
# layouts and on the syntax cases below (continuation lines, quotes, blanks,
# CRLF, no final newline, nested and lowercase sections, ${VAR}).
. "$(dirname "$0")/../lib.sh"
layouts_init

DUMP="$(dirname "$CGISETUP")/tests/unit/scan-dump"
[ -x "$DUMP" ] || { echo "1..1"; echo "not ok 1 - no $DUMP: build it with make check"; exit 1; }

# augeas_items ROOT FILE: what the Httpd lens reads, in scan-dump's format.
augeas_items() {
	augtool --noautoload -r "$1" -t "Httpd incl $2" print "/files$2" | python3 -c '
import json, re, sys
prefix = sys.argv[1]
items = []   # [depth, kind, name, args]
for line in sys.stdin:
    line = line.rstrip("\n")
    path, _, value = line.partition(" = ")
    if not path.startswith(prefix + "/"):
        continue
    parts = [re.sub(r"\[\d+\]$", "", p) for p in path[len(prefix) + 1:].split("/")]
    value = json.loads(value) if value else None
    label = parts[-1]
    if label.startswith("#comment") or label == "#":
        continue
    if label == "arg":
        if value and len(value) >= 2 and value[0] == value[-1] and value[0] in "\"\x27":
            # the lens keeps the text as written; Apache (ap_getword_conf)
            # drops the quotes and the backslash before an inner quote
            value = value[1:-1].replace("\\" + value[0], value[0])
        items[-1][3].append(value)
        continue
    depth = len(parts) - 1
    if label == "directive":
        items.append([depth, "D", value, []])
    else:
        items.append([depth, "S", label, []])
for d, k, n, a in items:
    print("\t".join([str(d), k, n] + a))
' "/files$2"
}

# agree NAME ROOT FILE: one result, the two readings identical.
agree() {
	local a s
	a=$(augeas_items "$2" "$3")
	s=$("$DUMP" "$2$3")
	if [ -z "$a" ] && [ -n "$s" ]; then
		is "$1: Augeas parses it" "" "$(augtool --noautoload -r "$2" -t "Httpd incl $3" \
			'print /augeas//error' 2>&1)"
		return
	fi
	is "$1: the scanner and Augeas read the same items" "$a" "$s"
}

# Every file of every own layout that Apache would read as configuration.
for layout in "${LAYOUTS[@]}"; do
	case "$layout" in own/*) ;; *) continue ;; esac
	root=$(layout_dir "$layout")
	while IFS= read -r f; do
		rel=${f#"$root"}
		agree "$layout:$rel" "$root" "$rel"
	done < <(find "$root" -type f \( -name '*.conf' -o -name '*.load' -o -name 'httpd.conf' \) | sort)
done

# Syntax cases, each a file of its own.
cases="$TMPD/cases"
mkdir -p "$cases/etc"
n=0
syntax() {  # DESCRIPTION TEXT (printf %b)
	n=$((n + 1))
	printf '%b' "$2" >"$cases/etc/case$n.conf"
	agree "syntax: $1" "$cases" "/etc/case$n.conf"
}
syntax "plain directives" 'ServerRoot /etc/apache2\nListen 80\nUser www-data\n'
syntax "quoted arguments with blanks" 'Alias "/my cgi/" "/srv/my cgi/"\nErrorLog "|/usr/bin/logger -t apache"\n'
syntax "single quotes" "Define NAME 'a value'\n"
syntax "a continuation line" 'Options Indexes \\\n    FollowSymLinks\n'
syntax "nested sections" '<IfModule mod_alias.c>\n\t<IfDefine X>\n\t\tScriptAlias /cgi-bin/ /usr/lib/cgi-bin/\n\t</IfDefine>\n</IfModule>\n'
syntax "lowercase section and directive" '<directory "/srv/cgi/">\n\toptions +ExecCGI\n</directory>\n'
syntax "a section with two arguments" '<VirtualHost 127.0.0.1:80 [::1]:80>\n\tServerName a.example\n</VirtualHost>\n'
syntax "a regex section" '<DirectoryMatch "^/srv/(a|b)/">\n\tOptions None\n</DirectoryMatch>\n<Directory ~ "^/srv">\n</Directory>\n'
syntax "variables" 'Define D /srv/cgi\n<Directory ${D}>\n\tRequire ip 10.0.0.0/8\n</Directory>\n'
syntax "comments and blank lines" '# a comment\n\n   # an indented comment\nListen 8080\n\n'
syntax "no final newline" 'Listen 80\nUser www-data'
syntax "CRLF line endings" 'Listen 80\r\n<Directory /srv>\r\n\tRequire all denied\r\n</Directory>\r\n'
syntax "authz blocks" '<Directory /srv>\n\t<RequireAll>\n\t\tRequire ip 10.0.0.0/8\n\t\tRequire valid-user\n\t</RequireAll>\n</Directory>\n'
syntax "a rewrite rule with flags" 'RewriteEngine On\nRewriteRule ^/cgi/(.*)$ /other/$1 [R=301,L]\n'

done_testing
