#!/bin/sh
# Regenerates the README's pictures from the bundled examples: one
# picture of each view of `bpfscope dot`, and a genhtml page of
# `bpfscope cover` (its screenshot when headless Chromium is there).
#   scripts/make-pictures.sh [BUILD]      (default build)
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
bin=$build/bpfscope
ex=$build/examples
img=$src/docs/img

[ -x "$bin" ] || { echo "make-pictures.sh: build first ($bin is missing)" >&2; exit 2; }
[ -f "$ex/loop.o" ] || { echo "make-pictures.sh: the C examples were not built (clang is missing)" >&2; exit 2; }
mkdir -p "$img"
"$bin" dot -o "$img/cfg.svg" "$ex/tc_subprog.o"
"$bin" dot --states -o "$img/states.svg" "$ex/loop.o"
"$bin" dot --path --map hash:4:8:16 -o "$img/path.svg" "$ex/missing_null_check.s"
"$bin" dot --search -o "$img/search.svg" "$ex/xdp_filter.o"
"$bin" dot --heat -o "$img/heat.svg" "$ex/loop.o"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" cover -o "$work/loop.info" "$ex/loop.o" "$ex/xdp_filter.o"
if command -v genhtml >/dev/null 2>&1; then
	genhtml --quiet --branch-coverage -o "$work/html" "$work/loop.info"
	chromium=$(command -v chromium || command -v chromium-browser || true)
	page=$(find "$work/html" -name 'loop.bpf.c.gcov.html' | head -n 1)
	if [ -n "$chromium" ] && [ -n "$page" ]; then
		"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,900 \
			--screenshot="$img/cover.png" "file://$page" >/dev/null 2>&1
	fi
fi
ls -l "$img"
