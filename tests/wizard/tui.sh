# tui.sh - drive the wizard in a detached tmux (sourced after ../lib.sh).
#
# Not a test itself: run directly (as `make check TESTS="tests/wizard/*.sh"`
# does once the shell expands the glob), it says so in TAP and passes.
#
# Every test gets its own tmux server (a socket in $TMPD), so tests run in
# parallel and never touch a user's tmux. The command runs through a small
# wrapper that records its PID before exec (for kill) and, once it ended,
# its exit status and `stty -a` before and after (tmux 3.3a's
# #{pane_dead_status} is not reliable); the wrapper then keeps the pane
# alive (a dead pane's modes say nothing) so the last screen and the
# terminal's modes can still be read.
#
#   tui_start NAME COLS ROWS CMD...  start CMD in a COLS x ROWS pane
#   tui_screen NAME                  the screen as plain text
#   tui_output NAME                  the screen and its scrollback (after exit)
#   tui_wait NAME REGEX [SECS]       poll until REGEX (grep -E) is on screen
#   tui_shows NAME TEXT              poll until TEXT is on screen, rows joined
#   tui_printed NAME REGEX           REGEX in the screen or its scrollback
#   tui_gone NAME REGEX [SECS]       poll until REGEX is no longer on screen
#   tui_absent NAME REGEX            once the screen settled, REGEX is not on it
#   tui_keys NAME KEY...             tmux key names: Enter Tab BTab Escape F1 ...
#   tui_type NAME TEXT               literal text
#   tui_resize NAME COLS ROWS        resize the window (the program gets SIGWINCH)
#   tui_settle NAME                  wait until the screen stops changing
#   tui_pid NAME                     the command's PID
#   tui_wait_exit NAME [SECS]        wait for the command; prints its exit status
#   tui_format NAME FORMAT           a tmux format of the pane (#{alternate_on})
#   tui_modes NAME                   the pane's modes, "0 1 0 0 0" when restored
#   tui_stty_before/after NAME       `stty -a` around the command

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	echo "1..0 # SKIP tui.sh is the helper the wizard tests source, not a test"
	exit 0
fi

TUI_SOCK="$TMPD/tmux.sock"
TUI_DIR="$TMPD/tui"
mkdir -p "$TUI_DIR"

tui_tmux() {
	tmux -S "$TUI_SOCK" "$@"
}

tui_cleanup() {
	tui_tmux kill-server >/dev/null 2>&1
	rm -rf "$TMPD"
}
trap tui_cleanup EXIT

# Every wizard test drives tmux: without it they fail (lib.sh's need_tool)
# right here, so the scripts' `have_tmux || skip_all ...` never skips; it
# stays only so that this change and the fixture changes of those lines'
# neighbours merge cleanly, and can go with them.
need_tool tmux tmux
# tui_shows NAME TEXT: TEXT on the screen as a fixed string, rows joined
# (a line wrapped over two rows reads whole), within 10 s.
tui_shows() {
	local i want
	want=$(printf '%s' "$2" | tr -s ' ')
	for ((i = 0; i < 200; i++)); do
		tui_screen "$1" | sed 's/^ *//' | tr '\n' ' ' | tr -s ' ' | grep -Fq -- "$want" && return 0
		sleep 0.05
	done
	echo "not on the screen: $2"
	tui_screen "$1"
	return 1
}

have_tmux() {
	need_tool tmux tmux
}

