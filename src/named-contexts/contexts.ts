// Ready-made contexts (straxen's contexts.py): the vanilla plugin chain, a preset's option
// values (src/config/presets.ts), the URL-option resolver, and the storage:
//
//   const { context } = await makeContext('xenonnt_online', { outputFolder: './strax_data' });
//   await context.make('012100', 'event_info');
//
//  - reference:        straxen's vanilla chain as the golden reference data was made; the values
//                      come from a straxen config JSON (RUN-config.json), resource:// names are
//                      looked up beside it, then in the working directory.
//  - xenonnt_online:   straxts' simulated XENONnT-like TPC: gains and thresholds of the detector
//                      simulator (bundled corrections, version ONLINE), uniform maps; raw_records
//                      come from the DAQ's live_data through straxen's DAQReader (daq_input_dir).
//  - xenonnt_offline:  the same with a fixed corrections version (default the bundled one).

import { Context } from '../core/context/context.js';
import type { PluginClass } from '../core/plugin.js';
import type { StorageFrontend } from '../core/storage-api.js';
import {
  BUNDLED_CORRECTIONS_MODULE,
  bundledCorrections,
} from '../daq/simulator/simulated-tpc-corrections.js';
import { loadConfigFile } from '../config/config-file.js';
import { JsonCorrectionsSource } from '../config/corrections.js';
import { installOptionResolver, type OptionResolverSettings } from '../config/option-resolver.js';
import {
  referencePreset,
  xenonntOfflinePreset,
  xenonntOnlinePreset,
  type PresetSetup,
} from '../config/presets.js';
import { VANILLA_PLUGINS } from '../plugins/index.js';
import { SimRawRecords } from '../plugins/raw_records/index.js';
import { DAQReader } from '../daq/live-data/daq-reader.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SQLITE_NAME, RUNDB_ENV } from '../rundb/names.js';
import type { RunDb } from '../rundb/rundb.js';
import { DataDirectory } from '../storage/data-directory.js';
import { RunDbFrontend } from '../storage/rundb-frontend.js';
import { RunInfoFrontend } from './frontends.js';

/** A context cannot be made as asked (bad arguments); the message says what to change. */
export class ContextSetupError extends Error {}

export interface ContextArgs {
  /** Writable data folder (default ./strax_data; created on the first save). */
  outputFolder?: string;
  /** A straxen config JSON (option → value). Required for `reference`. */
  configFile?: string;
  /** Option values that win over the preset and the config file. */
  config?: Readonly<Record<string, unknown>>;
  /** The runs database: data registered there is found (run documents give run starts). */
  runDb?: RunDb | null;
  /** straxen's we_are_the_daq: new data goes to outputFolder AND is registered in the runs
   * database (which must be given); else the database is only read. */
  weAreTheDaq?: boolean;
  /** This host's name in the runs database's data entries (default: the OS host name);
   * bootstrax runs several eventbuilders' worth of hosts on one machine in tests. */
  hostname?: string;
  /** More frontends, placed before the data folder. */
  frontends?: readonly StorageFrontend[];
  /** xenonnt_*: a straxts corrections JSON instead of the bundled corrections. */
  correctionsFile?: string;
  /** xenonnt_offline: corrections version. */
  version?: string;
}

export interface StraxtsContext {
  name: string;
  context: Context;
  /** The writable data folder the context was made with. */
  outputFolder: string;
  /** Data types the registered plugins provide. */
  dataTypes: string[];
  /** Tell the context a run's start and end (ns): progress, and corrections valid at the start. */
  setRunExtent(runId: string, start: bigint, end: bigint | null): void;
}

/** Options straxts' plugins do not take but straxen contexts set (not worth a warning). */
const FREE_OPTIONS = ['channel_map', 'run_start_time'];

export const CONTEXT_NAMES = ['reference', 'xenonnt_online', 'xenonnt_offline'] as const;
export type ContextName = (typeof CONTEXT_NAMES)[number];

function presetFor(name: string, a: ContextArgs): PresetSetup {
  if (name === 'reference') {
    if (!a.configFile) {
      throw new ContextSetupError(
        'the reference context needs a straxen config JSON: pass --config_from_json FILE (e.g. RUN-config.json beside the reference data)',
      );
    }
    return referencePreset(a.configFile, a.config ?? {});
  }
  if (name !== 'xenonnt_online' && name !== 'xenonnt_offline') {
    throw new ContextSetupError(`unknown context '${name}': use one of ${CONTEXT_NAMES.join(', ')}`);
  }
  const file = a.configFile ? loadConfigFile(a.configFile) : null;
  const o = {
    correctionsFile: a.correctionsFile,
    bundledCorrections: BUNDLED_CORRECTIONS_MODULE,
    searchDirs: file?.searchDirs ?? [process.cwd()],
    overrides: { ...(file?.config ?? {}), ...(a.config ?? {}) },
  };
  if (name === 'xenonnt_online') {
    if (a.version !== undefined)
      throw new ContextSetupError(
        "xenonnt_online always uses corrections version ONLINE: use xenonnt_offline to choose a 'version'",
      );
    return xenonntOnlinePreset(o);
  }
  if (a.version !== undefined) checkCorrectionsVersion(a.version, a.correctionsFile);
  return xenonntOfflinePreset({ ...o, ...(a.version !== undefined ? { version: a.version } : {}) });
}

