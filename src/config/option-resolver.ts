// The resolver a Context uses for URL option values (Context.setOptionResolver). Its settings
// (resource folders, corrections file, run starts) are kept in this module and mirrored in an
// environment variable, so that worker threads, which import this module afresh, resolve
// options exactly as the main thread does.

import type { Context, OptionResolver, ResolveAt } from '../core/context/context.js';
import {
  JsonCorrectionsSource,
  parseTime,
  type CorrectionsSource,
  type ResolvedCorrection,
} from './corrections.js';
import { resolveUrlConfig } from './url-config.js';

const ENV_KEY = 'STRAXTS_URL_CONFIG_SETTINGS';

/** A module export `() => CorrectionsSource`. */
export interface CorrectionsModule {
  moduleUrl: string;
  exportName: string;
}

/** The source a CorrectionsModule names, imported at the first lookup. */
function lazySource(m: CorrectionsModule): CorrectionsSource {
  let loaded: Promise<CorrectionsSource> | null = null;
  let source: CorrectionsSource | null = null;
  const load = (): Promise<CorrectionsSource> =>
    (loaded ??= import(m.moduleUrl).then((mod: Record<string, unknown>) => {
      const make = mod[m.exportName];
      if (typeof make !== 'function') throw new Error(`${m.moduleUrl} does not export ${m.exportName}()`);
      return (source = (make as () => CorrectionsSource)());
    }));
  return {
    // Read only after a lookup (messages, metadata): by then it is the source's own.
    get description() {
      return source?.description ?? m.exportName;
    },
    find: async (q) => (await load()).find(q),
    runStart: async (run) => (await load()).runStart?.(run),
  };
}

export interface OptionResolverSettings {
  /** Folders searched for resource:// names, in order (config file folder first, then the cwd). */
  searchDirs: readonly string[];
  /** A straxts corrections JSON file (see corrections.ts). */
  correctionsFile?: string;
  /** Or a module exporting a function that returns the source (when no file is given): a
   * worker thread imports it afresh, as it imports this module. */
  correctionsModule?: CorrectionsModule;
  /** Or a live source (e.g. the runs database); not available in worker threads unless
   * correctionsFile is also given. */
  corrections?: CorrectionsSource;
  /** Known run starts: run id → ns since the epoch (or an ISO time). */
  runStarts?: Readonly<Record<string, bigint | string>>;
  /** Told about every correction document used (e.g. to record it in metadata). */
  onCorrection?: (resolved: ResolvedCorrection) => void;
}

interface State {
  searchDirs: string[];
  corrections?: CorrectionsSource;
  runStarts: Map<string, bigint>;
  onCorrection?: (resolved: ResolvedCorrection) => void;
}

let state: State | null = null;
/** The environment text `state` stands for: a worker thread of a pool that outlives one run sees
 * the next run's settings there and must not keep the first run's. */
let stateWire: string | undefined;

function fromSettings(s: OptionResolverSettings): State {
  const runStarts = new Map<string, bigint>();
  for (const [run, t] of Object.entries(s.runStarts ?? {}))
    runStarts.set(run, parseTime(t, `run start of ${run}`)!);
  return {
    searchDirs: [...s.searchDirs],
    corrections:
      s.corrections ??
      (s.correctionsFile
        ? JsonCorrectionsSource.fromFile(s.correctionsFile)
        : s.correctionsModule
          ? lazySource(s.correctionsModule)
          : undefined),
    runStarts,
    onCorrection: s.onCorrection,
  };
}

/** Set the settings every resolution uses (in this thread and in worker threads started later). */
export function configureOptionResolver(settings: OptionResolverSettings): void {
  state = fromSettings(settings);
  const wire = {
    searchDirs: settings.searchDirs,
    correctionsFile: settings.correctionsFile,
    correctionsModule: settings.correctionsModule,
    runStarts: Object.fromEntries([...state.runStarts].map(([k, v]) => [k, String(v)])),
  };
  stateWire = JSON.stringify(wire);
  process.env[ENV_KEY] = stateWire;
}

function current(): State {
  const wire = process.env[ENV_KEY];
  if (state && wire === stateWire) return state;
  stateWire = wire;
  if (wire) return (state = fromSettings(JSON.parse(wire) as OptionResolverSettings));
  return (state = { searchDirs: [process.cwd()], runStarts: new Map() });
}

/** Resolve one option value for a plugin (the Context's OptionResolver). */
export const resolveOption: OptionResolver = (url: string, at: ResolveAt) => {
  const s = current();
  return resolveUrlConfig(url, {
    runId: at.runId,
    runStart: s.runStarts.get(at.runId),
    searchDirs: s.searchDirs,
    corrections: s.corrections,
    plugin: at.config,
    config: at.config,
    onCorrection: s.onCorrection,
  });
};

/** Configure the resolver and install it on a context (worker threads import it by module). */
export function installOptionResolver(ctx: Context, settings: OptionResolverSettings): Context {
  configureOptionResolver(settings);
  ctx.setOptionResolver(resolveOption, { moduleUrl: import.meta.url, exportName: 'resolveOption' });
  return ctx;
}
