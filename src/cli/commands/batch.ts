// straxts batch: reprocess a list of runs on a SLURM cluster as one job array (one run per
// task), follow it (--status JOB [--wait]) and submit again what did not finish (--resubmit JOB).

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StraxerUsageError } from '../straxer/errors.js';
import { parseStraxerArgs } from '../straxer/options.js';
import { normalizeRunId, readRunList } from '../straxer/run-select.js';
import {
  BATCH_ROOT,
  createBatchFolder,
  findBatch,
  loadBatch,
  rememberJob,
  readTaskRecord,
  saveBatch,
  type BatchRecord,
} from '../batch/batch-folder.js';
import { formatStatus, needsResubmission, taskStatuses, type TaskStatus } from '../batch/batch-status.js';
import { arraySpec, sbatchScript } from '../batch/sbatch-script.js';
import { queuedTasks, submitArray } from '../batch/slurm.js';
import { UserError } from '../user-error.js';

interface BatchOpts {
  runList?: string;
  target?: string[];
  partition?: string;
  time?: string;
  mem?: string;
  cpus: string;
  maxParallel?: string;
  batchDir?: string;
  dryRun?: boolean;
  status?: string | true;
  wait?: boolean;
  resubmit?: string | true;
}

const rel = (p: string): string => relative(process.cwd(), p) || '.';

function positiveInt(text: string, what: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UserError(`${what} must be a positive integer, got '${text}'`);
  return Number(text);
}

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function statusOf(dir: string, rec: BatchRecord): TaskStatus[] {
  const queued = queuedTasks(rec.submissions.map((s) => s.jobId));
  return taskStatuses(dir, rec, (i) => readTaskRecord(dir, i), queued);
}

/** Submit these indices of the batch; records the submission. */
function submit(dir: string, rec: BatchRecord, indices: number[], maxParallel?: number): string {
  const array = arraySpec(indices) + (maxParallel ? `%${maxParallel}` : '');
  const jobId = submitArray(join(dir, 'job.sbatch'), array);
  rec.submissions.push({ jobId, indices, at: new Date().toISOString() });
  saveBatch(dir, rec);
  rememberJob(jobId, dir);
  process.stdout.write(
    `submitted job ${jobId}: sbatch --array=${array} ${rel(join(dir, 'job.sbatch'))}\n` +
      `follow it with: straxts batch --status ${jobId}\n`,
  );
  return jobId;
}

function create(opts: BatchOpts, straxerArgs: string[]): void {
  if (!opts.runList) throw new UserError('give --run_list FILE (or --status JOB, --resubmit JOB)');
  if (!opts.target) throw new UserError('give --target, the data type(s) to make, e.g. --target event_info');
  if (opts.time && !/^(\d+-)?\d+(:\d{1,2}){0,2}$/.test(opts.time))
    throw new UserError(`--time: SLURM time limit like 30, 2:00:00 or 1-00:00:00, got '${opts.time}'`);
  if (opts.mem && !/^\d+[KMGT]?$/i.test(opts.mem))
    throw new UserError(`--mem: memory per task like 4G or 8000M, got '${opts.mem}'`);
  const cpus = positiveInt(opts.cpus, '--cpus');
  const maxParallel = opts.maxParallel ? positiveInt(opts.maxParallel, '--max_parallel') : undefined;
  let runs: string[];
  try {
    runs = readRunList(opts.runList).map(normalizeRunId);
    // straxer's own parser checks the options each task will get, before anything is submitted.
    parseStraxerArgs([
      '--run_list',
      opts.runList,
      '--index',
      '0',
      '--target',
      ...opts.target,
      ...straxerArgs,
    ]);
  } catch (e) {
    if (e instanceof StraxerUsageError) throw new UserError(e.message);
    throw e;
  }
  if (runs.length === 0) throw new UserError(`--run_list ${opts.runList}: no runs in it`);
  const dir = resolve(opts.batchDir ?? join(BATCH_ROOT, `${opts.target.join('+')}-${stamp()}`));
  const rec: BatchRecord = {
    targets: opts.target,
    runs,
    workDir: process.cwd(),
    straxerArgs,
    submissions: [],
  };
  const script = sbatchScript({
    batchDir: dir,
    workDir: rec.workDir,
    targets: opts.target,
    jobName: `straxts-${opts.target.join('+')}`,
    ...(opts.partition ? { partition: opts.partition } : {}),
    ...(opts.time ? { time: opts.time } : {}),
    ...(opts.mem ? { mem: opts.mem } : {}),
    cpusPerTask: cpus,
    straxerArgs,
    node: process.execPath,
    straxerJs: fileURLToPath(new URL('../straxer.js', import.meta.url)),
  });
  createBatchFolder(dir, rec, script);
  process.stdout.write(
    `wrote ${rel(join(dir, 'job.sbatch'))} for ${runs.length} run${runs.length === 1 ? '' : 's'} (${rel(join(dir, 'runs.txt'))})\n`,
  );
  const indices = runs.map((_, i) => i);
  if (opts.dryRun) {
    process.stdout.write(
      `\n${script}\nnot submitted (--dry_run); submit with: straxts batch --resubmit ${rel(dir)}\n`,
    );
    return;
  }
  submit(dir, rec, indices, maxParallel);
}