tui_start() {
	local name=$1 cols=$2 rows=$3
	shift 3
	rm -f "$TUI_DIR/$name".*
	printf 'set -g remain-on-exit on\nset -g default-terminal tmux-256color\nset -g status off\n' \
		>"$TUI_DIR/tmux.conf"
	# $0: the state prefix; the command's PID is written by a shell that
	# then becomes the command (exec), so the PID is the command's own.
	# The wrapper catches SIGINT (a handler, which the command does not
	# inherit, unlike an ignored signal) so that Ctrl-C ends the command
	# but not the wrapper, which then records how it ended.
	local wrapper='trap : INT QUIT; stty -a >"$0.stty0"; sh -c '\''echo $$ >"$0.pid"; exec "$@"'\'' "$0" "$@"; st=$?; stty -a >"$0.stty"; echo $st >"$0.status.tmp"; mv "$0.status.tmp" "$0.status"; echo "-- wrapper: command ended --"; exec cat >/dev/null'
	tui_tmux -f "$TUI_DIR/tmux.conf" new-session -d -s "$name" -x "$cols" -y "$rows" \
		"$(printf '%q ' env LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE= bash -c "$wrapper" \
			"$TUI_DIR/$name" "$@")"
}

tui_screen() {
	tui_tmux capture-pane -p -t "$1"
}

tui_output() {
	tui_tmux capture-pane -p -S - -t "$1"
}

# After the wizard ended: REGEX in what the terminal shows or scrolled off.
tui_printed() {
	tui_output "$1" | grep -Eq -- "$2" && return 0
	echo "tui_printed: /$2/ not printed; the terminal holds:"
	tui_output "$1" | grep -v '^$'
	return 1
}

tui_format() {
	tui_tmux display-message -p -t "$1" "$2"
}

tui_keys() {
	local name=$1
	shift
	tui_tmux send-keys -t "$name" "$@"
}

tui_type() {
	tui_tmux send-keys -t "$1" -l "$2"
}

tui_resize() {
	tui_tmux resize-window -t "$1" -x "$2" -y "$3"
}

# A deadline, not a fixed sleep: poll every 50 ms.
tui_wait() {
	local name=$1 re=$2 secs=${3:-10} i
	for ((i = 0; i < secs * 20; i++)); do
		tui_screen "$name" | grep -Eq -- "$re" && return 0
		sleep 0.05
	done
	echo "tui_wait: /$re/ not on the screen after ${secs}s; the screen was:"
	tui_screen "$name"
	return 1
}

tui_gone() {
	local name=$1 re=$2 secs=${3:-10} i
	for ((i = 0; i < secs * 20; i++)); do
		tui_screen "$name" | grep -Eq -- "$re" || return 0
		sleep 0.05
	done
	echo "tui_gone: /$re/ still on the screen after ${secs}s"
	return 1
}

tui_absent() {
	tui_settle "$1"
	tui_screen "$1" | grep -Eq -- "$2" || return 0
	echo "tui_absent: /$2/ is on the screen:"
	tui_screen "$1"
	return 1
}

# The same capture three polls in a row: the program has drawn everything
# it was going to draw for the last key.
tui_settle() {
	local name=$1 last="" same=0 i cur
	for ((i = 0; i < 200 && same < 3; i++)); do
		cur=$(tui_screen "$name")
		if [ "$cur" = "$last" ]; then
			same=$((same + 1))
		else
			same=0
			last=$cur
		fi
		sleep 0.05
	done
}

tui_pid() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ -s "$TUI_DIR/$1.pid" ] && { cat "$TUI_DIR/$1.pid"; return 0; }
		sleep 0.05
	done
	return 1
}

tui_wait_exit() {
	local name=$1 secs=${2:-10} i
	for ((i = 0; i < secs * 20; i++)); do
		if [ -s "$TUI_DIR/$name.status" ]; then
			cat "$TUI_DIR/$name.status"
			return 0
		fi
		sleep 0.05
	done
	echo "timeout"
	return 1
}

# The terminal settings before the command started, and after it ended.
tui_stty_before() {
	cat "$TUI_DIR/$1.stty0" 2>/dev/null
}

tui_stty_after() {
	cat "$TUI_DIR/$1.stty" 2>/dev/null
}

# The pane's modes: alternate screen, cursor visible, application cursor
# keys and keypad, mouse; "0 1 0 0 0" for a terminal given back.
tui_modes() {
	tui_format "$1" '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag}'
}

# The first line of the screen: the wizard's title bar ("step N of 5: ...").
tui_title() {
	tui_screen "$1" | head -n 1
}
