#!/bin/sh
# Makes sure the Debian packages bpfscope needs are installed. As root it
# installs the missing ones with apt-get; otherwise it names them and the
# command to run, and fails.
#   scripts/deps.sh            build, test and demo dependencies
set -eu

PKGS="cmake make gcc libc6-dev pkg-config libglib2.0-dev libjson-glib-dev libelf-dev
libbpf-dev libgraphviz-dev libz3-dev lcov clang llvm"

if ! command -v dpkg-query >/dev/null 2>&1; then
	# Not Debian: let CMake's pkg-config checks say what is missing.
	exit 0
fi

missing=""
for p in $PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	echo "Installing missing packages:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
	exit 0
fi

echo "bpfscope needs these Debian packages, which are not installed:$missing" >&2
echo "Install them as root with:" >&2
echo "    apt-get install$missing" >&2
exit 1