/** A version no correction document carries would only fail at the first lookup, mid-run. */
function checkCorrectionsVersion(version: string, correctionsFile: string | undefined): void {
  let source: JsonCorrectionsSource;
  try {
    source = correctionsFile ? JsonCorrectionsSource.fromFile(correctionsFile) : bundledCorrections();
  } catch (e) {
    throw new ContextSetupError((e as Error).message);
  }
  const known = source.versions;
  if (!known.includes(version)) {
    throw new ContextSetupError(
      `corrections version '${version}' is not in ${source.description}: use one of ${known.join(', ')}`,
    );
  }
}

/** Throws ContextSetupError if makeContext(name, args) could not work (nothing is created). */
export function checkContextArgs(name: string, args: ContextArgs): void {
  presetFor(name, args);
}

/** The plugins of a named context: the vanilla chain, whose raw_records come, in the xenonnt
 * contexts, from the DAQ's live_data (DAQReader, as straxen) and, in the reference context,
 * only from storage (the reference data's own raw_records source). */
export function contextPlugins(name: string): PluginClass[] {
  if (name === 'reference') return [...VANILLA_PLUGINS];
  return [DAQReader, ...VANILLA_PLUGINS.filter((P) => P !== SimRawRecords)];
}

/** Build one of the named contexts. */
export function makeContext(
  name: string,
  args: ContextArgs = {},
  plugins: readonly PluginClass[] = contextPlugins(name),
): StraxtsContext {
  const preset = presetFor(name, args);
  const outputFolder = args.outputFolder ?? './strax_data';
  const runInfo = new RunInfoFrontend();
  const storage: StorageFrontend[] = [runInfo];
  if (args.weAreTheDaq && !args.runDb)
    throw new ContextSetupError(
      'we_are_the_daq needs a runs database to register the new data in: give --rundb URL',
    );
  if (args.runDb)
    storage.push(
      new RunDbFrontend(args.runDb, {
        ...(args.weAreTheDaq ? { newDataPath: outputFolder, resume: false } : { readonly: true }),
        ...(args.hostname !== undefined ? { hostname: args.hostname } : {}),
      }),
    );
  storage.push(...(args.frontends ?? []));
  if (!args.weAreTheDaq) storage.push(new DataDirectory(outputFolder, { create: false }));
  const context = new Context({
    storage,
    register: [...plugins],
    options: { freeOptions: FREE_OPTIONS, recordResolvedOptions: true },
  });
  try {
    context.setConfig(preset.config);
  } catch (e) {
    throw new ContextSetupError(`context ${name}: ${(e as Error).message}`);
  }
  const runStarts: Record<string, bigint> = {};
  const install = (): void => {
    const settings: OptionResolverSettings = { ...preset.resolver, runStarts: { ...runStarts } };
    installOptionResolver(context, settings);
  };
  install();
  const dataTypes = [...new Set(plugins.flatMap((P) => [...new P().provides]))];
  return {
    name,
    context,
    outputFolder,
    dataTypes,
    setRunExtent(runId, start, end) {
      runInfo.set(runId, start, end);
      runStarts[runId] = start;
      install();
    },
  };
}

/** The runs database a context uses by default: `url`, else $STRAXTS_RUNDB, else
 * <dataFolder>/rundb.sqlite when that file exists (none is created just to be empty). */
export async function openDefaultRunDb(url: string | undefined, dataFolder: string): Promise<RunDb | null> {
  if (!url && !process.env[RUNDB_ENV] && !existsSync(join(dataFolder, DEFAULT_SQLITE_NAME))) return null;
  // Loaded only now: the database drivers and kysely cost ~0.3 s of start-up to jobs without one.
  const { openRunDb } = await import('../rundb/rundb.js');
  return openRunDb(url, dataFolder);
}

/** makeContext with the default runs database opened (close it with `runDb?.close()`). */
export async function openContext(
  name: string,
  args: Omit<ContextArgs, 'runDb'> & { rundb?: string } = {},
): Promise<StraxtsContext & { runDb: RunDb | null }> {
  checkContextArgs(name, args);
  const runDb = await openDefaultRunDb(args.rundb, args.outputFolder ?? './strax_data');
  try {
    return { ...makeContext(name, { ...args, runDb }), runDb };
  } catch (e) {
    await runDb?.close();
    throw e;
  }
}
