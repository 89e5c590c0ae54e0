#!/bin/sh
# embed.sh NAME FILE: print a C file defining `const char NAME[]` with FILE's
# bytes, so that templates are compiled into cgisetup (no data files to find
# at run time). Used by Makefile.am.
set -eu
name=$1
file=$2
printf '/* Generated from %s by templates/embed.sh; do not edit. */\n' "$(basename "$file")"
printf 'const char %s[] =\n' "$name"
od -An -v -tx1 "$file" | sed -e 's/^ *//' -e 's/ *$//' -e '/^$/d' -e 's/ /\\x/g' -e 's/^/\t"\\x/' -e 's/$/"/'
printf '\t"";\n'
