#!/bin/sh
# bpfscope corpus as a Slurm array job: one array task per shard, then one
# job that merges the shards into the table of one run.
#
# Submit it (from a directory every node sees, with bpfscope and the corpus
# at the same paths on every node):
#
#   scripts/corpus-slurm.sh submit [-n SHARDS] [-b BPFSCOPE] [-o OUT.csv] [-d WORKDIR]
#                                  [-s 'SBATCH-OPTIONS'] [-- CORPUS-OPTIONS] DIR...
#
# which runs, in effect,
#
#   sbatch --array=1-SHARDS scripts/corpus-slurm.sh shard WORKDIR ... DIR...
#   sbatch --dependency=afterok:<array job> scripts/corpus-slurm.sh merge WORKDIR OUT.csv
#
# and prints the two job ids. Each array task writes WORKDIR/shard-K.csv
# (K = SLURM_ARRAY_TASK_ID); the merge writes OUT.csv (default:
# WORKDIR/corpus.csv). `-s` passes options to both sbatch calls
# (--partition, --time, ...).
#SBATCH --job-name=bpfscope-corpus
#SBATCH --cpus-per-task=1
set -eu

die() {
	echo "corpus-slurm.sh: $*" >&2
	exit 2
}

bpfscope=${BPFSCOPE:-bpfscope}
mode=${1:-}
[ $# -gt 0 ] && shift

case $mode in
shard)
	# shard WORKDIR SHARDS CORPUS-ARGS...: run by each array task
	work=$1 shards=$2
	shift 2
	k=${SLURM_ARRAY_TASK_ID:?not run as a Slurm array task}
	"$bpfscope" corpus --quiet --shard "$k/$shards" --format csv -o "$work/shard-$k.csv.part" "$@" \
		>"$work/shard-$k.summary"
	mv "$work/shard-$k.csv.part" "$work/shard-$k.csv"
	;;
merge)
	# merge WORKDIR SHARDS OUT: run once every shard is done
	work=$1 shards=$2 out=$3
	files=""
	k=1
	while [ "$k" -le "$shards" ]; do
		[ -f "$work/shard-$k.csv" ] || die "shard $k of $shards wrote no table ($work/shard-$k.csv)"
		files="$files $work/shard-$k.csv"
		k=$((k + 1))
	done
	# shellcheck disable=SC2086
	"$bpfscope" corpus --merge --format csv -o "$out" $files
	;;
submit)
	shards=4 out="" work="" sbopts=""
	while getopts n:b:o:d:s: opt; do
		case $opt in
		n) shards=$OPTARG ;;
		b) bpfscope=$OPTARG ;;
		o) out=$OPTARG ;;
		d) work=$OPTARG ;;
		s) sbopts=$OPTARG ;;
		*) exit 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	[ "${1:-}" = "--" ] && shift
	[ $# -gt 0 ] || die "expected DIR..."
	command -v sbatch >/dev/null 2>&1 || die "sbatch is not installed (Debian: slurm-client, slurm-wlm)"
	[ -n "$work" ] || work=$(pwd)/bpfscope-corpus.$$
	mkdir -p "$work"
	work=$(cd "$work" && pwd)
	[ -n "$out" ] || out=$work/corpus.csv
	case $out in /*) ;; *) out=$(pwd)/$out ;; esac
	self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
	# shellcheck disable=SC2086
	array=$(BPFSCOPE=$bpfscope sbatch --parsable --export=ALL,BPFSCOPE="$bpfscope" $sbopts \
		--array="1-$shards" --output="$work/slurm-%A_%a.out" "$self" shard "$work" "$shards" "$@")
	array=${array%%;*}
	# shellcheck disable=SC2086
	merge=$(sbatch --parsable --export=ALL,BPFSCOPE="$bpfscope" $sbopts --dependency="afterok:$array" \
		--output="$work/slurm-merge-%j.out" "$self" merge "$work" "$shards" "$out")
	echo "array job $array ($shards shards), merge job ${merge%%;*}: $out"
	;;
*)
	die "usage: corpus-slurm.sh submit [-n SHARDS] [-b BPFSCOPE] [-o OUT.csv] [-d WORKDIR] [-s SBATCH-OPTIONS] DIR..."
	;;
esac
