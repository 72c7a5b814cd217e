#!/bin/sh
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# a bounded time on a seed corpus made from the bundled examples (and the
# development data set when BPFS_SHARED_DIR points at it). Exits non-zero
# when a target finds a crash, a leak or a timeout.
#
#   fuzz/run.sh [seconds per target, default 30]
#
# Environment: BUILD (build directory, default build-fuzz beside the
# sources), BPFS_SHARED_DIR, CC (default clang).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
time=${1:-30}
build=${BUILD:-$src/build-fuzz}
cc=${CC:-clang}
targets="elf raw asm data verify btf core"

command -v "$cc" >/dev/null || { echo "run.sh: $cc not found" >&2; exit 2; }
cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DBPFS_FUZZ=ON -DBPFS_BUILD_TESTS=OFF >/dev/null
for t in $targets; do
	cmake --build "$build" --target "fuzz_$t" -j 2 >/dev/null
done
# The C examples are seeds when clang can build them; not fatal otherwise.
cmake --build "$build" --target bpfs_examples >/dev/null 2>&1 || true

seeds=$build/fuzz-seeds
rm -rf "$seeds"
for t in $targets; do mkdir -p "$seeds/$t"; done
cp "$build"/examples/*.o "$seeds/elf/" 2>/dev/null || true
cp "$src"/examples/asm/*.s "$seeds/asm/" 2>/dev/null || true
shared=${BPFS_SHARED_DIR:-}
if [ -n "$shared" ] && [ -d "$shared/corpus/ebpf-samples" ]; then
	# Small objects only: libFuzzer's default -max_len is 4096.
	find "$shared/corpus/ebpf-samples" -type f -size -64k ! -name '*.md' \
		-exec cp {} "$seeds/elf/" \;
fi
if [ -n "$shared" ] && [ -d "$shared/conformance" ]; then
	cp "$shared"/conformance/*.data "$seeds/data/"
	cp "$shared"/conformance/*.data "$seeds/asm/"
fi
# Hand-made seeds so every target has at least one input.
printf '\267\000\000\000\001\000\000\000\225\000\000\000\000\000\000\000' >"$seeds/raw/mov-exit.bin"
printf '\030\001\000\000\377\377\377\377\000\000\000\000\001\000\000\000\225\000\000\000\000\000\000\000' \
	>"$seeds/raw/ldimm64.bin"
printf 'r0 = 1\nexit\n' >"$seeds/asm/mov-exit.s"
printf -- '-- asm\nmov %%r0, 1\nexit\n-- result\n0x1\n' >"$seeds/data/mov-exit.data"
for f in "$build"/examples/*.o; do [ -f "$f" ] && cp "$f" "$seeds/raw/"; done 2>/dev/null || true
# The BTF readers' input: a u32 length, .BTF, then .BTF.ext, cut from
# the examples (when llvm-objcopy, which knows BPF objects, is there).
objcopy=$(command -v llvm-objcopy || command -v llvm-objcopy-14 || true)
for f in "$build"/examples/*.o; do
	[ -f "$f" ] && [ -n "$objcopy" ] || continue
	b=$(mktemp) && e=$(mktemp)
	if "$objcopy" --dump-section .BTF="$b" --dump-section .BTF.ext="$e" "$f" /dev/null 2>/dev/null && [ -s "$b" ]; then
		len=$(wc -c <"$b")
		{ printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((len & 255)) $((len >> 8 & 255)) $((len >> 16 & 255)) $((len >> 24 & 255)))"
			cat "$b" "$e"; } >"$seeds/btf/$(basename "$f").btf"
	fi
	rm -f "$b" "$e"
done
# The CO-RE engine's input: a u32 length, the target's BTF (the object's
# own), then the object; the tests' CO-RE programs when clang builds them.
for c in "$src"/tests/bpf/core_*.bpf.c; do
	"$cc" -target bpf -O2 -g -I"$src/examples/c" -I/usr/include/"$("$cc" -dumpmachine)" \
		-c "$c" -o "$seeds/$(basename "$c" .bpf.c).o" 2>/dev/null || true
done
for f in "$build"/examples/*.o "$seeds"/*.o; do
	[ -f "$f" ] && [ -n "$objcopy" ] || continue
	b=$(mktemp)
	if "$objcopy" --dump-section .BTF="$b" "$f" /dev/null 2>/dev/null && [ -s "$b" ]; then
		len=$(wc -c <"$b")
		{ printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((len & 255)) $((len >> 8 & 255)) $((len >> 16 & 255)) $((len >> 24 & 255)))"
			cat "$b" "$f"; } >"$seeds/core/$(basename "$f").core"
	fi
	rm -f "$b"
done
printf '\031\000\000\000\237\353\001\000\030\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\001\000\000\000\000' >"$seeds/btf/empty.btf"
# The verifier's input: a program-type byte, then bytecode.
for f in "$seeds"/raw/*.bin; do
	for t in 0 2 5; do
		{ printf "\\$t"; cat "$f"; } >"$seeds/verify/$t-$(basename "$f")"
	done
done

status=0
for t in $targets; do
	work=$build/fuzz-out/$t
	mkdir -p "$work/corpus" "$work/artifacts"
	echo "fuzz_$t: ${time}s"
	if ! "$build/fuzz/fuzz_$t" -max_total_time="$time" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds/$t" >"$work/log" 2>&1; then
		echo "fuzz_$t FAILED: see $work/log and $work/artifacts/" >&2
		tail -n 30 "$work/log" >&2
		status=1
	fi
done
exit $status
