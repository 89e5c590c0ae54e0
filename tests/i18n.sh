#!/bin/bash
# i18n.sh - cgisetup in German and French: the command line and the wizard
# speak the language of LC_ALL/LANGUAGE, --json never does.
#
# The catalogues are the project's own po/LL.po, compiled with msgfmt into
# a scratch directory that cgisetup reads through CGISETUP_TEST_LOCALEDIR
# (src/main.c; for tests only), so the test needs no `make install`. The
# locales de_DE.UTF-8 and fr_FR.UTF-8 are made with localedef into a scratch
# LOCPATH (never locale-gen: make check leaves this machine as it is).
#
# German is asserted word for word (po/de.po). French is asserted
# through the catalogue: each French text is the one po/fr.po gives for
# the msgid (looked up with gettext(1)) and differs from the English. The
# --json outputs of one sequence of runs (detect, dry-run, apply, status,
# undo, a bad input) are byte-identical in C, de_DE and fr_FR, the entries'
# times set aside. The wizard runs in tmux at 80x24 in German (and French):
# every title, hint and key bar is whole on its row, the buttons are there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/wizard/tui.sh"
need_tool msgfmt gettext
need_tool gettext gettext-base
need_tool localedef libc-bin

LOC="$TMPD/loc" CAT="$TMPD/locale"
mkdir -p "$LOC"
for l in de_DE fr_FR; do
	[ -d "/usr/share/i18n/locales" ] && [ -f "/usr/share/i18n/locales/$l" ] ||
		fail_all "no locale source for $l: install the package locales (./install-deps.sh does)"
	# localedef exits 1 on mere warnings; the locale is what counts
	localedef -i "$l" -f UTF-8 "$LOC/$l.UTF-8" >"$TMPD/localedef.out" 2>&1
	[ -e "$LOC/$l.UTF-8/LC_MESSAGES" ] ||
		fail_all "localedef cannot make $l.UTF-8: $(tail -n1 "$TMPD/localedef.out")"
done

# The strings of the code today (as po/Makevars extracts them), whatever
# po/cgisetup.pot says: a catalogue is complete against these.
need_tool xgettext gettext
sed -e '/^#/d' -e '/^$/d' "$TOP_SRCDIR/po/POTFILES.in" >"$TMPD/potfiles"
ok "xgettext extracts the strings of po/POTFILES.in" \
	sh -c 'cd "$1" && xgettext --keyword=_ --keyword=N_ --from-code=UTF-8 --language=C \
		--add-comments=TRANSLATORS: -f "$2" -o "$3"' sh "$TOP_SRCDIR" "$TMPD/potfiles" "$TMPD/now.pot"

# The catalogues in the tree, each compiled and complete.
for lang in de fr; do
	mkdir -p "$CAT/$lang/LC_MESSAGES"
	ok "po/$lang.po: msgfmt --check compiles it" msgfmt --check --statistics \
		-o "$CAT/$lang/LC_MESSAGES/cgisetup.mo" "$TOP_SRCDIR/po/$lang.po"
	msgmerge --quiet --no-fuzzy-matching -o "$TMPD/$lang.now.po" "$TOP_SRCDIR/po/$lang.po" \
		"$TMPD/now.pot"
	stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$TMPD/$lang.now.po" 2>&1)
	ok "po/$lang.po: every string of the code translated, none fuzzy ($stats)" \
		sh -c "! printf '%s' '$stats' | grep -Eq 'fuzzy|untranslated'"
done

