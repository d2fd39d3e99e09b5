// The state of every run of a batch, from what its tasks recorded and what SLURM still queues.

import { join, relative } from 'node:path';
import { formatTable } from '../table.js';
import type { BatchRecord, Submission, TaskRecord } from './batch-folder.js';
import type { QueueState } from './slurm.js';

export type TaskState = 'not submitted' | 'pending' | 'running' | 'done' | 'failed' | 'cancelled' | 'killed';

export interface TaskStatus {
  index: number;
  run: string;
  state: TaskState;
  /** straxer's exit code, when failed. */
  exitCode?: number;
  /** The array job of the latest submission of this task: JOB_INDEX. */
  task: string;
  log: string;
}

/** The submission that last asked for this index (resubmissions replace earlier ones). */
function latestSubmission(rec: BatchRecord, index: number): Submission | undefined {
  return rec.submissions.filter((s) => s.indices.includes(index)).at(-1);
}

export function taskStatuses(
  dir: string,
  rec: BatchRecord,
  records: (index: number) => TaskRecord,
  queued: Map<string, Map<number, QueueState>>,
): TaskStatus[] {
  return rec.runs.map((run, index) => {
    const sub = latestSubmission(rec, index);
    const base = {
      index,
      run,
      task: sub ? `${sub.jobId}_${index}` : '-',
      log: join(dir, 'logs', `${run}.log`),
    };
    if (!sub) return { ...base, state: 'not submitted' };
    const q = sub ? queued.get(sub.jobId)?.get(index) : undefined;
    if (q) return { ...base, state: q === 'PENDING' ? 'pending' : 'running' };
    const r = records(index);
    if (r.exit && (r.exit.jobId === sub?.jobId || r.exit.code === 0)) {
      if (r.exit.code === 0) return { ...base, state: 'done' };
      if (r.exit.code === 'cancelled') return { ...base, state: 'cancelled' };
      return { ...base, state: 'failed', exitCode: r.exit.code };
    }
    // Started but no exit recorded: killed outright (SIGKILL, out of memory, node lost).
    if (sub && r.startedBy === sub.jobId) return { ...base, state: 'killed' };
    return { ...base, state: 'cancelled' };
  });
}

/** Runs to submit again: those that ended without success. */
export function needsResubmission(tasks: readonly TaskStatus[]): TaskStatus[] {
  const redo: ReadonlySet<TaskState> = new Set(['not submitted', 'failed', 'cancelled', 'killed']);
  return tasks.filter((t) => redo.has(t.state));
}

export function formatStatus(dir: string, rec: BatchRecord, tasks: readonly TaskStatus[]): string {
  const jobs = rec.submissions.map((s) => s.jobId);
  const count = (s: TaskState) => tasks.filter((t) => t.state === s).length;
  const rel = (p: string) => relative(process.cwd(), p) || '.';
  const head =
    `batch ${rel(dir)}: ${rec.runs.length} run${rec.runs.length === 1 ? '' : 's'} to ` +
    `${rec.targets.join(', ')}; job${jobs.length === 1 ? '' : 's'} ${jobs.join(', ') || 'not submitted'}`;
  const table = formatTable(
    ['index', 'run', 'state', 'task', 'log'],
    tasks.map((t) => [
      String(t.index),
      t.run,
      t.state === 'failed' ? `failed (exit ${t.exitCode})` : t.state,
      t.task,
      rel(t.log),
    ]),
    new Set([0]),
  );
  const parts = (['done', 'running', 'pending', 'failed', 'cancelled', 'killed', 'not submitted'] as const)
    .filter((s) => count(s) > 0)
    .map((s) => `${count(s)} ${s}`);
  const redo = needsResubmission(tasks);
  const active = count('pending') + count('running');
  let verdict: string;
  if (redo.length === 0 && active === 0)
    verdict = tasks.length === 1 ? '1 run done' : `all ${tasks.length} runs done`;
  else if (active > 0) verdict = `${parts.join(', ')}; still working`;
  else
    verdict = `${parts.join(', ')}; resubmit the ${redo.length} that did not finish: straxts batch --resubmit ${jobs.at(-1) ?? rel(dir)}`;
  return `${head}\n${verdict}\n\n${table}\n`;
}
