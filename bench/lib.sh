# bench/lib.sh - what the rig benchmarks share: the preconditions, fresh
# containers with the build bound read-only (stopped at exit), and the
# block cgisetup writes, captured so that the by-hand side writes the same.
# Source it after setting RIG, CGISETUP, BUILD, MNT and IN_CGISETUP.

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must be run as root (it boots containers)"
[ -x "$CGISETUP" ] || die "no cgisetup at $CGISETUP: build it first"
"$RIG" setup >/dev/null || die "the rig cannot be set up"

NAMES=()
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cgisetup-bench.XXXXXX")
cleanup() {
	local n
	for n in "${NAMES[@]}"; do
		"$RIG" stop "$n" >/dev/null 2>&1 || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

start() {  # start NAME [MPM]: boot it with the build bound read-only
	NAMES+=("$1")
	"$RIG" start "$1" --bind-ro "$BUILD:$MNT" >/dev/null || die "cannot boot '$1'"
	if [ "${2:-event}" = prefork ]; then
		in_c "$1" bash -c 'a2dismod -q mpm_event && a2enmod -q mpm_prefork &&
			systemctl restart apache2' >/dev/null || die "cannot switch '$1' to prefork"
	fi
	[ "$(in_c "$1" apache2ctl -V 2>/dev/null | sed -n 's/^Server MPM: *//p')" = "${2:-event}" ] ||
		die "'$1' does not run mpm_${2:-event}"
}

stop() {
	"$RIG" stop "$1" >/dev/null 2>&1 || true
}

in_c() {
	local c=$1
	shift
	"$RIG" exec "$c" -- "$@"
}

# capture_block NAME: in the running container NAME, let cgisetup configure
# /srv/cgi, and keep what it wrote in $TMP/hello.py and $TMP/block.conf.
capture_block() {
	in_c "$1" cp /etc/apache2/apache2.conf /tmp/apache2.conf.orig
	in_c "$1" "$IN_CGISETUP" --dir /srv/cgi --yes >/dev/null 2>&1 || die "cgisetup failed in '$1'"
	in_c "$1" cat /srv/cgi/hello.py >"$TMP/hello.py"
	in_c "$1" bash -c 'diff /tmp/apache2.conf.orig /etc/apache2/apache2.conf | sed -n "s/^> //p"' \
		>"$TMP/block.conf" || true
	grep -q '^Alias /cgi/' "$TMP/block.conf" && grep -q '^<Directory /srv/cgi>' "$TMP/block.conf" ||
		die "cannot find cgisetup's block in apache2.conf: $(cat "$TMP/block.conf")"
}
