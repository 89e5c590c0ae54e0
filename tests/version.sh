#!/bin/bash
# version.sh - --version: the version, each library as built against and as
# running (asked of the library itself), the license; -V says the same.
. "$(dirname "$0")/lib.sh"

need_tool pkg-config pkg-config

out=$("$CGISETUP" --version)
rc=$?
is "--version exits 0" 0 "$rc"
is "-V prints what --version prints" "$out" "$("$CGISETUP" -V)"
version=$(sed -n 's/^AC_INIT(\[cgisetup\], \[\([^]]*\)\].*/\1/p' "$TOP_SRCDIR/configure.ac")
is "the first line is the version of configure.ac" "cgisetup $version" "$(echo "$out" | head -n 1)"
is "a header names the two columns" "library built against running with" \
	"$(echo "$out" | sed -n 3p | tr -s ' ' | sed 's/^ //')"

# col LIBRARY N: column N (2 built against, 3 running with) of LIBRARY's line.
col() {
	echo "$out" | awk -v lib="$1" -v n="$2" '$1 == lib { print $n }'
}
is "Augeas: built against the version pkg-config gives" "$(pkg-config --modversion augeas)" "$(col Augeas 2)"
is "libsystemd: built against the version pkg-config gives" "$(pkg-config --modversion libsystemd)" \
	"$(col libsystemd 2)"
is "libcurl: built against the version pkg-config gives" "$(pkg-config --modversion libcurl)" \
	"$(col libcurl 2)"
ok "ncurses: built against a version (MAJOR.MINOR.PATCH)" \
	bash -c "[[ '$(col ncurses 2)' =~ ^[0-9]+\.[0-9]+\.[0-9]{8}$ ]]"
if command -v augtool >/dev/null; then
	is "Augeas: running the version augtool reports" \
		"$(augtool --version 2>&1 | sed -n '1s/^augtool \([0-9.]*\).*/\1/p')" "$(col Augeas 3)"
else
	ok "Augeas: running a version" bash -c "[[ '$(col Augeas 3)' =~ ^[0-9]+\.[0-9.]+$ ]]"
fi
ok "libsystemd: running from a libsystemd.so.0 file" \
	bash -c "[[ '$(col libsystemd 3)' =~ ^libsystemd\.so\.0(\.[0-9]+)*$ ]]"
ok "libcurl: running a version" bash -c "[[ '$(col libcurl 3)' =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]"
ok "ncurses: running a version" bash -c "[[ '$(col ncurses 3)' =~ ^[0-9]+\.[0-9]+\.[0-9]{8}$ ]]"
# The running versions are the libraries' own: the same as linked here,
# since the test runs the binary on the machine that built it.
is "libcurl: running what it was built against" "$(col libcurl 2)" "$(col libcurl 3)"
is "ncurses: running what it was built against" "$(col ncurses 2)" "$(col ncurses 3)"
is "the license" "license: GPL-2.0-or-later" "$(echo "$out" | grep '^license:')"
ok "no warranty is said" bash -c "echo '$out' | grep -q '^there is no warranty'"
is "four library lines, nothing unknown" 4 "$(echo "$out" | grep -cE '^  (Augeas|libsystemd|libcurl|ncurses) ')"
ok "no library is unknown" bash -c "! echo '$out' | grep -q 'unknown'"
done_testing
