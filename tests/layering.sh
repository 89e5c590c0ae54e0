#!/bin/bash
# layering.sh - the walls of ARCHITECTURE.md, checked mechanically:
# the core includes no foreign library, each effect at most one, nothing
# outside the front ends translates, and no banned function is called.
. "$(dirname "$0")/lib.sh"
cd "$TOP_SRCDIR" || exit 1

foreign='#include[[:space:]]*<(augeas\.h|systemd/|curl/|n?curses(w)?\.h|ncursesw/|libintl\.h)'

ok "the core includes no foreign library header" \
	bash -c "! grep -nE '$foreign' src/core/*.c"
ok "the core does not open, print or exit" \
	bash -c "! grep -nE '\b(fopen|open|printf|fprintf|puts|exit|system)\(' src/core/*.c"
for f in src/effects/*.c; do
	n=$(grep -oE '#include[[:space:]]*<(augeas\.h|systemd/|curl/|n?curses)' "$f" | sort -u | wc -l)
	ok "$(basename "$f") uses at most one foreign library" test "$n" -le 1
done
ok "effects never print or translate" \
	bash -c "! grep -nE '\b(printf|fprintf|puts|gettext)\(|\b_\(\"|libintl' src/effects/*.c"
ok "no banned function (sprintf, strcpy, strcat, system, popen, atoi, gets)" \
	bash -c "! grep -nE '\b(sprintf|strcpy|strcat|system|popen|atoi|gets)\(' src/*/*.c src/*.c"
ok "no C++ comments" bash -c "! grep -nE '^[^\"]*//' src/*/*.c src/*.c include/cgisetup/*.h"
ok "every source file with _() or N_() is in po/POTFILES.in" \
	bash -c 'for f in $(grep -lE "\b_\(|N_\(" src/*/*.c src/*.c); do grep -qx "$f" po/POTFILES.in || { echo "missing: $f"; exit 1; }; done'
ok "no line longer than 100 columns" \
	bash -c "! awk 'length(\$0) > 100 {print FILENAME\":\"FNR; bad=1} END {exit !bad}' src/*/*.c src/*.c include/cgisetup/*.h"
ok "no trailing whitespace" bash -c "! grep -nE '[[:space:]]+\$' src/*/*.c src/*.c include/cgisetup/*.h"
ok "indentation is tabs (spaces only to align)" bash -c "! grep -nE '^ {8}' src/*/*.c src/*.c include/cgisetup/*.h"
done_testing