async function status(job: string | true, wait: boolean): Promise<void> {
  const dir = findBatch(job);
  const rec = loadBatch(dir);
  let tasks = statusOf(dir, rec);
  while (wait && tasks.some((t) => t.state === 'pending' || t.state === 'running')) {
    await new Promise((r) => setTimeout(r, 2000));
    tasks = statusOf(dir, rec);
  }
  process.stdout.write(formatStatus(dir, rec, tasks));
  process.exitCode = tasks.every((t) => t.state === 'done') ? 0 : needsResubmission(tasks).length ? 1 : 0;
}

function resubmit(job: string | true, maxParallel?: string): void {
  const dir = findBatch(job);
  const rec = loadBatch(dir);
  const redo = needsResubmission(statusOf(dir, rec));
  if (redo.length === 0) {
    process.stdout.write(`nothing to resubmit in ${rel(dir)}: every run is done, pending or running\n`);
    return;
  }
  process.stdout.write(`resubmitting ${redo.map((t) => `${t.run} (${t.state})`).join(', ')}\n`);
  submit(
    dir,
    rec,
    redo.map((t) => t.index),
    maxParallel ? positiveInt(maxParallel, '--max_parallel') : undefined,
  );
}

export function register(program: Command): void {
  program
    .command('batch')
    .description(
      'reprocess the runs of a run list on SLURM: one sbatch array task per run (straxer options after --)',
    )
    .argument('[straxer_options...]', 'more straxer options for every run, after --')
    .option('--run_list <file>', 'runs to process, one a line')
    .option('--target <types...>', 'data type(s) to make')
    .option('--partition <name>', 'SLURM partition')
    .option('--time <limit>', 'time limit per run, e.g. 2:00:00')
    .option('--mem <size>', 'memory per run, e.g. 8G')
    .option('--cpus <n>', 'CPUs per run (straxer --workers)', '1')
    .option('--max_parallel <n>', 'at most this many runs at once')
    .option('--batch_dir <dir>', `batch folder (default ./${BATCH_ROOT}/TARGET-TIME)`)
    .option('--dry_run', 'write the batch folder and show the job script; submit nothing')
    .option('--status [job]', 'state of every run of a batch (job id or batch folder; default the latest)')
    .option('--wait', 'with --status: wait until no run is pending or running')
    .option(
      '--resubmit [job]',
      'submit again the runs that failed, were cancelled or killed (default: latest batch)',
    )
    .action(async (straxerArgs: string[], raw: Record<string, unknown>) => {
      // commander keeps straxen-style snake_case option names as they are.
      const opts = {
        ...raw,
        runList: raw.run_list,
        maxParallel: raw.max_parallel,
        batchDir: raw.batch_dir,
        dryRun: raw.dry_run,
      } as BatchOpts;
      const modes = [opts.runList, opts.status, opts.resubmit].filter((m) => m !== undefined);
      if (modes.length > 1) throw new UserError('give one of --run_list, --status or --resubmit');
      if (opts.status) return status(opts.status, opts.wait ?? false);
      if (opts.resubmit) return resubmit(opts.resubmit, opts.maxParallel);
      if (opts.runList && existsSync(opts.runList) === false)
        throw new UserError(`--run_list ${opts.runList}: no such file`);
      create(opts, straxerArgs);
    });
}
