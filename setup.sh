#!/bin/sh
# Set-up and first run on a Debian 12 machine with nothing installed:
#   ./setup.sh demo     packages, build, install, then the demo
#   ./setup.sh test     packages, build, install, then every test
#   ./setup.sh          packages, build and install only
# 1. scripts/deps.sh installs the Debian packages that are missing (make,
#    cmake, the compilers, the libraries) when run as root; as another user
#    it names them and the apt-get command, and set-up stops there.
# 2. As root, `make install` puts the bpfscope program into /usr/local/bin
#    (PREFIX=dir installs elsewhere, for any user), so the README's tour
#    works as written. Without an install, the program is build/bpfscope.
# 3. Then `make` runs the targets given. Make variables may follow the
#    targets (BUILD=dir, SANITIZE=1, PREFIX=dir, TESTS=regex).
# POSIX sh only: a fresh Debian has no bash-only features to rely on.
set -eu
cd "$(dirname "$0")"

if ! scripts/deps.sh; then
	echo "then run again: ./setup.sh $*" >&2
	exit 1
fi

install=no
prefix=/usr/local
build=build
for a in "$@"; do
	case "$a" in
	PREFIX=*) install=yes; prefix=${a#PREFIX=} ;;
	BUILD=*) build=${a#BUILD=} ;;
	esac
done
[ "$(id -u)" = 0 ] && install=yes
case "$build" in
/*) ;;
*) build="$(pwd)/$build" ;;
esac

if [ "$install" = yes ]; then
	make install "$@"
	if [ "$(command -v bpfscope || true)" != "$prefix/bin/bpfscope" ]; then
		echo
		echo "bpfscope is installed in $prefix/bin, which is not first on PATH:"
		echo "    export PATH=\"$prefix/bin:\$PATH\""
	fi
else
	make "$@"
	echo
	echo "bpfscope was not installed (that needs root, or PREFIX=dir)."
	echo "To run it as the README does, put the build first on PATH:"
	echo "    export PATH=\"$build:\$PATH\""
fi
