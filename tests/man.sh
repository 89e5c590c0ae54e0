#!/bin/bash
# man.sh - the man page cgisetup(8): groff and mandoc find nothing to warn
# about, and its OPTIONS list exactly the options --help lists (long names
# and their short forms, both directions), so neither drifts from the other.
. "$(dirname "$0")/lib.sh"

MAN="$TOP_SRCDIR/man/cgisetup.8"
need_tool groff groff-base
need_tool mandoc mandoc

ok "the man page exists" test -s "$MAN"
is "groff -ww -z -man reports nothing" "" "$(groff -ww -z -man "$MAN" 2>&1)"
is "mandoc -T lint reports nothing" "" "$(mandoc -T lint "$MAN" 2>&1)"

# help_options: "-d --dir", "--json", ... one option a line, from --help.
help_options() {
	"$CGISETUP" --help |
		sed -nE 's/^ +(-[a-zA-Z], )?(--[a-z-]+).*/\1\2/p' | tr -d ',' | sort
}

# man_options: the same from the tagged paragraphs of OPTIONS.
man_options() {
	sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$MAN" |
		sed -n '/^\.TP/{n;p}' | sed 's/\\-/-/g; s/\\f[BIRP]//g; s/", "/ /g; s/"//g' |
		sed -nE 's/^\.[BIR]+ +((-[a-zA-Z]) +)?(--[a-z-]+).*/\2 \3/p' |
		sed 's/^ //' | sort
}

help=$(help_options)
man=$(man_options)
ok "--help lists options" test "$(echo "$help" | grep -c .)" -ge 19
is "the man page lists every option of --help, and no other" "$help" "$man"
for o in $(echo "$help" | grep -oE -- '--[a-z-]+'); do
	ok "the man page documents $o" grep -qF -- "$(echo "$o" | sed 's/-/\\-/g')" "$MAN"
done

# The sections the page promises.
for s in NAME SYNOPSIS DESCRIPTION OPTIONS WIZARD "EXIT STATUS" FILES ENVIRONMENT EXAMPLES \
	"SEE ALSO"; do
	ok "section $s" grep -qx "\\.SH \"\\?$s\"\\?" "$MAN"
done
ok "the rendered page reads (man -l)" bash -c "MANWIDTH=80 mandoc -T utf8 '$MAN' | grep -q 'cgisetup --dir'"
done_testing
