#!/usr/bin/env bash
# Stops the cluster that start.sh started in STATE_DIR, and nothing else: cancels its jobs, waits
# for the node to be idle, `scontrol shutdown` (stops slurmctld and slurmd cleanly), then munged.
# Daemons still running 10 s later get SIGTERM, then SIGKILL. Start and stop it from a process
# that does not block signals: daemons inherit the mask, and then ignore SIGTERM and shutdown.
#
#   scripts/slurm/stop.sh STATE_DIR [--remove]   # --remove also deletes STATE_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
state=${1:?usage: stop.sh STATE_DIR [--remove]}
[ -f "$state/slurm.conf" ] || { echo "reslab slurm: $state holds no slurm.conf; nothing to stop." >&2; exit 1; }
export SLURM_CONF="$state/slurm.conf"

daemons=()
for file in "$state/slurmctld.pid" "$state/slurmd.pid"; do
  [ -f "$file" ] && daemons+=("$(cat "$file")")
done
munged_pid=$(cat "$state/munge/munged.pid" 2>/dev/null || true)
none_alive() { for pid in "$@"; do alive "$pid" && return 1; done; return 0; }

if alive "$(cat "$state/slurmctld.pid" 2>/dev/null || echo 0)"; then
  timeout 5 scancel --full --quiet --user="$(id -un)" 2>/dev/null
  node_settled() { case "$(node_state "$state")" in idle|down*|drain*|"") true ;; *) false ;; esac; }
  wait_until 20 node_settled || echo "reslab slurm: the node is still busy after 20 s; shutting down anyway." >&2
  timeout 10 scontrol shutdown >/dev/null 2>&1
fi
if ! wait_until 10 none_alive "${daemons[@]}"; then
  echo "reslab slurm: slurm daemons still running 10 s after shutdown; sending SIGTERM." >&2
  for pid in "${daemons[@]}"; do alive "$pid" && kill "$pid"; done
  wait_until 5 none_alive "${daemons[@]}" || for pid in "${daemons[@]}"; do alive "$pid" && kill -9 "$pid"; done
fi
if [ -n "$munged_pid" ] && alive "$munged_pid"; then
  kill "$munged_pid"
  wait_until 5 none_alive "$munged_pid" || kill -9 "$munged_pid"
fi
if [ "${2:-}" = --remove ]; then rm -rf "$state"; fi
echo "reslab slurm: cluster in $state stopped." >&2
