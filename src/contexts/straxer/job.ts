// One straxer job: build the context the options ask for, check the run and targets, make the
// targets with progress reporting, and summarise. Returns the exit code (0 done or already
// stored); bad usage throws StraxerUsageError, processing failures throw anything else.

import { InvalidConfiguration } from '../../core/options.js';
import { DataNotAvailable } from '../../core/engine/errors.js';
import { openRunDb, type RunDb } from '../../rundb/rundb.js';
import { ContextSetupError, makeContext, type ContextArgs, type StraxtsContext } from '../contexts.js';
import { VANILLA_PLUGINS } from '../../plugins/index.js';
import type { StorageFrontend } from '../../core/storage-api.js';
import { RestrictedFrontend, RunInfoFrontend, unwrapFrontend } from '../frontends.js';
import { packageInfo } from '../package-info.js';
import { StraxerUsageError } from './errors.js';
import type { StraxerOptions } from './options.js';
import { loadPluginFile } from './plugin-file.js';
import { startProfile } from './profile.js';
import { ProgressBar, ProgressReporter, StraxerLog, formatSummary, rssMb, type StraxerIo, type SummaryRow } from './report.js';
import { anyStored, findRunExtent, pluginShapes, runDocOf, sketchPlan } from './run-facts.js';
import { contextArgsFrom, parseConfigKwargs, parseJsonObject, selectRun } from './run-select.js';
import { applyStorageFlags, storedInfo, DEFAULT_DATA_FOLDER } from './storage-setup.js';

const usage = <T>(f: () => T): T => {
  try {
    return f();
  } catch (e) {
    if (e instanceof ContextSetupError || e instanceof InvalidConfiguration) throw new StraxerUsageError(e.message);
    if (e instanceof Error && /^config file |^--config_kwargs|^resource /.test(e.message)) throw new StraxerUsageError(e.message);
    throw e;
  }
};

export async function runStraxerJob(o: StraxerOptions, io: StraxerIo = { out: process.stdout, err: process.stderr }): Promise<number> {
  if (o.package !== 'straxts') throw new StraxerUsageError(`--package ${o.package}: straxts only has its own contexts; leave --package out`);
  if (o.targets.length === 0) throw new StraxerUsageError('--target needs at least one data type');
  const runId = selectRun(o);
  const ctxArgs: ContextArgs = o.contextKwargs ? contextArgsFrom(parseJsonObject(o.contextKwargs, '--context_kwargs')) : {};
  const configKwargs = o.configKwargs ? parseConfigKwargs(o.configKwargs) : {};
  if (o.configFromJson) ctxArgs.configFile = o.configFromJson;
  const plugins = [...VANILLA_PLUGINS, ...(o.registerFromFile ? await loadPluginFile(o.registerFromFile) : [])];

  const bar = io.err.isTTY ? new ProgressBar(io.err) : null;
  const log = new StraxerLog(io, o.debug).withBar(bar);
  log.info(`Starting processing of run ${runId} until ${o.targets.join(', ')}`);
  log.info(`straxts ${packageInfo().version} (${packageInfo().root}), node ${process.version}`);

  const contextFolder = ctxArgs.outputFolder ?? DEFAULT_DATA_FOLDER;
  const dataFolder = o.addFolder ?? (o.fromScratch || o.onlyStraxData ? DEFAULT_DATA_FOLDER : contextFolder);
  let db: RunDb | null = null;
  try {
    db = await openRunDb(o.rundb, dataFolder);
    log.debug(`runs database: ${db.display}`);
    const sc = usage(() => makeContext(o.context, { ...ctxArgs, runDb: db }, plugins));
    return await processRun(o, runId, plugins, sc, configKwargs, db, log, bar, contextFolder);
  } finally {
    await db?.close();
  }
}

