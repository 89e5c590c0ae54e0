#!/bin/sh
# install-deps.sh - install everything cgisetup needs to build and test,
# on Debian or Ubuntu (apt-get). With --apache, also install Debian's
# Apache when none is installed, so cgisetup has a server to configure.
#
# Other distributions (package names, not run by this script):
#   Fedora/RHEL: gcc make autoconf automake gettext-devel pkgconf-pkg-config
#                augeas-devel augeas-libs systemd-devel libcurl-devel
#                ncurses-devel httpd python3 patch tmux
#   Arch:        base-devel autoconf automake gettext pkgconf augeas systemd
#                curl ncurses apache python patch tmux
#
# debhelper (with dh-autoreconf) builds the .deb (debian/, dpkg-buildpackage
# from build-essential's dpkg-dev) and lintian checks it: .ci/run and
# tests/system/deb.sh.
#
# clang and libclang-rt-14-dev (libFuzzer, Debian 12) build tests/fuzz; the
# sanitizer build (--enable-sanitizers) needs only gcc's libasan/libubsan,
# which build-essential brings.
set -eu

with_apache=no
for arg in "$@"; do
	case "$arg" in
	--apache) with_apache=yes ;;
	*) echo "usage: $0 [--apache]" >&2; exit 2 ;;
	esac
done

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: run as root (sudo $0 $*)" >&2
	exit 1
fi

packages="build-essential autoconf automake autopoint gettext pkg-config
	libaugeas-dev augeas-lenses augeas-tools libsystemd-dev
	libcurl4-openssl-dev libncurses-dev
	python3 patch curl tmux strace util-linux locales
	apache2-utils mmdebstrap systemd-container
	clang libclang-rt-14-dev groff-base mandoc bash-completion zsh
	ansible debhelper lintian"
if [ "$with_apache" = yes ] && ! command -v apache2ctl >/dev/null 2>&1 &&
	! command -v apachectl >/dev/null 2>&1; then
	packages="$packages apache2"
fi
# apache2-bin gives the tests `apache2 -t` without a running server.
packages="$packages apache2-bin"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $packages
