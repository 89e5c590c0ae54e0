#!/bin/bash
# completion.sh - the shell completions: bash's _cgisetup driven as bash
# drives it (COMP_WORDS, COMP_CWORD, then COMPREPLY read back) for options,
# a directory after --dir and --root, a file after --config, the entry IDs
# after --undo (from a real journal under --root); its options and zsh's
# are those --help lists; zsh parses its script, and zsh's own completion
# (an interactive zsh in a pseudo-terminal: tests/zsh-complete.zsh) offers
# the options and, after --vhost, the names bash offers.
. "$(dirname "$0")/lib.sh"

BASH_COMP="$TOP_SRCDIR/completion/cgisetup"
ZSH_COMP="$TOP_SRCDIR/completion/_cgisetup"
need_tool zsh zsh

ok "the bash completion parses" bash -n "$BASH_COMP"
# shellcheck source=/dev/null
. "$BASH_COMP"
ok "it registers _cgisetup for cgisetup" bash -c ". '$BASH_COMP' && complete -p cgisetup | grep -q -- '-F _cgisetup'"

# comp WORD...: complete the last WORD of "cgisetup WORD..." and print
# COMPREPLY sorted, one a line.
comp() {
	COMP_WORDS=(cgisetup "$@")
	COMP_CWORD=$#
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_cgisetup cgisetup "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
}

