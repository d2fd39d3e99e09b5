// One straxer job: prepare (prepare.ts), make the targets with progress reporting, summarise.
// Returns the exit code (0: done, or already stored); bad usage throws StraxerUsageError,
// processing failures throw anything else.

import { packageInfo } from '../../named-contexts/package-info.js';
import { DataNotAvailable, StorageError } from '../../storage/errors.js';
import { formatPhysicsSummary, physicsSummary, SUMMARY_COLUMNS, summaryIsEmpty } from '../run-summary.js';
import { ProcessingFailed, StraxerStopped, StraxerUsageError } from './errors.js';
import type { StraxerOptions } from './options.js';
import { describeStorage, prepareJob, type PreparedJob } from './prepare.js';
import { startProfile } from './profile.js';
import {
  ProgressBar,
  ProgressReporter,
  StraxerLog,
  formatSummary,
  rssMb,
  type StraxerIo,
  type SummaryRow,
} from './report.js';
import { damagedFolderOf, findRunExtent, liveDataDir, pluginShapes, sketchPlan } from './run-facts.js';
import { storedInfo } from './storage-setup.js';

export async function runStraxerJob(
  o: StraxerOptions,
  io: StraxerIo = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const job = await prepareJob(o);
  try {
    return await processRun(o, job, io);
  } finally {
    await job.db?.close();
  }
}

