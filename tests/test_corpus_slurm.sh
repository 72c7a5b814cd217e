#!/bin/sh
# A one-node Slurm cluster of its own for test_corpus_shard, in a private
# directory with its own configuration and ports, so that it touches no
# cluster the machine may have.
#   tests/test_corpus_slurm.sh start DIR   prints SLURM_CONF=DIR/slurm.conf; exit 77 with the reason
#                                           on stderr when the daemons cannot start here
#   tests/test_corpus_slurm.sh stop DIR    stops the daemons that start began (by their pid files)
set -u

cmd=$1 dir=$2

skip() {
	echo "$*" >&2
	exit 77
}

stop() {
	for d in slurmd slurmctld munged; do
		[ -f "$dir/$d.pid" ] && kill "$(cat "$dir/$d.pid")" 2>/dev/null
		rm -f "$dir/$d.pid"
	done
	return 0
}

case $cmd in
stop)
	stop
	exit 0
	;;
start) ;;
*) exit 2 ;;
esac

for p in sbatch slurmctld slurmd munged munge; do
	command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] ||
		skip "$p is not installed (Debian: apt-get install slurm-wlm)"
done
[ "$(id -u)" = 0 ] || skip "starting slurmctld and slurmd takes root"
[ -r /etc/munge/munge.key ] || skip "munge has no key (/etc/munge/munge.key)"
PATH=$PATH:/usr/sbin
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
host=$(hostname -s)
cpus=$(nproc)

# munge authenticates Slurm's messages; start it unless it runs already.
if ! munge -n >/dev/null 2>&1; then
	mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null
	# munged runs as munge and writes its pid file itself
	chmod 755 "$dir"
	su -s /bin/sh munge -c "munged --pid-file=$dir/munged.pid" 2>"$dir/log/munged.err" ||
		skip "munged does not start here: $(cat "$dir/log/munged.err")"
	chmod a+r "$dir/munged.pid" 2>/dev/null
	sleep 1
	munge -n >/dev/null 2>&1 || skip "munged started but does not answer"
fi

# Ports of its own, from the directory's name, away from Slurm's 6817/6818.
port=$((20000 + $(printf %s "$dir" | cksum | cut -d' ' -f1) % 20000))
cat >"$dir/slurm.conf" <<CONF
ClusterName=bpfscopetest
SlurmctldHost=$host
SlurmUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SchedulerType=sched/builtin
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -i >"$dir/log/slurmctld.err" 2>&1 || { stop; skip "slurmctld does not start here: $(tail -3 "$dir/log/slurmctld.err")"; }
slurmd >"$dir/log/slurmd.err" 2>&1 || { stop; skip "slurmd does not start here: $(tail -3 "$dir/log/slurmd.err")"; }
for _ in $(seq 1 30); do
	if sinfo -h -o %T 2>/dev/null | grep -q idle; then
		echo "SLURM_CONF=$SLURM_CONF"
		exit 0
	fi
	sleep 1
done
stop
skip "the one-node Slurm started but its node never became idle: $(tail -3 "$dir/log/slurmctld.log" 2>/dev/null)"
