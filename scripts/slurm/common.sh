# Helpers shared by start.sh and stop.sh (sourced, not run).

# `alive PID`: true while PID runs. Exited daemons linger here as zombies (nothing reaps them),
# so read the state from ps instead of `kill -0`.
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "${state:0:1}" != Z ]
}

# `wait_until SECONDS COMMAND...`: runs COMMAND every 0.2 s until it succeeds (0) or the deadline
# passes (1).
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

# `node_state STATE_DIR`: the test node's state (idle, mixed, allocated, down, ...), or nothing
# when slurmctld does not answer. Asks only when slurmctld runs: sinfo hangs ~10 s otherwise.
node_state() {
  alive "$(cat "$1/slurmctld.pid" 2>/dev/null || echo 0)" || return 0
  SLURM_CONF="$1/slurm.conf" timeout 5 sinfo -h -N -n reslab0 -o %T 2>/dev/null || true
}
