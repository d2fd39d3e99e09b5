// A batch folder: everything one `straxts batch` holds on disk.
//   runs.txt       the runs, one a line (array task N processes line N+1)
//   job.sbatch     the job script (sbatch-script.ts)
//   batch.json     what was asked and every submission (job id, array indices)
//   logs/RUN.log   straxer's output for each run; logs/slurm-JOB_TASK.out: SLURM's own
//   status/N.started, status/N.exit   written by task N ("JOBID EXITCODE" or "JOBID cancelled")
// and, in ./strax_batch/jobs/JOBID, the folder of each submitted job (for --status JOBID).

import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../user-error.js';

export interface Submission {
  jobId: string;
  indices: number[];
  at: string;
}

export interface BatchRecord {
  targets: string[];
  runs: string[];
  workDir: string;
  straxerArgs: string[];
  submissions: Submission[];
}

/** Where batch folders go by default, under the working directory. */
export const BATCH_ROOT = 'strax_batch';

function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}_temp`, text);
  renameSync(`${file}_temp`, file);
}

export function createBatchFolder(dir: string, rec: BatchRecord, script: string): void {
  if (existsSync(join(dir, 'batch.json')))
    throw new UserError(`${dir} already holds a batch; give another --batch_dir`);
  for (const sub of ['logs', 'status']) mkdirSync(join(dir, sub), { recursive: true });
  writeAtomic(join(dir, 'runs.txt'), rec.runs.join('\n') + '\n');
  writeAtomic(join(dir, 'job.sbatch'), script);
  saveBatch(dir, rec);
}

export function saveBatch(dir: string, rec: BatchRecord): void {
  writeAtomic(join(dir, 'batch.json'), JSON.stringify(rec, null, 1) + '\n');
}

export function loadBatch(dir: string): BatchRecord {
  try {
    return JSON.parse(readFileSync(join(dir, 'batch.json'), 'utf8')) as BatchRecord;
  } catch {
    throw new UserError(`${dir} is not a batch folder (no readable batch.json)`);
  }
}

/** Remember which folder a job belongs to (./strax_batch/jobs/JOBID holds its path). */
export function rememberJob(jobId: string, dir: string, root = BATCH_ROOT): void {
  mkdirSync(join(root, 'jobs'), { recursive: true });
  writeAtomic(join(root, 'jobs', jobId), resolve(dir) + '\n');
}

/** The batch written or submitted last from this working directory (by its batch.json's time). */
function latestBatch(root: string): string {
  const candidates = new Set<string>();
  if (existsSync(root)) {
    for (const name of readdirSync(root)) candidates.add(resolve(root, name));
    if (existsSync(join(root, 'jobs')))
      for (const id of readdirSync(join(root, 'jobs')))
        candidates.add(readFileSync(join(root, 'jobs', id), 'utf8').trim());
  }
  let best: string | null = null,
    bestTime = -1;
  for (const dir of candidates) {
    const f = join(dir, 'batch.json');
    if (!existsSync(f)) continue;
    const t = statSync(f).mtimeMs;
    if (t > bestTime) [best, bestTime] = [dir, t];
  }
  if (!best) throw new UserError(`no batch in ./${root} yet; start one with --run_list FILE --target T`);
  return best;
}

/** The batch folder of JOB: a folder path, or a job id submitted from this working directory;
 * without JOB, the latest batch. */
export function findBatch(job: string | true, root = BATCH_ROOT): string {
  if (job === true) return latestBatch(root);
  if (existsSync(join(job, 'batch.json'))) return resolve(job);
  if (/^\d+$/.test(job) && existsSync(join(root, 'jobs', job))) {
    const dir = readFileSync(join(root, 'jobs', job), 'utf8').trim();
    if (existsSync(join(dir, 'batch.json'))) return dir;
  }
  throw new UserError(
    `no batch with job id or folder '${job}' (looked in ./${root}); give the batch folder instead`,
  );
}

/** What a task wrote: started by which job, and its exit code (or cancelled) if it ended. */
export interface TaskRecord {
  startedBy: string | null;
  exit: { jobId: string; code: number | 'cancelled' } | null;
}

export function readTaskRecord(dir: string, index: number): TaskRecord {
  const read = (f: string): string | null => {
    try {
      return readFileSync(join(dir, 'status', f), 'utf8').trim();
    } catch {
      return null;
    }
  };
  const started = read(`${index}.started`);
  const exit = read(`${index}.exit`);
  let parsed: TaskRecord['exit'] = null;
  if (exit) {
    const [jobId, code] = exit.split(/\s+/);
    if (jobId && code) parsed = { jobId, code: code === 'cancelled' ? 'cancelled' : Number(code) };
  }
  return { startedBy: started?.split(/\s+/)[0] ?? null, exit: parsed };
}