async function processRun(o: StraxerOptions, job: PreparedJob, io: StraxerIo): Promise<number> {
  const { runId, sc } = job;
  const ctx = sc.context;
  const bar = io.err.isTTY ? new ProgressBar(io.err) : null;
  const log = new StraxerLog(io, o.debug).withBar(bar);
  ctx.warn = (m) => log.warning(m);
  log.info(`Starting processing of run ${runId} until ${o.targets.join(', ')}`);
  log.debug(`options: ${JSON.stringify(o)}`);
  log.info(`straxts ${packageInfo().version} (${packageInfo().root}), node ${process.version}`);
  log.info(
    `Context ${sc.name}; storage: ${describeStorage(ctx.storage)}${job.db ? `; runs database ${job.db.display}` : ''}`,
  );
  if (await ctx.isStored(runId, o.targets)) {
    log.warning('This data is already available. Straxer is done');
    return 0;
  }
  const available = [];
  for (const d of sc.dataTypes) if (await ctx.isStored(runId, d)) available.push(d);
  log.info(`Available for run ${runId}: ${available.join(', ') || 'nothing'}`);

  const extent = await findRunExtent(ctx, runId, job.doc);
  if (extent) {
    sc.setRunExtent(runId, extent.start, extent.end);
    const dur =
      extent.end !== null
        ? `run is ${(Number(extent.end - extent.start) / 1e9).toFixed(1)} s`
        : 'end unknown';
    log.info(`Infer start/end: ${dur} (from ${extent.source})`);
  } else log.warning('run start/end unknown: no ETA, and only corrections valid at all times apply');

  const plan = await sketchPlan(ctx, runId, o.targets, pluginShapes(job.plugins));
  log.debug(
    `load: ${[...plan.load].join(', ') || 'nothing'}; compute: ${[...plan.compute].join(', ') || 'nothing'}`,
  );
  for (const t of o.targets) log.debug(`${t}: lineage hash ${ctx.keyFor(runId, t).lineageHash}`);
  const folders = job.savedTo ? [job.savedTo] : [];
  const rawInfo = plan.load.has('raw_records') ? await storedInfo(ctx, runId, 'raw_records', folders) : null;
  const rawBytes = rawInfo?.nbytes ?? null;
  // Progress counts the chunks of the lowest stored input read (raw_records, usually).
  const inputType = sc.dataTypes.find((d) => plan.load.has(d));
  const inputInfo =
    inputType === 'raw_records'
      ? rawInfo
      : inputType
        ? await storedInfo(ctx, runId, inputType, folders)
        : null;
  const input =
    inputType && inputInfo?.chunks
      ? { dataType: inputType, chunkStarts: inputInfo.chunks.map((c) => c.start) }
      : null;
  if (input) log.debug(`${input.dataType}: ${input.chunkStarts.length} chunks in ${inputInfo!.dir}`);
  const duration = extent?.end != null ? Number(extent.end - extent.start) / 1e9 : null;

  const t0 = Date.now();
  const alive = setInterval(
    () =>
      log.info(
        `Straxer still running (${((Date.now() - t0) / 1000).toFixed(0)} s, ${rssMb().toFixed(0)} MB RAM)`,
      ),
    Math.max(1, o.printAlive) * 1000,
  );
  alive.unref();
  const profile = o.profileTo ? await startProfile(o.profileTo) : null;
  // SIGINT/SIGTERM and --timeout stop processing through this: savers mark their data failed.
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => stop.abort(new StraxerStopped(sig, runId));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const targets of o.multiTarget ? [o.targets] : o.targets.map((t) => [t])) {
      if (!o.multiTarget && (await ctx.isStored(runId, targets))) {
        log.info(`${runId}:${targets.join(',')} is stored`);
        continue;
      }
      log.info(`Start processing ${runId}:${targets.join(',')}`);
      const reporter = new ProgressReporter(log, bar, { duration, rawBytes, input });
      const t1 = Date.now();
      await withTimeout(
        ctx.make(runId, targets, { save: targets, progress: reporter.update, signal: stop.signal }),
        o.timeout,
        reporter,
        stop,
      );
      reporter.finish(targets.join(','), (Date.now() - t1) / 1000);
    }
  } catch (e) {
    bar?.clear();
    if (e instanceof DataNotAvailable) {
      const damage = damagedFolderOf(ctx, runId);
      if (damage) throw new ProcessingFailed(`run ${runId} has damaged data: ${damage}`);
      const hint = !/^raw_records .*forbids creating it$/.test(e.message)
        ? ''
        : liveDataDir(ctx) !== null
          ? '; to make them from the live_data in daq_input_dir, add --build_lowlevel'
          : '; straxer does not make raw_records: give --add_folder DIR with the folder holding them';
      throw new StraxerUsageError(e.message + hint);
    }
    if (e instanceof StorageError) throw new ProcessingFailed(e.message);
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    clearInterval(alive);
    if (profile) log.info(`CPU profile written to ${await profile.stop()}`);
  }
  const wall = (Date.now() - t0) / 1000;
  const madeRawBytes = async (): Promise<number | null> =>
    (await storedInfo(ctx, runId, 'raw_records', job.savedTo ? [job.savedTo] : []))?.nbytes ?? null;
  const rows: SummaryRow[] = [];
  for (const d of sc.dataTypes) {
    if (!plan.load.has(d) && !plan.compute.has(d)) continue;
    const info = await storedInfo(ctx, runId, d, job.savedTo ? [job.savedTo] : []);
    rows.push({
      dataType: d,
      rows: info?.rows ?? null,
      chunks: info?.chunks?.length ?? null,
      where: info ? info.dir : 'not saved',
      made: plan.compute.has(d),
    });
  }
  const raw = plan.load.has('raw_records')
    ? { bytes: rawBytes }
    : plan.compute.has('raw_records')
      ? { bytes: await madeRawBytes(), made: true }
      : null;
  for (const line of formatSummary(runId, rows, wall, raw, job.savedTo)) log.info(line);
  try {
    // Stored rows only (never computed here), and only the columns the summary reads: whole
    // event and peak rows of a long run would set the process's peak memory.
    const loadStored = async (t: string) => {
      if (!sc.dataTypes.includes(t) || !(await ctx.isStored(runId, t))) return null;
      const names = (await ctx.dtypeOf(t, runId)).names;
      const keepColumns = SUMMARY_COLUMNS.filter((n) => names.includes(n));
      return ctx.getArray(runId, t, { keepColumns, progress: false });
    };
    const phys = await physicsSummary(runId, loadStored, duration);
    if (!summaryIsEmpty(phys)) for (const line of formatPhysicsSummary(phys)) log.info(line);
  } catch (e) {
    log.warning(`no physics summary: ${(e as Error).message}`);
  }
  log.info(`Straxer is done in ${wall.toFixed(1)} s!`);
  return 0;
}

/** Stop the work when no chunk of the target arrives for `timeout` seconds (straxen's mailbox
 * timeout); the work then rejects with the timeout error once its savers are marked failed. */
async function withTimeout(
  work: Promise<void>,
  timeout: number | undefined,
  reporter: ProgressReporter,
  stop: AbortController,
): Promise<void> {
  if (timeout === undefined) return work;
  const timer = setInterval(
    () => {
      if (Date.now() - reporter.lastChunkAt > timeout * 1000)
        stop.abort(new Error(`no data arrived for ${timeout} s (--timeout): giving up`));
    },
    Math.min(1000, timeout * 1000),
  );
  try {
    await work;
  } finally {
    clearInterval(timer);
  }
}
