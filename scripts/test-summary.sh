#!/bin/sh
# After ctest: which test cases were skipped and why, and where the
# development data set was looked for. Reads the TAP output that the test
# programs (run as `--tap -k`) leave in ctest's log: "ok N /path # SKIP why".
#   scripts/test-summary.sh BUILD_DIR
set -eu

build=${1:-build}
log="$build/Testing/Temporary/LastTest.log"
cache="$build/CMakeCache.txt"

shared=$(sed -n 's/^BPFS_SHARED_DIR:[A-Z]*=//p' "$cache" 2>/dev/null || true)
if [ -z "$shared" ]; then
	:
elif [ -d "$shared" ]; then
	echo "Development data set: $shared"
else
	echo "Development data set: not found at $shared; the tests that need it skip."
	echo "Point them at a copy with: make test BPFS_SHARED_DIR=/path/to/shared (see README.md)."
fi

[ -r "$log" ] || exit 0
# One line per test program and reason: the first case, how many more.
awk '
/^[0-9]+\/[0-9]+ Test: / { prog = $3; next }
/^ok [0-9]+ [^ ]+ # SKIP/ {
	why = $0
	sub(/^ok [0-9]+ [^ ]+ # SKIP ?/, "", why)
	if (why == "") why = "(no reason given)"
	key = prog SUBSEP why
	if (!(key in n)) { order[++keys] = key; first[key] = $3 }
	n[key]++
	total++
}
END {
	if (!total) exit
	printf "Skipped %d test case%s:\n", total, total == 1 ? "" : "s"
	for (i = 1; i <= keys; i++) {
		k = order[i]
		split(k, part, SUBSEP)
		more = n[k] > 1 ? sprintf(" and %d more", n[k] - 1) : ""
		printf "  %s %s%s: %s\n", part[1], first[k], more, part[2]
	}
}' "$log"