# in_locale LANGUAGE LC_ALL CMD...
in_locale() {
	local language=$1 lc=$2
	shift 2
	env LOCPATH="$LOC" CGISETUP_TEST_LOCALEDIR="$CAT" LANGUAGE="$language" LC_ALL="$lc" "$@"
}
run_c() { env LANGUAGE= LC_ALL=C "$CGISETUP" "$@"; }
run_de() { in_locale de de_DE.UTF-8 "$CGISETUP" "$@"; }
run_fr() { in_locale fr fr_FR.UTF-8 "$CGISETUP" "$@"; }
# fr_text MSGID: what po/fr.po makes of MSGID (gettext(1), same catalogue).
fr_text() {
	env TEXTDOMAINDIR="$CAT" LOCPATH="$LOC" LANGUAGE=fr LC_ALL=fr_FR.UTF-8 \
		gettext -d cgisetup -- "$1"
}
# fr_bar PIECE...: the wizard's key bar from these English pieces in French:
# joined by two spaces, whole pieces dropped from the end until it fits the
# 78 columns an 80-column terminal leaves (wizard.c's draw_keys).
fr_bar() {
	local pieces=() p bar
	for p in "$@"; do
		pieces+=("$(fr_text "$p")")
	done
	while ((${#pieces[@]})); do
		bar=$(printf '%s  ' "${pieces[@]}")
		bar=${bar%  }
		(($(printf "%s" "$bar" | LC_ALL=C.UTF-8 wc -m) <= 78)) && break
		unset 'pieces[${#pieces[@]}-1]'
	done
	printf '%s' "$bar"
}
# has FILE TEXT: TEXT as a whole line of FILE.
has() {
	grep -qxF -- "$2" "$1" && return 0
	echo "not a line of $1: $2"
	sed 's/^/| /' "$1" | head -20
	return 1
}
# options FILE: the long options --help names.
options() {
	grep -o -- '--[a-z][a-z-]*' "$1" | sort -u
}

# ---- the command line in German ----
r="$TMPD/r"
copy_layout own/debian "$r"

run_c --help >"$TMPD/help.c"
run_de --help >"$TMPD/help.de"
is "de --help: exit 0" 0 $?
is "de --help: the usage line" "Aufruf: cgisetup --dir DIR --yes [Optionen]" \
	"$(head -n1 "$TMPD/help.de")"
ok "de --help: an option, its name and value as they are" \
	has "$TMPD/help.de" "  -d, --dir DIR        das CGI-Verzeichnis (absoluter Pfad)"
is "de --help: the same options as in C" "$(options "$TMPD/help.c")" "$(options "$TMPD/help.de")"

# --detect's values in one column whatever the labels' bytes ("für",
# "Dienst:"): padded by the terminal columns they take, not by bytes
run_de --root "$r" --detect >"$TMPD/detect.de"
is "de --detect: exit 0" 0 $?
is "de --detect: every value starts in one column" 1 "$(python3 -c '
import sys
rows = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8") if l.startswith("  ") and ":" in l]
cols = {len(l) - len(l[2:].split(": ", 1)[1].lstrip(" ")) for l in rows if ": " in l[2:]}
print(len(cols) if rows else 0)' "$TMPD/detect.de")"

before=$(snapshot "$r")
mtimes=$(snapshot_mtimes "$r")
run_de --bogus >"$TMPD/bogus.out" 2>"$TMPD/bogus.err"
is "de unknown option: exit 2" 2 $?
is "de unknown option: the error and the hint" \
	"cgisetup: unbekannte Option »--bogus«
Weitere Informationen mit »cgisetup --help«." "$(cat "$TMPD/bogus.err")"

run_de --root "$r" --dir cgi --yes >"$TMPD/rel.out" 2>"$TMPD/rel.err"
is "de relative --dir: exit 2" 2 $?
is "de relative --dir: the error" \
	"cgisetup: Verzeichnis »cgi« ist relativ: geben Sie einen absoluten Pfad an" \
	"$(cat "$TMPD/rel.err")"

# the reason inside the error is a msgid of its own, translated too
run_de --root "$r" --dir '/srv/cgi*' --yes >"$TMPD/wild.out" 2>"$TMPD/wild.err"
is "de wildcard in --dir: exit 2" 2 $?
is "de wildcard in --dir: the error and its reason" \
	"cgisetup: Verzeichnis »/srv/cgi*« enthält ein Platzhalterzeichen (»*«, »?« oder »[«), das Apache auch auf andere Verzeichnisse anwenden würde: wählen Sie einen anderen Namen" \
	"$(cat "$TMPD/wild.err")"

run_c --root "$r" --dir /srv/cgi --dry-run >"$TMPD/dry.c" 2>"$TMPD/dry.c.err"
run_de --root "$r" --dir /srv/cgi --dry-run >"$TMPD/dry.de" 2>"$TMPD/dry.de.err"
is "de --dry-run: exit 0" 0 $?
is "de --dry-run: the summary" "# cgisetup --dry-run: nichts wurde geschrieben; der Plan:" \
	"$(head -n1 "$TMPD/dry.de")"
ok "de --dry-run: a change and its reason" has "$TMPD/dry.de" \
	"#   Verzeichnis »/srv/cgi« anlegen (Modus 0755): das CGI-Verzeichnis existiert noch nicht"
ok "de --dry-run: a directive stays as it is" has "$TMPD/dry.de" \
	"#   »Alias /cgi/ /srv/cgi/« zu »/etc/apache2/apache2.conf« hinzufügen: eine URL auf das Verzeichnis abbilden, das außerhalb des Document-Root liegt"
is "de --dry-run: the diff is the one in C" "$(grep -v '^#' "$TMPD/dry.c")" \
	"$(grep -v '^#' "$TMPD/dry.de")"
# a warning made in src/effects (diag_strdup), translated where it is shown
is "de --dry-run: the warning" \
	"cgisetup: Warnung: kein python3 auf dem Zielsystem gefunden: hello.py verwendet »/usr/bin/env python3«" \
	"$(cat "$TMPD/dry.de.err")"
is "de: the bad inputs and the dry run left the tree byte-identical" "$before" "$(snapshot "$r")"
is "de: and its mtimes" "$mtimes" "$(snapshot_mtimes "$r")"

run_de --root "$r" --dir /srv/cgi --yes >"$TMPD/apply.de" 2>"$TMPD/apply.de.err"
is "de apply: exit 0" 0 $?
ok "de apply: the result" has "$TMPD/apply.de" \
	"cgisetup: CGI ist für »/srv/cgi« eingeschaltet, bereitgestellt unter /cgi/"
ok "de apply: no restart under --root" \
	grep -qF "cgisetup: --root angegeben: Apache wurde nicht neu gestartet; Test-URL, sobald er läuft: http" \
	"$TMPD/apply.de"
run_de --root "$r" --status >"$TMPD/status.de"
is "de --status: exit 0" 0 $?
ok "de --status: the entry, intact, and what --undo takes back" \
	grep -qE '^1  .*  /srv/cgi unter /cgi/  \(unverändert\)  <- --undo macht dies rückgängig$' \
	"$TMPD/status.de"
run_de --root "$r" --undo --dry-run >"$TMPD/undo-dry.de"
is "de --undo --dry-run: exit 0" 0 $?
ok "de --undo --dry-run: the summary" grep -qE \
	'^# cgisetup --undo --dry-run: nichts wurde geschrieben; »/srv/cgi« \(angewendet .*\) rückgängig machen:$' \
	"$TMPD/undo-dry.de"
ok "de --undo --dry-run: an action, the path where German puts it" has "$TMPD/undo-dry.de" \
	"  symbolischen Link »/etc/apache2/mods-enabled/cgid.load« entfernen"
printf '#!/bin/sh\n' >"$r/srv/cgi/mine.py"
run_de --root "$r" --undo --yes >"$TMPD/undo.de" 2>"$TMPD/undo.de.err"
is "de --undo: exit 0" 0 $?
ok "de --undo: the result" grep -qE '^cgisetup: rückgängig gemacht: CGI für »/srv/cgi« \(angewendet .*\) ist wieder aus$' \
	"$TMPD/undo.de"
# a warning of src/effects/undo.c, translated where it is shown
ok "de --undo: the kept directory, in German" has "$TMPD/undo.de.err" \
	"cgisetup: Warnung: Verzeichnis »/srv/cgi« beibehalten: es ist nicht leer"

# ---- the command line in French ----
# fr_fmt MSGID ARG...: MSGID as po/fr.po has it, with its arguments.
fr_fmt() {
	local msgid=$1
	shift
	# shellcheck disable=SC2059 # the format is the catalogue's
	printf "$(fr_text "$msgid")" "$@"
}
# fr_is DESCRIPTION WANT ENGLISH ACTUAL: ACTUAL is the French WANT, which is
# not the ENGLISH.
fr_is() {
	is "$1" "$2" "$4"
	ok "$1: not the English" test "$2" != "$3"
}
f="$TMPD/f"
copy_layout own/debian "$f"
run_fr --root "$f" --dir cgi --yes >"$TMPD/rel.fr" 2>"$TMPD/rel.fr.err"
is "fr relative --dir: exit 2" 2 $?
msg="directory '%s' is relative: give an absolute path"
fr_is "fr relative --dir: the error" \
	"$(fr_fmt $'cgisetup: %s\n' "$(fr_fmt "$msg" cgi)")" \
	"cgisetup: directory 'cgi' is relative: give an absolute path" "$(cat "$TMPD/rel.fr.err")"
run_fr --root "$f" --dir /srv/cgi --dry-run >"$TMPD/dry.fr" 2>"$TMPD/dry.fr.err"
is "fr --dry-run: exit 0" 0 $?
fr_is "fr --dry-run: the summary" \
	"$(fr_text $'# cgisetup --dry-run: nothing was written; the plan:\n')" \
	"# cgisetup --dry-run: nothing was written; the plan:" "$(head -n1 "$TMPD/dry.fr")"
msg="no python3 found on the target system: hello.py uses '/usr/bin/env python3'"
fr_is "fr --dry-run: the warning" "$(fr_fmt $'cgisetup: warning: %s\n' "$(fr_text "$msg")")" \
	"cgisetup: warning: $msg" "$(cat "$TMPD/dry.fr.err")"
ok "fr --dry-run: po/fr.po translates the warning itself" test "$(fr_text "$msg")" != "$msg"
is "fr --dry-run: the diff is the one in C" "$(grep -v '^#' "$TMPD/dry.c")" \
	"$(grep -v '^#' "$TMPD/dry.fr")"
run_fr --help >"$TMPD/help.fr"
is "fr --help: the same options as in C" "$(options "$TMPD/help.c")" "$(options "$TMPD/help.fr")"
ok "fr --help: translated" test "$(head -n1 "$TMPD/help.fr")" != "$(head -n1 "$TMPD/help.c")"

# ---- --json: the same bytes in every locale ----
# The same sequence on a fresh copy at the same path in each locale; the
# entries' times are the only data that differ.
json_runs() { # RUNNER OUTDIR
	local run=$1 out=$2 j="$TMPD/j"
	mkdir -p "$out"
	copy_layout own/debian "$j"
	$run --root "$j" --detect --json >"$out/detect" 2>>"$out/stderr"
	$run --root "$j" --dir /srv/cgi --dry-run --json >"$out/dry-run" 2>>"$out/stderr"
	$run --root "$j" --dir cgi --yes --json >"$out/bad-input" 2>>"$out/stderr"
	echo "bad-input exit $?" >>"$out/exits"
	$run --root "$j" --dir /srv/cgi --yes --json >"$out/apply" 2>>"$out/stderr"
	$run --root "$j" --status --json >"$out/status" 2>>"$out/stderr"
	printf '#!/bin/sh\n' >"$j/srv/cgi/mine.py"
	$run --root "$j" --undo --dry-run --json >"$out/undo-dry-run" 2>>"$out/stderr"
	$run --root "$j" --undo --yes --json >"$out/undo" 2>>"$out/stderr"
	echo "undo exit $?" >>"$out/exits"
	sed -i -E 's/"(time|applied_at)":"[^"]*"/"\1":"TIME"/g' "$out"/*
}
json_runs run_c "$TMPD/json.c"
json_runs run_de "$TMPD/json.de"
json_runs run_fr "$TMPD/json.fr"
is "--json: the exit statuses" "bad-input exit 2
undo exit 0" "$(cat "$TMPD/json.c/exits")"
is "--json: nothing on stderr" "" "$(cat "$TMPD/json.c/stderr" "$TMPD/json.de/stderr" "$TMPD/json.fr/stderr")"
for mode in detect dry-run bad-input apply status undo-dry-run undo; do
	for l in de fr; do
		ok "--json $mode: C and $l byte-identical" \
			cmp "$TMPD/json.c/$mode" "$TMPD/json.$l/$mode"
	done
done
ok "--json: the undo's warning stays English in German" \
	grep -qF "kept directory '/srv/cgi': it is not empty" "$TMPD/json.de/undo"
ok "--json: the dry run's warning stays English in German" \
	grep -qF "no python3 found on the target system" "$TMPD/json.de/dry-run"
ok "--json: the error stays English in German" \
	grep -qF "\"error\":\"directory 'cgi' is relative: give an absolute path\"" \
	"$TMPD/json.de/bad-input"
json_valid "--json apply in German: valid against its schema" apply "$TMPD/json.de/apply"
json_valid "--json undo in German: valid against its schema" undo "$TMPD/json.de/undo"

# ---- the wizard at 80x24 ----
# row NAME TEXT: TEXT whole on one row of the screen (not cut, not wrapped).
row() {
	local i
	for ((i = 0; i < 200; i++)); do
		tui_screen "$1" | grep -qF -- "$2" && return 0
		sleep 0.05
	done
	echo "no row holds: $2"
	tui_screen "$1"
	return 1
}
# last_row NAME TEXT: the key bar, the screen's last row, is TEXT.
last_row() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(tui_screen "$1" | tail -n1 | sed 's/^ //')" = "$2" ] && return 0
		sleep 0.05
	done
	echo "the last row is not: $2"
	tui_screen "$1"
	return 1
}
# fits NAME: no row is wider than the terminal's 80 columns.
fits() {
	tui_screen "$1" | python3 -c '
import sys, unicodedata
rows = sys.stdin.buffer.read().decode("utf-8").split("\n")
w = max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in r) for r in rows)
print("widest row:", w)
sys.exit(w > 80)'
}

w="$TMPD/w"
copy_layout own/debian "$w"
wbefore=$(snapshot "$w")
tui_start de 80 24 env LOCPATH="$LOC" CGISETUP_TEST_LOCALEDIR="$CAT" LANGUAGE=de \
	LC_ALL=de_DE.UTF-8 "$CGISETUP" --root "$w"
ok "wizard de 1: the title and F1, whole" \
	row de " cgisetup - Schritt 1 von 5: Erkanntes System                         F1: Hilfe"
ok "wizard de 1: a label and its value on one row" row de "  Hauptkonfiguration: /etc/apache2/apache2.conf"
ok "wizard de 1: the service" row de "  Dienst:             apache2.service (nicht geprüft: --root)"
ok "wizard de 1: the menu" row de "  > CGI für ein Verzeichnis einrichten"
ok "wizard de 1: the key bar, whole" last_row de "Auf/Ab: wählen  Enter: OK  Esc: Ende?  F1: Hilfe  q: Ende"
ok "wizard de 1: 80 columns" fits de
tui_keys de Enter
ok "wizard de 2: the title" row de "cgisetup - Schritt 2 von 5: CGI-Verzeichnis"
ok "wizard de 2: the directory field" row de "  Verzeichnis: [/usr/lib/cgi-bin"
ok "wizard de 2: the field's hint, whole" row de "absoluter Pfad, wird bei Bedarf angelegt, z. B. /srv/cgi"
ok "wizard de 2: the URL path it gets" row de "bereitgestellt unter /cgi-bin/ (aus dem Verzeichnis)"
ok "wizard de 2: the extensions' hint, whole" \
	row de "als CGI-Skripte ausgeführt, kommagetrennt, z. B. .py,.cgi"
ok "wizard de 2: hello.py" row de "  [x] hello.py schreiben, ein Testskript, das beweist, dass CGI läuft"
ok "wizard de 2: the buttons" row de "  < Zurück >  < Weiter >  < Abbrechen >"
ok "wizard de 2: the key bar, whole" \
	last_row de "Strg-W: Wort löschen  Tab: Feld  Enter: weiter  Esc: zurück  F1: Hilfe"
ok "wizard de 2: 80 columns" fits de
tui_keys de Enter
ok "wizard de 3: the title" row de "cgisetup - Schritt 3 von 5: Vorschau"
ok "wizard de 3: nothing written yet" row de "  Noch wurde nichts geschrieben. Anwenden nimmt genau diese Änderungen vor;"
ok "wizard de 3: the plan's heading" row de "  Was sich ändert und warum:"
ok "wizard de 3: a change" row de "    - Verzeichnis »/usr/lib/cgi-bin« anlegen (Modus 0755)"
ok "wizard de 3: its reason" row de "      das CGI-Verzeichnis existiert noch nicht"
ok "wizard de 3: where the view is" row de "Zeilen 1-"
ok "wizard de 3: the buttons" row de "  < Zurück >  < Anwenden >  < Abbrechen >"
ok "wizard de 3: the key bar, whole" \
	last_row de "Bild: blättern  Tab: Knopf  Enter: anwenden  Esc: zurück  F1: Hilfe  q: Ende"
ok "wizard de 3: 80 columns" fits de
tui_keys de PageDown
ok "wizard de 3: the warning, in German, below the plan" \
	tui_shows de "Warnung: kein python3 auf dem Zielsystem gefunden"
tui_keys de q
ok "wizard de: q asks first" row de "Beenden, ohne anzuwenden?"
ok "wizard de: the box's keys" row de "y: beenden    n oder Esc: bleiben"
tui_keys de y
is "wizard de: exit 1 when cancelled" 1 "$(tui_wait_exit de)"
ok "wizard de: says nothing was changed" tui_printed de "cgisetup: abgebrochen: nichts wurde geändert"
is "wizard de: the tree is byte-identical" "$wbefore" "$(snapshot "$w")"

tui_start fr 80 24 env LOCPATH="$LOC" CGISETUP_TEST_LOCALEDIR="$CAT" LANGUAGE=fr \
	LC_ALL=fr_FR.UTF-8 "$CGISETUP" --root "$w"
t1=$(fr_text "Detected system")
k1=$(fr_bar "Up/Down: choose" "Enter: select" "Esc: quit?" "F1: help" "q: quit")
ok "wizard fr 1: the title" row fr "$(fr_fmt "cgisetup - step %d of %d: %s" 1 5 "$t1")"
ok "wizard fr 1: the title is French" test "$t1" != "Detected system"
ok "wizard fr 1: the key bar, whole" last_row fr "$k1"
ok "wizard fr 1: the menu" row fr "  > $(fr_text "Set up CGI for a directory")"
ok "wizard fr 1: 80 columns" fits fr
tui_keys fr Enter
ok "wizard fr 2: the buttons" \
	row fr "  < $(fr_text Back) >  < $(fr_text Next) >  < $(fr_text Cancel) >"
ok "wizard fr 2: the key bar, whole" \
	last_row fr "$(fr_bar "Ctrl-W: delete word" "Tab: move" "Enter: next" "Esc: back" "F1: help")"
ok "wizard fr 2: 80 columns" fits fr
tui_keys fr Enter
ok "wizard fr 3: the heading" row fr "  $(fr_text "What will change, and why:")"
ok "wizard fr 3: the buttons" \
	row fr "  < $(fr_text Back) >  < $(fr_text Apply) >  < $(fr_text Cancel) >"
ok "wizard fr 3: the key bar, whole" last_row fr \
	"$(fr_bar "PgUp/PgDn: scroll" "Tab: button" "Enter: apply" "Esc: back" "F1: help" "q: quit")"
ok "wizard fr 3: 80 columns" fits fr
tui_keys fr q
ok "wizard fr: q asks first" row fr "$(fr_text "Quit without applying?")"
tui_keys fr y
is "wizard fr: exit 1 when cancelled" 1 "$(tui_wait_exit fr)"
is "wizard fr: the tree is byte-identical" "$wbefore" "$(snapshot "$w")"

done_testing
