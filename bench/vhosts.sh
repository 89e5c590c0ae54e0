#!/bin/bash
# bench/vhosts.sh - cgisetup --dry-run on a Debian tree with N name-based
# virtual hosts (default 10000, one site file each, as a hosting server
# has them) against Apache's own config test, `apache2 -t`, on the same
# tree, side by side in one run (bench/compare.py: interleaved rounds,
# median wall time, peak RSS, ratios). Run on demand, as root or not;
# needs /usr/sbin/apache2 (apache2-bin).
#
#   bench/vhosts.sh [N]        BENCH_RUNS (10) rounds
#
# The target (issue 10): the dry-run at most 0.6x apache2 -t, peak memory
# under 40 MiB.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
export TOP_SRCDIR="$top"
# shellcheck source=../tests/lib.sh
. "$top/tests/lib.sh"
: "${CGISETUP:=$top/cgisetup}"
n=${1:-10000}

[ -x /usr/sbin/apache2 ] || { echo "bench: needs /usr/sbin/apache2 (apache2-bin)" >&2; exit 1; }
base="$top/tests/layouts/debian"
root="$TMPD/vhosts"
if [ -d "$base" ]; then
	cp -a "$base" "$root"
else
	have_fixtures || { echo "bench: no Debian layout" >&2; exit 1; }
	copy_layout debian-12 "$root"
fi
E="$root/etc/apache2"

# One file per site, each with what real sites carry: names, a document
# root with its own section, logs, a redirect and an alias.
python3 - "$E" "$n" <<'EOF'
import os, sys
etc, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    name = "site%05d.example" % i
    text = f"""<VirtualHost *:80>
	ServerName {name}
	ServerAlias www.{name}
	DocumentRoot /var/www/{name}
	<Directory /var/www/{name}>
		Options -Indexes +FollowSymLinks
		AllowOverride None
		Require all granted
	</Directory>
	Alias /static/ /var/www/{name}/static/
	Redirect permanent /old/ http://{name}/new/
	ErrorLog ${{APACHE_LOG_DIR}}/{name}-error.log
	CustomLog ${{APACHE_LOG_DIR}}/{name}-access.log combined
</VirtualHost>
"""
    with open(os.path.join(etc, "sites-available", name + ".conf"), "w") as f:
        f.write(text)
    os.symlink("../sites-available/" + name + ".conf",
               os.path.join(etc, "sites-enabled", name + ".conf"))
EOF

# apache2 -t reads envvars for its ${APACHE_*}; its run/lock/log dirs are
# pointed into the scratch directory so that it touches nothing else.
cat >"$TMPD/apache2-t" <<EOF
#!/bin/sh
set -a
. '$E/envvars'
APACHE_RUN_DIR=$TMPD APACHE_LOCK_DIR=$TMPD APACHE_LOG_DIR=$TMPD
exec /usr/sbin/apache2 -d '$E' -f '$E/apache2.conf' -t 2>/dev/null
EOF
chmod +x "$TMPD/apache2-t"
"$TMPD/apache2-t" || { echo "bench: apache2 -t refuses the generated tree" >&2; exit 1; }

echo "# $n name-based virtual hosts under $root"
python3 "$here/compare.py" --runs "${BENCH_RUNS:-10}" \
	--name cgisetup-dry-run -- "$CGISETUP" --root "$root" --dir /srv/cgi --dry-run \
	--name apache2-t -- "$TMPD/apache2-t"
