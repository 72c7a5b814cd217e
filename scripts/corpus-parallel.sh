#!/bin/sh
# Runs `bpfscope corpus` in shards with GNU parallel, on this machine or on
# several over ssh, and merges the shards into the table of one run.
#
#   scripts/corpus-parallel.sh [-n SHARDS] [-j JOBS] [-S SSHLOGIN]... [-b BPFSCOPE]
#                              [-f csv|json|table] [-o OUT] [-- CORPUS-OPTIONS] DIR...
#
#   -n SHARDS    how many shards (default: 4)
#   -j JOBS      shards running at once on each machine (parallel's -j; default: 1,
#                as each shard already uses every core of its machine)
#   -S SSHLOGIN  run shards on this host too (GNU parallel's --sshlogin: [user@]host,
#                N/host for N shards at once there, ':' for this machine); repeat it
#   -b BPFSCOPE  the bpfscope program (default: bpfscope on PATH), on every host
#   -f FORMAT    of the merged table (default: csv)
#   -o OUT       write the merged table to OUT (default: standard output)
#   CORPUS-OPTIONS after '--' go to every shard's `bpfscope corpus` (--type,
#   --kernel-verdicts, --jobs, ...), before the directories.
#
# Every host needs bpfscope and the corpus at the same paths (a shared file
# system, or copies). Each shard writes its CSV to its standard output, which
# parallel brings back here; the merge takes the concatenation (repeated
# header lines and all) and puts the rows in the order of a single run.
set -eu

shards=4 jobs=1 bpfscope=bpfscope format=csv out=-
logins=""
while getopts n:j:S:b:f:o:h opt; do
	case $opt in
	n) shards=$OPTARG ;;
	j) jobs=$OPTARG ;;
	S) logins="$logins --sshlogin $OPTARG" ;;
	b) bpfscope=$OPTARG ;;
	f) format=$OPTARG ;;
	o) out=$OPTARG ;;
	h) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift

if ! command -v parallel >/dev/null 2>&1; then
	echo "corpus-parallel.sh: GNU parallel is not installed (Debian: apt-get install parallel)" >&2
	exit 2
fi
if [ $# -eq 0 ]; then
	echo "corpus-parallel.sh: expected DIR... (see -h)" >&2
	exit 2
fi
case $shards in
'' | *[!0-9]* | 0) echo "corpus-parallel.sh: -n takes a positive number" >&2; exit 2 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/corpus-parallel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Everything after the options is passed through as quoted words, so that
# paths with spaces survive the trip over ssh.
args=""
for a in "$@"; do
	args="$args $(printf "'%s'" "$(printf %s "$a" | sed "s/'/'\\\\''/g")")"
done

# shellcheck disable=SC2086
seq 1 "$shards" | parallel --will-cite --halt now,fail=1 -j "$jobs" $logins --keep-order \
	"$bpfscope corpus --quiet --shard {}/$shards --format csv $args" >"$tmp/shards.csv"

if [ "$out" = - ]; then
	"$bpfscope" corpus --merge --format "$format" - <"$tmp/shards.csv"
else
	"$bpfscope" corpus --merge --format "$format" -o "$out" - <"$tmp/shards.csv"
fi
