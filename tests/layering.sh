#!/bin/bash
# layering.sh - the walls of docs/ARCHITECTURE.md, checked mechanically:
# the core includes no foreign library, each effect at most one, the core
# includes no effects or front-end header and the effects no front-end
# header, nothing outside the front ends translates, no banned function is
# called, and no file points outside the repository.
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
# The layer of a header: that of the .c file of the same name (plan.h:
# core); a header without one (reporter.h, util.h) belongs to none.
header_layer() {
	local base
	base=$(basename "$1" .h)
	for layer in core effects ui; do
		[ -f "src/$layer/$base.c" ] && { echo "$layer"; return; }
	done
	case "$1" in
	src/*/*.h) echo "${1#src/}" | cut -d/ -f1 ;;
	esac
}

# includes_from LAYER BANNED...: every file of LAYER (its .c files, its
# private headers, the public headers of its .c files) includes no header
# of a BANNED layer.
includes_from() {
	local layer=$1 f inc l
	shift
	for f in src/"$layer"/*.[ch] include/cgisetup/*.h; do
		[ "$(header_layer "$f")" = "$layer" ] || [ "${f#src/$layer/}" != "$f" ] || continue
		for inc in $(grep -oE '#include[[:space:]]*"[^"]+\.h"' "$f" | grep -oE '"[^"]+"' | tr -d '"'); do
			case "$inc" in
			cgisetup/*) l=$(header_layer "include/$inc") ;;
			*) l=$(header_layer "$(dirname "$f")/$inc") ;;
			esac
			for banned in "$@"; do
				[ "$l" = "$banned" ] && echo "$f includes $inc ($banned)"
			done
		done
	done
	return 0
}
is "the core includes no effects or front-end header" "" "$(includes_from core effects ui)"
is "the effects include no front-end header" "" "$(includes_from effects ui)"
ok "no file points outside the repository (../shared/design)" \
	bash -c "! git grep -n 'shared/design' -- . ':!tests/layering.sh' 2>/dev/null | grep ."
# a user's clone has nothing beside it: the documents name the optional
# tier by its variable (tests/lib.sh alone knows where CI puts it)
ok "no document points to ../shared" \
	bash -c "! git grep -n '\.\./shared' -- '*.md' '*.8' 2>/dev/null | grep ."

ok "effects never print or translate" \
	bash -c "! grep -nE '\b(printf|fprintf|puts|gettext)\(|\b_\(\"|libintl' src/effects/*.c"
ok "no banned function (sprintf, strcpy, strcat, system, popen, atoi, gets)" \
	bash -c "! grep -nE '\b(sprintf|strcpy|strcat|system|popen|atoi|gets)\(' src/*/*.c src/*.c"
ok "no C++ comments" bash -c "! grep -nE '^[^\"]*//' src/*/*.c src/*/*.h src/*.c include/cgisetup/*.h"
ok "every source file with _() or N_() is in po/POTFILES.in" \
	bash -c 'for f in $(grep -lE "\b_\(|N_\(" src/*/*.c src/*.c); do grep -qx "$f" po/POTFILES.in || { echo "missing: $f"; exit 1; }; done'
# make dist ships only what Makefile.am names: a header added without it
# builds here and breaks the tarball (make distcheck)
ok "every header is named in Makefile.am, so that the tarball has it" \
	bash -c 'for f in include/cgisetup/*.h src/*/*.h tests/unit/*.h; do grep -q "$f" Makefile.am || { echo "missing: $f"; exit 1; }; done'
ok "no line longer than 100 columns" \
	bash -c "! awk 'length(\$0) > 100 {print FILENAME\":\"FNR; bad=1} END {exit !bad}' src/*/*.c src/*/*.h src/*.c include/cgisetup/*.h"
ok "no trailing whitespace" bash -c "! grep -nE '[[:space:]]+\$' src/*/*.c src/*/*.h src/*.c include/cgisetup/*.h"
ok "indentation is tabs (spaces only to align)" bash -c "! grep -nE '^ {8}' src/*/*.c src/*/*.h src/*.c include/cgisetup/*.h"
done_testing
