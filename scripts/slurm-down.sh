#!/usr/bin/env bash
# Stop the single-node SLURM cluster of scripts/slurm-up.sh (slurmd, slurmctld; munged too
# with --munge). Only the daemons whose pid files slurm-up.sh's configuration names.
set -uo pipefail
state=${STRAXTS_SLURM_STATE:-/var/lib/straxts-slurm}
for d in slurmd slurmctld; do
  f="$state/$d.pid"
  if [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then
    kill "$(cat "$f")"
    for _ in $(seq 50); do kill -0 "$(cat "$f")" 2>/dev/null || break; sleep 0.1; done
  fi
done
if [ "${1:-}" = --munge ] && [ -f /run/munge/munged.pid ]; then
  kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true
fi
