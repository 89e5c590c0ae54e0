#!/bin/zsh -f
# zsh-complete.zsh COMPDIR LINE - what zsh's own completion offers for
# LINE<Tab>, with COMPDIR's functions first on $fpath: an interactive zsh
# in a pseudo-terminal (zsh/zpty), compinit, and compadd wrapped so that
# every match it adds is printed; the matches, sorted, one a line.
# (tests/completion.sh drives completion/_cgisetup with it.)
zmodload zsh/zpty || exit 3
compdir=$1 line=$2

zpty z zsh -f -i
zpty -w z "PS1= PS2= RPS1=; fpath=(${(q)compdir} \$fpath)"
zpty -w z 'autoload -Uz compinit; compinit -u -D'  # -D: no dump file (-d /dev/null made compinit replace /dev/null)
# -O, -A, -D only fill arrays: not matches offered
zpty -w z 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@";
	return; fi; local -a h; builtin compadd -A h "$@";
	(( $#h )) && print -l -- "<""m>"${^h}"</m>" >/dev/tty; builtin compadd "$@" }'
zpty -w z "bindkey '^I' complete-word; zstyle ':completion:*' list-prompt ''"
# The sentinels are split in the commands: the terminal echoes what is
# typed ahead while a command runs, and only the output may match. Keys
# are sent once zle reads the line (zle-line-init said so): before that
# the terminal's own line editing would take ^U and the Tab.
zpty -w z 'zle-line-init() { print -r -- "<z""le>" >/dev/tty }; zle -N zle-line-init'
out=
while zpty -r z chunk; do
	out+=$chunk
	[[ $out == *'<zle>'* ]] && break
done
# zle completes before it reads the next key: ^U clears the line, then
# the sentinel says everything was printed
zpty -w z "$line"$'\t'$'\x15'
zpty -w z 'print -- "<do""ne>"'
out=
while zpty -r z chunk; do
	out+=$chunk
	[[ $out == *'<done>'*$'\n'* ]] && break
done
zpty -d z
print -r -- "$out" | grep -o '<m>[^<]*</m>' | sed 's/<m>//; s#</m>##' | sort -u