async function processRun(
  o: StraxerOptions, runId: string, plugins: typeof VANILLA_PLUGINS, sc: StraxtsContext, configKwargs: Record<string, unknown>,
  db: RunDb, log: StraxerLog, bar: ProgressBar | null, contextFolder: string,
): Promise<number> {
  const ctx = sc.context;
  ctx.warn = (m) => log.warning(m);
  usage(() => ctx.setConfig({ ...configKwargs, ...(o.diagnoseSorting ? { diagnose_sorting: true } : {}) }));
  ctx.setContextConfig({
    workers: o.workers, maxMessages: o.maxMessages, progressBar: false,
    forbidCreationOf: o.buildLowlevel ? [] : ['raw_records'],
  });
  const savedTo = applyStorageFlags(ctx, o, contextFolder);
  log.info(`Context ${sc.name} started; storage: ${describeStorage(ctx.storage)}`);

  for (const t of o.targets) {
    if (!sc.dataTypes.includes(t)) throw new StraxerUsageError(`unknown target '${t}': context ${sc.name} makes ${sc.dataTypes.join(', ')}`);
  }
  usage(() => o.targets.forEach((t) => ctx.keyFor(runId, t)));
  const doc = await runDocOf(db, runId);
  if (!doc && !(await anyStored(ctx, runId, sc.dataTypes))) {
    throw new StraxerUsageError(`unknown run ${runId}: not in the runs database (${db.display}) and no data of it in ${describeStorage(ctx.storage)}; check the run id, --rundb, or --add_folder DIR holding its raw_records`);
  }
  if (await ctx.isStored(runId, o.targets)) {
    log.warning('This data is already available. Straxer is done');
    return 0;
  }
  const available = [];
  for (const d of sc.dataTypes) if (await ctx.isStored(runId, d)) available.push(d);
  log.info(`Available for run ${runId}: ${available.join(', ') || 'nothing'}`);

  const extent = await findRunExtent(ctx, runId, doc);
  if (extent) {
    sc.setRunExtent(runId, extent.start, extent.end);
    const dur = extent.end !== null ? `run is ${(Number(extent.end - extent.start) / 1e9).toFixed(1)} s` : 'end unknown';
    log.info(`Infer start/end: ${dur} (from ${extent.source})`);
  } else log.warning('run start/end unknown: no ETA, and only corrections valid at all times apply');

  const shapes = pluginShapes(plugins);
  const plan = await sketchPlan(ctx, runId, o.targets, shapes);
  const raw = plan.load.has('raw_records') ? await storedInfo(ctx, runId, 'raw_records') : null;
  const rawBytes = raw?.nbytes ?? null;
  const duration = extent?.end != null ? Number(extent.end - extent.start) / 1e9 : null;

  const t0 = Date.now();
  const alive = setInterval(() => log.info(`Straxer still running (${((Date.now() - t0) / 1000).toFixed(0)} s, ${rssMb().toFixed(0)} MB RAM)`), Math.max(1, o.printAlive) * 1000);
  alive.unref();
  const profile = o.profileTo ? await startProfile(o.profileTo) : null;
  try {
    const batches = o.multiTarget ? [o.targets] : o.targets.map((t) => [t]);
    for (const targets of batches) {
      if (!o.multiTarget && (await ctx.isStored(runId, targets))) {
        log.info(`${runId}:${targets.join(',')} is stored`);
        continue;
      }
      log.info(`Start processing ${runId}:${targets.join(',')}`);
      const reporter = new ProgressReporter(log, bar, { duration, rawBytes });
      const t1 = Date.now();
      await withTimeout(ctx.make(runId, targets, { save: targets, progress: reporter.update }), o.timeout, reporter);
      reporter.finish(targets.join(','), (Date.now() - t1) / 1000);
    }
  } catch (e) {
    bar?.clear();
    if (e instanceof DataNotAvailable) throw new StraxerUsageError(e.message);
    throw e;
  } finally {
    clearInterval(alive);
    if (profile) log.info(`CPU profile written to ${await profile.stop()}`);
  }
  const wall = (Date.now() - t0) / 1000;
  const rows: SummaryRow[] = [];
  for (const d of sc.dataTypes) {
    if (!plan.load.has(d) && !plan.compute.has(d)) continue;
    const info = await storedInfo(ctx, runId, d);
    rows.push({ dataType: d, rows: info?.rows ?? null, chunks: info?.chunks?.length ?? null, where: info ? info.dir : 'not saved', made: plan.compute.has(d) });
  }
  for (const line of formatSummary(runId, rows, wall, rawBytes === null ? null : { bytes: rawBytes, read: true }, savedTo)) log.info(line);
  log.info(`Straxer is done in ${wall.toFixed(1)} s!`);
  return 0;
}

function describeStorage(storage: readonly StorageFrontend[]): string {
  return storage.filter((f) => !(unwrapFrontend(f) instanceof RunInfoFrontend))
    .map((f) => (f instanceof RestrictedFrontend || !f.readonly ? f.name : `${f.name} [read-only]`)).join(', ');
}

/** Fail when no chunk of the target arrives for `timeout` seconds (straxen's mailbox timeout). */
async function withTimeout(work: Promise<void>, timeout: number | undefined, reporter: ProgressReporter): Promise<void> {
  if (timeout === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (Date.now() - reporter.lastChunkAt > timeout * 1000) reject(new Error(`no data arrived for ${timeout} s (--timeout): giving up`));
    }, Math.min(1000, timeout * 1000));
  });
  try {
    await Promise.race([work, watchdog]);
  } finally {
    clearInterval(timer);
  }
}
