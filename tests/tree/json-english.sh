#!/bin/bash
# json-english.sh - a translated error is translated for people and stays
# English in --json (plumbing is never translated, diag.h). The test brings
# its own German catalogue of one message, compiled with msgfmt into a
# scratch locale directory that cgisetup reads through
# CGISETUP_TEST_LOCALEDIR (src/main.c; for tests only), and its own
# de_DE.UTF-8 locale (localedef into LOCPATH) when the system has none.
. "$(dirname "$0")/../lib.sh"
command -v msgfmt >/dev/null || skip_all "msgfmt is not installed (gettext)"

msgid="root directory '%s' does not exist"
mkdir -p "$TMPD/locale/de/LC_MESSAGES"
cat >"$TMPD/de.po" <<PO
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#, c-format
msgid "$msgid"
msgstr "Wurzelverzeichnis »%s« existiert nicht"
PO
ok "msgfmt compiles the test catalogue" \
	msgfmt -c -o "$TMPD/locale/de/LC_MESSAGES/cgisetup.mo" "$TMPD/de.po"

if ! locale -a 2>/dev/null | grep -qiE '^de_DE\.utf-?8$'; then
	mkdir -p "$TMPD/loc"
	localedef -i de_DE -f UTF-8 "$TMPD/loc/de_DE.UTF-8" >/dev/null 2>&1 ||
		skip_all "no de_DE.UTF-8 locale and localedef cannot make one (install 'locales')"
	export LOCPATH="$TMPD/loc"
fi

run() {
	CGISETUP_TEST_LOCALEDIR="$TMPD/locale" LANGUAGE=de LC_ALL=de_DE.UTF-8 \
		"$CGISETUP" --root "$TMPD/nope" --dir /srv/cgi --yes "$@"
}

run >"$TMPD/human.out" 2>"$TMPD/human.err"
is "human: exit 2" 2 $?
ok "human: the error is translated" \
	grep -qF "cgisetup: Wurzelverzeichnis »$TMPD/nope« existiert nicht" "$TMPD/human.err"

run --json >"$TMPD/json.out" 2>"$TMPD/json.err"
is "--json: exit 2" 2 $?
ok "--json: the error stays English" \
	grep -qF "\"error\":\"root directory '$TMPD/nope' does not exist\"" "$TMPD/json.out"
ok "--json: nothing German in it" sh -c "! grep -q Wurzel '$TMPD/json.out'"
is "--json: nothing on stderr" "" "$(cat "$TMPD/json.err")"
json_valid "--json: valid against its schema" apply "$TMPD/json.out"

done_testing
