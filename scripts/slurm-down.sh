#!/usr/bin/env bash
# Stop the single-node SLURM cluster of scripts/slurm-up.sh (slurmd, slurmctld; munged too
# with --munge). Only the daemons whose pid files slurm-up.sh's configuration names.
set -uo pipefail
state=${STRAXTS_SLURM_STATE:-/var/lib/straxts-slurm}
for d in slurmd slurmctld; do
  f="$state/$d.pid"
  pid=$(cat "$f" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
done
if [ "${1:-}" = --munge ]; then
  pid=$(cat /run/munge/munged.pid 2>/dev/null || true)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
fi
