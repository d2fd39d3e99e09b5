#!/usr/bin/env bash
# A single-node SLURM cluster on this machine (Debian's slurm-wlm and munge), for the batch
# tests and CI: munge key and daemon, a generated slurm.conf, slurmctld and slurmd.
# Idempotent: whatever already runs is left running. Needs root. Prints the slurm.conf path.
# Stop it with scripts/slurm-down.sh.
set -euo pipefail

state=${STRAXTS_SLURM_STATE:-/var/lib/straxts-slurm}
conf=/etc/slurm/slurm.conf
host=$(hostname -s)

if [ "$(id -u)" != 0 ]; then
  echo "slurm-up: needs root (it starts munged, slurmctld and slurmd)" >&2
  exit 2
fi
for exe in munged slurmctld slurmd sbatch; do
  command -v "$exe" >/dev/null || { echo "slurm-up: $exe not found; apt-get install slurm-wlm munge" >&2; exit 2; }
done

# munge: the key, then the daemon as user munge.
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
fi
chown -R munge:munge /etc/munge && chmod 700 /etc/munge && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/lib/munge /var/log/munge
chown munge:munge /run/munge /var/lib/munge /var/log/munge
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi

# slurm.conf: written when missing or when it is ours (an operator's own file is left alone).
mkdir -p "$state/ctld" "$state/d" /etc/slurm
mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
if [ ! -e "$conf" ] || grep -q '^# written by straxts scripts/slurm-up.sh' "$conf"; then
  cat >"$conf.tmp" <<EOF
# written by straxts scripts/slurm-up.sh: a single-node cluster for tests
ClusterName=straxts
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
MinJobAge=3600
KillWait=5
NodeName=$host CPUs=2 RealMemory=$mem_mb State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$conf.tmp" "$conf"
fi

if ! scontrol ping 2>/dev/null | grep -q 'is UP'; then
  slurmctld
  for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q 'is UP' && break; sleep 0.1; done
fi
if ! { [ -f "$state/slurmd.pid" ] && kill -0 "$(cat "$state/slurmd.pid")" 2>/dev/null; }; then
  slurmd
fi
# The node is usable when idle, mixed or allocated; bring it back if an earlier stop left it down.
for _ in $(seq 100); do
  st=$(sinfo -h -n "$host" -o '%T' 2>/dev/null || true)
  case "$st" in
    idle* | mixed* | allocated* | completing*) echo "$conf"; exit 0 ;;
    down* | drain*) scontrol update NodeName="$host" State=RESUME 2>/dev/null || true ;;
  esac
  sleep 0.2
done
echo "slurm-up: node $host did not become ready (state '$st'); see $state/slurmctld.log and $state/slurmd.log" >&2
exit 1