help_long=$("$CGISETUP" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+' | sort)
is "options: '--' offers every long option of --help" "$help_long" "$(comp --)"
is "options: '--no-' offers the four --no- options" "--no-hello
--no-restart
--no-start
--no-verify" "$(comp --no-)"
is "options: '--dr' completes to --dry-run" "--dry-run" "$(comp --dr)"
is "options: after a finished option, the options again" "--undo" "$(comp --dry-run --un)"

mkdir -p "$TMPD/t/cgi-one" "$TMPD/t/cgi-two" "$TMPD/t/conf.d" "$TMPD/t/with space"
: >"$TMPD/t/cgi-file" >"$TMPD/t/httpd.conf"
is "--dir: directories only" "$TMPD/t/cgi-one
$TMPD/t/cgi-two" "$(comp --dir "$TMPD/t/cgi")"
is "-d: directories only" "$TMPD/t/cgi-one
$TMPD/t/cgi-two" "$(comp -d "$TMPD/t/cgi")"
is "--dir=: directories (the '=' is a word of its own)" "$TMPD/t/cgi-one
$TMPD/t/cgi-two" "$(comp --dir = "$TMPD/t/cgi")"
is "--dir: a directory with a space is one reply" "$TMPD/t/with space" "$(comp --dir "$TMPD/t/wi")"
is "--root: directories only" "$TMPD/t/conf.d" "$(comp --yes --root "$TMPD/t/co")"
is "--config: files and directories" "$TMPD/t/cgi-file
$TMPD/t/cgi-one
$TMPD/t/cgi-two
$TMPD/t/conf.d
$TMPD/t/httpd.conf
$TMPD/t/with space" "$(comp --config "$TMPD/t/")"
is "--config: a file" "$TMPD/t/httpd.conf" "$(comp --config "$TMPD/t/h")"
is "--wait: nothing is offered" "" "$(comp --wait "")"
mkdir -p "$TMPD/r/etc/apache2/sites-enabled"
printf '<VirtualHost *:80>\n\tServerName b.test\n\tServerAlias www.b.test bb.test\n</VirtualHost>\n' \
	>"$TMPD/r/etc/apache2/sites-enabled/b.conf"
printf '<VirtualHost *:80>\n\tservername a.test # a comment\n</VirtualHost>\n' \
	>"$TMPD/r/etc/apache2/sites-enabled/a.conf"
is "--vhost: the names and aliases of the sites under --root" "a.test
b.test
bb.test
www.b.test" "$(comp --root "$TMPD/r" --vhost "")"
is "--vhost: completes a prefix (--root=DIR, '=' a word of its own)" "b.test
bb.test" "$(comp --root = "$TMPD/r" --vhost b)"
is "a plain word: nothing is offered" "" "$(comp --dir /srv/cgi x)"

# --undo: the IDs --status lists, read from the journal of the --root on
# the line (two changes applied to a copy of the project's Debian tree),
# with cgisetup found on PATH as the command word says; reading them
# writes nothing (no recovery, no lock file, no mtime).
ROOT=$TMPD/root
copy_layout own/debian "$ROOT"
mkdir -p "$TMPD/bin"
ln -s "$CGISETUP" "$TMPD/bin/cgisetup"
PATH=$TMPD/bin:$PATH
"$CGISETUP" --root "$ROOT" --dir /srv/cgi --yes >"$TMPD/apply1.out" 2>&1
is "--undo: a first change applied" 0 $?
"$CGISETUP" --root "$ROOT" --dir /srv/other --yes >"$TMPD/apply2.out" 2>&1
is "--undo: a second change applied" 0 $?
before=$(snapshot "$ROOT"; snapshot_mtimes "$ROOT")
is "--undo: the IDs --status lists" "1
2" "$(comp --root "$ROOT" --undo "")"
is "--undo: an ID by its first digits" "2" "$(comp --root "$ROOT" --undo 2)"
is "--undo: --root=ROOT (the '=' is a word of its own)" "1
2" "$(comp --root = "$ROOT" --undo "")"
is "--undo: an option after it (the ID is optional)" "--dry-run" "$(comp --root "$ROOT" --undo --dr)"
is "--undo: no journal under --root: the options" "$(comp --)" "$(comp --root "$TMPD/t" --undo "")"
is "--undo: completing wrote nothing in ROOT (bytes, modes, mtimes)" "$before" \
	"$(snapshot "$ROOT"; snapshot_mtimes "$ROOT")"
ok "zsh: --undo takes an optional entry ID from _cgisetup_ids" \
	grep -q -- "--undo\[[^]]*\]::entry ID:_cgisetup_ids'" "$ZSH_COMP"

# bash-completion's own loader finds it by the command's name, as it finds
# an installed one in completionsdir.
BC=/usr/share/bash-completion/bash_completion
if [ -f "$BC" ]; then
	mkdir -p "$TMPD/user/completions"
	cp "$BASH_COMP" "$TMPD/user/completions/cgisetup"
	is "bash-completion's loader loads it for cgisetup" "complete -F _cgisetup cgisetup" \
		"$(BASH_COMPLETION_USER_DIR="$TMPD/user" bash -c \
			". '$BC'; __load_completion cgisetup; complete -p cgisetup" 2>&1)"
else
	tool_missing "$BC" bash-completion
fi

# zsh: the script parses, and offers the same options as --help.
ok "the zsh completion parses (zsh -n)" zsh -n "$ZSH_COMP"
ok "the zsh completion starts with #compdef cgisetup" grep -qx '#compdef cgisetup' "$ZSH_COMP"
zsh_long=$(grep -oE -- "--[a-z-]+(=|\[|\]|\}|,)" "$ZSH_COMP" | grep -oE -- '--[a-z-]+' | sort -u)
is "zsh offers every long option of --help, and no other" "$help_long" "$zsh_long"
bash_long=$(sed -n '/local opts=/,/"$/p' "$BASH_COMP" | grep -oE -- '--[a-z-]+' | sort)
is "bash's list is --help's, and no other" "$help_long" "$bash_long"

# zcomp LINE: what zsh offers for "cgisetup LINE<Tab>", one a line
zcomp() {
	timeout 60 zsh -f "$TOP_SRCDIR/tests/zsh-complete.zsh" "$TOP_SRCDIR/completion" "cgisetup $1"
}
is "zsh: '--no-' offers the four --no- options" "--no-hello
--no-restart
--no-start
--no-verify" "$(zcomp --no-)"
is "zsh: --vhost: the names and aliases of the sites under --root" "a.test
b.test
bb.test
www.b.test" "$(zcomp "--root $TMPD/r --vhost ")"
is "zsh: --vhost=: completes a prefix (--root=DIR)" "b.test
bb.test" "$(zcomp "--root=$TMPD/r --vhost=b")"
is "zsh: --vhost, no site under --root: nothing offered" "" "$(zcomp "--root $TMPD/t --vhost ")"
# the names themselves: zsh's _cgisetup_vhost_names, run alone, lists
# what bash's _cgisetup_vhosts lists for the same --root
COMP_WORDS=(cgisetup --root "$TMPD/r" --vhost "")
is "zsh: _cgisetup_vhost_names lists bash's names" "$(_cgisetup_vhosts)" \
	"$(zsh -fc 'eval "$(sed -n "/^(( \$+functions\[_cgisetup_vhost_names\]/,/^}/p" "$1")"
		_cgisetup_vhost_names "$2"' zsh "$ZSH_COMP" "$TMPD/r")"
done_testing
