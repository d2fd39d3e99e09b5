// The SLURM commands straxts batch uses: sbatch to submit, squeue for what is still queued or
// running. Accounting (sacct) is not needed: tasks record their own exit codes.

import { spawnSync } from 'node:child_process';
import { UserError } from '../user-error.js';

function slurm(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new UserError(
      `${cmd} not found: straxts batch needs a SLURM cluster (run it where sbatch works, or use --dry_run)`,
    );
  if (r.status !== 0) {
    const why = (r.stderr || r.stdout || `exit ${r.status ?? r.signal}`).trim().split('\n').at(-1);
    throw new UserError(`${cmd} failed: ${why}`);
  }
  return r.stdout;
}

/** Submit the script as an array job over `array` (SLURM syntax, e.g. 0-2 or 1,4); the job id. */
export function submitArray(script: string, array: string): string {
  const out = slurm('sbatch', ['--parsable', `--array=${array}`, script]).trim();
  const id = out.split(';')[0]!;
  if (!/^\d+$/.test(id)) throw new UserError(`sbatch gave no job id (it said '${out}')`);
  return id;
}

export type QueueState = 'PENDING' | 'RUNNING' | string;

/** array index → state, for tasks of these array jobs that SLURM still holds (pending or running). */
export function queuedTasks(jobIds: readonly string[]): Map<string, Map<number, QueueState>> {
  const out = new Map<string, Map<number, QueueState>>();
  if (jobIds.length === 0) return out;
  // -r lists each array task on its own line ("12 3 RUNNING"); finished tasks are not listed.
  // All of the user's jobs, not -j: squeue fails on a job id it has already forgotten.
  const text = slurm('squeue', ['-h', '-r', '--me', '-o', '%F %K %T']);
  const wanted = new Set(jobIds);
  for (const line of text.split('\n')) {
    const [job, index, state] = line.trim().split(/\s+/);
    if (!job || !wanted.has(job) || !index || !state || !/^\d+$/.test(index)) continue;
    if (!out.has(job)) out.set(job, new Map());
    out.get(job)!.set(Number(index), state);
  }
  return out;
}
