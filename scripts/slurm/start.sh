#!/usr/bin/env bash
# Starts a one-node Slurm cluster on 127.0.0.1 for tests: munged, slurmctld and slurmd run in the
# background with every file (config, state, spool, logs, pids, munge socket) under one folder.
#
#   scripts/slurm/start.sh [STATE_DIR]     # default: a new /tmp/reslab-slurm.XXXXXX
#   export SLURM_CONF=STATE_DIR/slurm.conf # then sbatch, squeue, ... talk to this cluster
#   scripts/slurm/stop.sh STATE_DIR
#
# Prints STATE_DIR on stdout once the node is idle (messages go to stderr). Installs Slurm and
# munge first when missing (install.sh). Exit status: 0 started; 3 Slurm cannot be installed or
# run here (the test then skips); 1 it was installed but did not come up (logs are printed).
# Start it from a process that does not block signals (the daemons would inherit the mask and
# ignore SIGTERM). Runs as root: slurmd must start jobs as the submitting user. No systemd and no cgroups needed:
# processes are tracked by /proc (proctrack/linuxproc), without task binding or accounting.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"

if [ "$(id -u)" -ne 0 ]; then
  echo "reslab slurm: the test cluster must be started as root (slurmd runs jobs as their submitter)." >&2
  exit 3
fi
"$here/install.sh"

state=${1:-$(mktemp -d /tmp/reslab-slurm.XXXXXX)}
mkdir -p "$state/ctld" "$state/spool" "$state/munge" "$state/log"
chmod 755 "$state"   # munged insists that every folder above its socket is searchable by all
chown munge:munge "$state/munge"

# Two free TCP ports, so this cluster never meets a system Slurm or another test cluster.
port_free() { [ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }
port=$((20000 + RANDOM % 20000))
until port_free "$port" && port_free $((port + 1)); do port=$((port + 2)); done

cpus=$(nproc)
# RealMemory must not exceed what slurmd measures, or the node drains ("Low RealMemory").
memory_mb=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
cat > "$state/slurm.conf" <<CONF
# One-node test cluster written by scripts/slurm/start.sh.
ClusterName=reslab-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$state/munge/munge.socket
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid.conf
SlurmdPidFile=$state/slurmd.pid.conf
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerParameters=sched_interval=1
KillWait=2
MinJobAge=600
NodeName=reslab0 NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=debug Nodes=reslab0 Default=YES MaxTime=INFINITE State=UP
CONF

pids=()
fail() {
  echo "reslab slurm: $1" >&2
  for log in "$state"/log/*.log "$state"/munge/munged.log; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  exit 1
}

[ -f /etc/munge/munge.key ] || runuser -u munge -- mungekey -c >/dev/null
runuser -u munge -- munged --socket="$state/munge/munge.socket" --pid-file="$state/munge/munged.pid" \
  --log-file="$state/munge/munged.log" --seed-file="$state/munge/munged.seed" \
  || fail "munged did not start."
pids+=("$(cat "$state/munge/munged.pid")")

# -D keeps each daemon in the foreground of its own session; the pid files name what we started.
export SLURM_CONF="$state/slurm.conf"
setsid slurmctld -D -f "$SLURM_CONF" </dev/null >"$state/log/slurmctld.out" 2>&1 &
echo $! > "$state/slurmctld.pid"; pids+=($!)
setsid slurmd -D -N reslab0 -f "$SLURM_CONF" </dev/null >"$state/log/slurmd.out" 2>&1 &
echo $! > "$state/slurmd.pid"; pids+=($!)

node_idle() {
  for pid in "${pids[@]}"; do alive "$pid" || fail "a daemon (pid $pid) exited during start-up."; done
  [ "$(node_state "$state")" = idle ]
}
wait_until 30 node_idle || fail "the node did not become idle within 30 s (state: $(node_state "$state"))."
echo "reslab slurm: one-node cluster up (port $port, $cpus CPUs); export SLURM_CONF=$SLURM_CONF" >&2
echo "$state"
