#!/bin/bash
# rig.sh - one run of the wizard on the real systemd rig (tests/rig/rig.sh:
# a systemd-nspawn container whose PID 1 is a real systemd managing a real
# apache2.service). The freshly built binary, bound read-only at
# /opt/cgisetup, is started inside the container from a tmux pane on this
# host (rig.sh exec runs `env -i` and passes the host's TERM; TERM is given
# explicitly all the same; the pane's tty is inherited through nsenter) and driven with every proposal taken
# through the apply screen to the result: screen 1 shows the running
# service; screen 2 proposes Debian's /usr/lib/cgi-bin served at
# /cgi-bin/; the result shows the restart path (graceful reloads), the
# HTTP check, what the script printed and, among the steps, each restart
# job and HTTP check, none left running. Then curl inside the container
# gets the proof from the script, and the unit never stopped.
# Skips when not root, or when tmux or the rig is missing.
. "$(dirname "$0")/../system/common.sh"
. "$(dirname "$0")/tui.sh"
# both: tmux first (its pane runs inside a container), then the containers
trap 'tui_tmux kill-server >/dev/null 2>&1; sys_cleanup' EXIT
have_tmux || skip_all "tmux is not installed"
sys_require
sys_start c wizard

url=http://127.0.0.1/cgi-bin/hello.py
inv0=$(c_unit "$c" InvocationID)
ok "the rig: apache2.service is active" test "$(in_c "$c" systemctl is-active apache2)" = active
is "the rig: /cgi-bin/hello.py is not there yet" 404 "$(c_code "$c" "$url")"

# The pane's own terminal type when the container knows it: with
# xterm-256color, tmux's End (\e[4~) would read as Esc and close a screen.
term=xterm-256color
in_c "$c" sh -c 'test -e /lib/terminfo/t/tmux-256color || test -e /usr/share/terminfo/t/tmux-256color' &&
	term=tmux-256color
tui_start w 100 30 "$RIG" exec "$c" -- env TERM=$term "$IN_CGISETUP"
ok "screen 1: opens inside the container" tui_wait w 'step 1 of 5: Detected system' 30
ok "screen 1: the service, running" tui_wait w '^  Service: +apache2\.service \(running\)$' 30
ok "screen 1: detected from Apache itself" \
	tui_wait w '^  Detected from: +Apache itself \(apachectl\)$'
ok "screen 1: nothing applied yet" tui_wait w '^  Applied: +nothing by cgisetup yet$'
tui_wait w '> Set up CGI' >/dev/null
tui_keys w Enter
ok "screen 2: Debian's customary directory proposed" \
	tui_wait w '^  Directory: +\[/usr/lib/cgi-bin +\]$' 20
ok "screen 2: served at /cgi-bin/" tui_wait w '^ +served at /cgi-bin/ \(from the directory\)$'
tui_keys w Enter
ok "screen 3: the preview" tui_wait w 'step 3 of 5: Preview' 30
ok "screen 3: Apply offered (root)" tui_wait w '< Apply >'
tui_keys w Enter

# The apply screen passes quickly (a reload is ~0.1 s); read what shows.
apply_seen=0 running_seen=0
for ((i = 0; i < 600; i++)); do
	s=$(tui_screen w)
	grep -q 'step 4 of 5: Apply' <<<"$s" && apply_seen=1
	grep -qE '^  \[\.\.\.\.\] +(restart|HTTP check)' <<<"$s" && running_seen=1
	grep -q 'step 5 of 5' <<<"$s" && break
	sleep 0.02
done
echo "# apply screen seen: $apply_seen; a restart or HTTP check seen running: $running_seen"
ok "the result screen" tui_wait w 'step 5 of 5: Result' 60
ok "result: CGI is on" tui_wait w "^  CGI is on for '/usr/lib/cgi-bin', served at /cgi-bin/\$"
ok "result: the restart path, graceful, in the command line's words" \
	tui_shows w "Apache: reload, then reload (systemd, apache2.service): graceful, no connection dropped"
ok "result: why a second reload" \
	tui_shows w "Why: mod_cgid was just loaded: its daemon starts on the second graceful pass"
ok "result: the HTTP check proved the script ran" \
	tui_wait w "^  Verified: a probe script ran in '/usr/lib/cgi-bin' \\(HTTP 200, it printed 'cgisetup-ran-42042'\\)\\.\$"
ok "result: what the script printed" tui_wait w '^  The script printed:$'
ok "result: its proof line, HTML tags taken out" tui_wait w '^      cgisetup-ran-42042$'
ok "result: its title, tags taken out" tui_wait w '^      Python CGI works$'
ok "result: no HTML tag shown" tui_absent w '<(p|h1|body|html)'
tui_keys w NPage
ok "result steps: the config test" tui_wait w '^  \[ok\] +config test: '
ok "result steps: a restart job, as it began" tui_wait w '^  \[changed\] +restart: reload$'
ok "result steps: each restart job on a line of its own" \
	test "$(tui_screen w | grep -c '^  \[changed\] *restart: reload$')" -ge 2
ok "result steps: an HTTP check, as it began" \
	tui_wait w "^  \\[ok\\] +HTTP check: ${url%/hello.py}/cgisetup-probe-[0-9a-f]{16}\\.py( \\(try [0-9]+\\))?\$"
ok "result steps: every line is a step that began, none an end of its own" \
	tui_absent w "^  \\[[a-z]+\\] +restart: ReloadOrRestartUnit"
ok "result steps: no step reads [done] (ok, changed, skipped or failed)" tui_absent w '\[done\]'
ok "result steps: none left running" tui_absent w '\[\.\.\.\.\]'
tui_keys w Enter
is "exit status 0" 0 "$(tui_wait_exit w 20)"
ok "the command line's report stays on the terminal" \
	tui_printed w "^cgisetup: verified: a probe script ran in '/usr/lib/cgi-bin' \\(HTTP 200"

ok "curl inside the container: the script runs (its proof is served)" \
	contains "$(c_body "$c" "$url")" "$PROOF"
is "curl inside the container: HTTP 200" 200 "$(c_code "$c" "$url")"
is "the unit never stopped (same InvocationID: graceful reloads only)" "$inv0" \
	"$(c_unit "$c" InvocationID)"
cgs "$c" --status >"$TMPD/status" 2>&1
ok "cgisetup --status lists the wizard's change" has '/usr/lib/cgi-bin at /cgi-bin/  (intact)' \
	"$TMPD/status"

done_testing
