// Everything a straxer job settles before it processes: arguments checked, the run chosen, the
// context built with straxer's storage and config changes, the run known. Any problem here is
// bad usage (exit 2) and is reported before anything is logged or processed.

import { InvalidConfiguration } from '../../core/options.js';
import type { PluginClass } from '../../core/plugin.js';
import type { StorageFrontend } from '../../core/storage-api.js';
import type { RunDb, RunDoc } from '../../rundb/rundb.js';
import {
  ContextSetupError,
  checkContextArgs,
  contextPlugins,
  makeContext,
  openDefaultRunDb,
  type ContextArgs,
  type StraxtsContext,
} from '../../named-contexts/contexts.js';
import { RestrictedFrontend, RunInfoFrontend, unwrapFrontend } from '../../named-contexts/frontends.js';
import { StraxerUsageError } from './errors.js';
import type { StraxerOptions } from './options.js';
import { loadPluginFile } from './plugin-file.js';
import { anyStored, liveDataDir, runDocOf } from './run-facts.js';
import {
  contextArgsFrom,
  contextOptionsFrom,
  parseConfigKwargs,
  parseJsonObject,
  selectRun,
} from './run-select.js';
import { applyStorageFlags, DEFAULT_DATA_FOLDER } from './storage-setup.js';

export interface PreparedJob {
  runId: string;
  sc: StraxtsContext;
  plugins: PluginClass[];
  db: RunDb | null;
  doc: RunDoc | undefined;
  /** Folder new data goes to (null: nothing writable). */
  savedTo: string | null;
}

export function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ContextSetupError || e instanceof InvalidConfiguration)
      throw new StraxerUsageError(e.message);
    if (e instanceof Error && /^(config file |--config_kwargs|resource )/.test(e.message))
      throw new StraxerUsageError(e.message);
    throw e;
  }
}

/** The runs database: --rundb, else $STRAXTS_RUNDB, else <data folder>/rundb.sqlite if it exists. */
async function openJobRunDb(url: string | undefined, dataFolder: string): Promise<RunDb | null> {
  try {
    return await openDefaultRunDb(url, dataFolder);
  } catch (e) {
    throw new StraxerUsageError(`runs database: ${(e as Error).message}`);
  }
}

export function describeStorage(storage: readonly StorageFrontend[]): string {
  return storage
    .filter((f) => !(unwrapFrontend(f) instanceof RunInfoFrontend))
    .map((f) => (f instanceof RestrictedFrontend || !f.readonly ? f.name : `${f.name} [read-only]`))
    .join(', ');
}

export async function prepareJob(o: StraxerOptions): Promise<PreparedJob> {
  if (o.package !== 'straxts')
    throw new StraxerUsageError(
      `--package ${o.package}: straxts only has its own contexts; leave --package out`,
    );
  if (o.targets.length === 0) throw new StraxerUsageError('--target needs at least one data type');
  const runId = selectRun(o);
  const contextKwargs = o.contextKwargs ? parseJsonObject(o.contextKwargs, '--context_kwargs') : {};
  const ctxArgs: ContextArgs = contextArgsFrom(contextKwargs);
  const ctxOptions = contextOptionsFrom(contextKwargs);
  const configKwargs = o.configKwargs ? parseConfigKwargs(o.configKwargs) : {};
  if (o.configFromJson) ctxArgs.configFile = o.configFromJson;
  usage(() => checkContextArgs(o.context, ctxArgs));
  const plugins = [
    ...contextPlugins(o.context),
    ...(o.registerFromFile ? await loadPluginFile(o.registerFromFile) : []),
  ];

  const contextFolder = ctxArgs.outputFolder ?? DEFAULT_DATA_FOLDER;
  const dataFolder = o.addFolder ?? (o.fromScratch || o.onlyStraxData ? DEFAULT_DATA_FOLDER : contextFolder);
  const db = await openJobRunDb(o.rundb, dataFolder);
  try {
    const sc = usage(() => makeContext(o.context, { ...ctxArgs, runDb: db }, plugins));
    const ctx = sc.context;
    usage(() => ctx.setConfig({ ...configKwargs, ...(o.diagnoseSorting ? { diagnose_sorting: true } : {}) }));
    ctx.setContextConfig({
      workers: o.workers,
      maxMessages: o.maxMessages,
      progressBar: false,
      forbidCreationOf: o.buildLowlevel ? [] : ['raw_records'],
      ...ctxOptions,
    });
    for (const t of o.targets) {
      if (!sc.dataTypes.includes(t))
        throw new StraxerUsageError(
          `unknown target '${t}': context ${sc.name} makes ${sc.dataTypes.join(', ')}`,
        );
    }
    const savedTo = applyStorageFlags(ctx, o, contextFolder);
    usage(() => o.targets.forEach((t) => ctx.keyFor(runId, t)));
    const doc = await runDocOf(db, runId);
    if (!doc && liveDataDir(ctx) === null && !(await anyStored(ctx, runId, sc.dataTypes))) {
      const inDb = db ? `not in the runs database (${db.display}) and ` : '';
      throw new StraxerUsageError(
        `unknown run ${runId}: ${inDb}no data of it in ${describeStorage(ctx.storage)}; check the run id, --rundb, or --add_folder DIR holding its raw_records`,
      );
    }
    return { runId, sc, plugins, db, doc, savedTo };
  } catch (e) {
    await db?.close();
    throw e;
  }
}
