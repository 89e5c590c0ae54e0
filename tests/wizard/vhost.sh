#!/bin/bash
# vhost.sh - screen 2 offers the configuration's virtual hosts as a
# choice, server-wide first (issue 13): Space and the arrows cycle through
# them; the preview and the result then edit only that vhost's copies, and
# the tree equals the one `cgisetup --vhost NAME --yes` leaves. Without a
# named vhost the choice is not shown.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tui.sh"
have_tmux || skip_all "tmux is not installed"

SA=etc/apache2/sites-available
# sites ROOT: the own Debian layout with a.test and b.test.
sites() {
	copy_layout own/debian "$1"
	for n in a b; do
		printf '<VirtualHost *:80>\n\tServerName %s.test\n\tDocumentRoot /var/www/%s\n</VirtualHost>\n' \
			"$n" "$n" >"$1/$SA/$n.conf"
		ln -s "../sites-available/$n.conf" "$1/etc/apache2/sites-enabled/$n.conf"
	done
}

tree() {
	find "$1" -path '*/var/lib/cgisetup/entries/*/manifest' -exec sed -i '/^meta\ttime\t/d' {} +
	snapshot "$1"
}

a="$TMPD/a" b="$TMPD/b"
sites "$a"
sites "$b"
tui_start site 80 30 "$CGISETUP" --root "$a" --dir /srv/cgi
tui_wait site '> Set up CGI' >/dev/null
tui_keys site Enter
ok "screen 2: the site choice, server-wide first" \
	tui_wait site '^  Site: +< server-wide \(every site\) >$'
# Directory, URL path, Extensions, then Site
tui_keys site Tab Tab Tab
tui_keys site Space
ok "screen 2: Space picks the first virtual host" tui_wait site '^  Site: +< a\.test >$'
tui_keys site Right
ok "screen 2: Right the next one" tui_wait site '^  Site: +< b\.test >$'
tui_keys site Right
ok "screen 2: and back to server-wide" tui_wait site '^  Site: +< server-wide \(every site\) >$'
tui_keys site Left
ok "screen 2: Left goes backwards" tui_wait site '^  Site: +< b\.test >$'
tui_keys site Enter
ok "screen 3: the preview maps the URL in b.test's file" \
	tui_wait site "^    - add 'Alias /cgi/ /srv/cgi/' to '/$SA/b\.conf'\$"
ok "screen 3: the section goes there too" tui_wait site "^      '/$SA/b\.conf'\$"
ok "screen 3: the test URL is b.test's" tui_wait site 'test: http://b\.test/cgi/hello\.py'
ok "screen 3: nothing in apache2.conf" tui_absent site "apache2\.conf'"
tui_keys site Enter
ok "screen 5: CGI is on" tui_wait site "^  CGI is on for '/srv/cgi', served at /cgi/\$"
ok "screen 5: the URL to test is b.test's" tui_wait site 'http://b\.test/cgi/hello\.py'
ok "screen 5: names the vhost it went into" \
	tui_wait site "^  Where: only in the virtual host 'b\\.test' \\(in\$"
ok "screen 5: and the copy it was written into" tui_wait site "^      '/$SA/b\\.conf' line 1\\)\$"
tui_keys site Enter
is "exit status 0" 0 "$(tui_wait_exit site)"
"$CGISETUP" --root "$b" --dir /srv/cgi --vhost b.test --yes >/dev/null 2>&1
is "cgisetup --vhost b.test --yes on a second copy exits 0" 0 $?
is "the wizard's tree = the command line's tree, byte for byte" "$(tree "$b")" "$(tree "$a")"

# no named vhost: no choice on the screen
c="$TMPD/c"
copy_layout own/debian "$c"
tui_start plain 80 24 "$CGISETUP" --root "$c" --dir /srv/cgi
tui_wait plain '> Set up CGI' >/dev/null
tui_keys plain Enter
tui_wait plain 'step 2 of 5' >/dev/null
ok "no named vhost: screen 2 shows the hello.py box" tui_wait plain '^  \[x\] write hello.py'
ok "no named vhost: no site choice" tui_absent plain 'Site:'
tui_keys plain Escape
done_testing
