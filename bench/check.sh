#!/bin/bash
# bench/check.sh - cgisetup --check on a directory of N scripts (default
# 1000, a mix of working and broken ones: CRLF, a byte order mark, no
# shebang, env python, Python 2 prints, no exec bit) on a --root copy of
# the Debian layout, side by side with `find DIR -type f -exec head -c 64
# {} +` (reading each script's first bytes: the floor of any check that
# looks at them), in one run (bench/compare.py: interleaved rounds, median
# wall time, peak RSS, ratios). --check reads the scripts; it runs none.
#
#   bench/check.sh [N]        BENCH_RUNS (10) rounds
#
# The target (issue 12): under 1 s for 1000 scripts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
export TOP_SRCDIR="$top"
# shellcheck source=../tests/lib.sh
. "$top/tests/lib.sh"
: "${CGISETUP:=$top/cgisetup}"
n=${1:-1000}

root="$TMPD/check"
cp -a "$top/tests/layouts/debian" "$root"
mkdir -p "$root/usr/bin" "$root/srv/cgi"
printf '#!/bin/sh\nexit 0\n' >"$root/usr/bin/python3.11"
chmod 0755 "$root/usr/bin/python3.11"
ln -s python3.11 "$root/usr/bin/python3"
"$CGISETUP" --root "$root" --dir /srv/cgi --yes >/dev/null

python3 - "$root/srv/cgi" "$n" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
body = "".join('print("line %d of a page")\n' % i for i in range(40))
kinds = [
    ("#!/usr/bin/python3\n", "\n", 0o755),
    ("#!/usr/bin/python3\r\n", "\r\n", 0o755),
    ("\ufeff#!/usr/bin/python3\n", "\n", 0o755),
    ("", "\n", 0o755),
    ("#! /usr/bin/env python\n", "\n", 0o755),
    ("#!/usr/bin/python3\n", "\n", 0o644),
]
for i in range(n):
    first, nl, mode = kinds[i % len(kinds)]
    text = first + 'print("Content-Type: text/html")' + nl + "print()" + nl
    if i % 7 == 0:
        text += 'print "<p>old style</p>"\n'
    text += body.replace("\n", nl)
    p = os.path.join(d, "s%05d.py" % i)
    with open(p, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.chmod(p, mode)
PY

"$CGISETUP" --root "$root" --check /srv/cgi --json >"$TMPD/out.json" || true
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("# --check read %d scripts: %d findings (%s)" % (d["scripts"], len(d["findings"]), d["status"]))' \
	"$TMPD/out.json"
python3 "$here/compare.py" --runs "${BENCH_RUNS:-10}" \
	--name cgisetup-check -- sh -c '"$0" --root "$1" --check /srv/cgi; [ $? -le 1 ]' \
	"$CGISETUP" "$root" \
	--name find-head-64 -- find "$root/srv/cgi" -type f -exec head -c 64 {} +
