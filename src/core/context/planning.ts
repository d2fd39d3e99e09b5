// Decide, per data type, load vs compute vs save (strax get_components), open the savers, and
// settle the plugins that will compute (strict config, URL options, dtypes, setup()).

import type { Chunk } from '../chunk.js';
import { InvalidConfiguration, hasDefault } from '../options.js';
import { SaveWhen, type Plugin } from '../plugin.js';
import { lineageHash } from '../lineage.js';
import type { DataKey, SaveMetadata, Saver, StorageFrontend } from '../storage-api.js';
import { DataBeingWritten, DataNotAvailable } from '../storage-api.js';
import type { PlannedSave, ProcessingPlan } from '../engine/processor.js';
import type { ContextOptions } from './context-options.js';
import { ensureDtypes, resolveUrlOptions } from './dtypes.js';
import { optionsOf, type PluginGraph } from './graph.js';
import type { OptionResolver } from '../option-resolve.js';
import { trimChunk } from './selection.js';
import { loaderFrom, planResume, type LoadedInput } from './resume.js';

export interface PlanRequest {
  runId: string;
  targets: readonly string[];
  save: readonly string[];
  timeRange?: readonly [bigint, bigint];
  /** Row selections or column filters are active: nothing is saved. */
  filtered: boolean;
  /** Only the savers want the data (make): when they continue dead writers' outputs, loading
   * may start late in the run (see resume.ts). */
  resume?: boolean;
}

export interface PlanEnv {
  graph: PluginGraph;
  frontends: readonly StorageFrontend[];
  options: ContextOptions;
  resolver: OptionResolver | null;
  /** Temporary data types (merged targets) are never saved. */
  isTemporary: (dataType: string) => boolean;
  warn: (msg: string) => void;
}

export function keyFor(graph: PluginGraph, runId: string, dataType: string): DataKey {
  const p = graph.plugins.get(dataType);
  if (!p) throw new Error(`${dataType} is not part of this processing graph`);
  return { runId, dataType, lineage: p.lineage, lineageHash: lineageHash(p.lineage) };
}

/** The first frontend (in order) holding complete data for key. */
export async function findStored(
  frontends: readonly StorageFrontend[],
  key: DataKey,
  allowIncomplete: boolean,
): Promise<StorageFrontend | null> {
  for (const fe of frontends) if (await fe.isStored(key, { allowIncomplete })) return fe;
  return null;
}

function shouldSave(p: Plugin, d: string, targets: readonly string[], save: readonly string[]): boolean {
  const sw = p.saveWhenFor(d);
  if (sw === SaveWhen.NEVER) {
    if (save.includes(d))
      throw new Error(`${p.className} forbids saving ${d} (saveWhen NEVER): remove it from save`);
    return false;
  }
  if (sw === SaveWhen.TARGET) return targets.includes(d);
  if (sw === SaveWhen.EXPLICIT) return save.includes(d);
  return true;
}

export function saveMetadata(
  p: Plugin,
  runId: string,
  d: string,
  key: DataKey,
  record: boolean,
  allowRechunk: boolean,
  maxBufferMb?: number,
): SaveMetadata {
  const md: SaveMetadata = {
    runId,
    dataType: d,
    dataKind: p.dataKindFor(d),
    dtype: p.dtypeFor(d).toDescr(),
    lineage: key.lineage,
    lineageHash: key.lineageHash,
    compressor: p.compressor,
    chunkTargetSizeMb: p.chunkTargetSizeMb,
    rechunk: p.canRechunk(d) && allowRechunk,
  };
  if (maxBufferMb !== undefined) md.maxBufferMb = maxBufferMb;
  if (record && Object.keys(p.resolvedOptions).length)
    md.extra = { resolved_options: jsonable(p.resolvedOptions) };
  return md;
}

/** Resolved values as JSON-able data (typed arrays as lists; functions and the like left out). */
function jsonable(o: Record<string, unknown>): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return v;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView))
      return Array.from(v as unknown as ArrayLike<number>);
    if (Array.isArray(v)) return v.map(walk);
    // Objects that describe themselves (interpolation maps) are recorded by their summary.
    if (v && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      return walk((v as { toJSON(): unknown }).toJSON());
    }
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const w = walk(x);
        if (w !== undefined) out[k] = w;
      }
      return out;
    }
    return undefined;
  };
  return walk(o) as Record<string, unknown>;
}

export async function planProcessing(env: PlanEnv, req: PlanRequest): Promise<ProcessingPlan> {
  const { graph, options } = env;
  const { runId, targets, save, timeRange } = req;
  const compute = new Map<string, Plugin>();
  const load = new Map<string, () => AsyncIterable<Chunk>>();
  const toSave = new Map<string, Plugin>();
  const loadedFrom = new Map<string, LoadedInput>();
  const seen = new Set<string>();
  const noSaveReason = timeRange
    ? 'a time range is selected'
    : req.filtered
      ? 'a selection or column filter is active'
      : options.allowIncomplete
        ? 'incomplete data may be loaded'
        : null;

  const check = async (d: string): Promise<void> => {
    if (seen.has(d)) return;
    seen.add(d);
    const p = graph.plugins.get(d)!;
    const key = keyFor(graph, runId, d);
    const fe = await findStored(env.frontends, key, options.allowIncomplete);
    if (fe) {
      loadedFrom.set(d, { frontend: fe, key });
      load.set(d, async function* () {
        for await (const c of fe.load(key, { timeRange, allowIncomplete: options.allowIncomplete })) {
          if (!timeRange) {
            yield c;
            continue;
          }
          if (c.end <= timeRange[0] || c.start >= timeRange[1]) continue;
          yield trimChunk(c, timeRange);
        }
      });
      return;
    }
    if (timeRange && p.saveWhenFor(d) > SaveWhen.EXPLICIT) {
      throw new DataNotAvailable(
        `a time range selection needs ${d} of run ${runId} stored, but it is not: make it first (make('${runId}', '${d}'))`,
      );
    }
    const forbid = options.forbidCreationOf;
    if (forbid.includes('*') || forbid.includes(d)) {
      throw new DataNotAvailable(`${d} of run ${runId} is not stored, and this context forbids creating it`);
    }
    compute.set(d, p);
    for (const dep of p.dependsOn) await check(dep);
    if (env.isTemporary(d)) return;
    // A multi-output plugin also saves its other outputs, each by its own rule.
    for (const s of p.provides) {
      if (toSave.has(s) || load.has(s) || !shouldSave(p, s, targets, save)) continue;
      if (s !== d && (await findStored(env.frontends, keyFor(graph, runId, s), options.allowIncomplete)))
        continue;
      if (noSaveReason) {
        env.warn(`not saving ${s}: ${noSaveReason}`);
        continue;
      }
      toSave.set(s, p);
      if (!compute.has(s)) compute.set(s, p);
    }
  };
  for (const t of targets) await check(t);

  // Plugins that compute: strict options, URL options, dtypes, setup.
  const computing = [...new Set(compute.values())];
  for (const p of computing) {
    for (const o of optionsOf(p)) {
      if (!hasDefault(o) && !(o.name in p.config)) {
        throw new InvalidConfiguration(
          `Missing option ${o.name} required by ${p.className}: set it with setConfig({ ${o.name}: ... })`,
        );
      }
    }
    await resolveUrlOptions(p, env.resolver);
  }
  const done = new Set<Plugin>();
  for (const d of compute.keys()) await ensureDtypes(graph, d, env.resolver, done);
  for (const p of computing) await p.setup();

  // Savers last: nothing is opened unless the whole plan stands.
  const saves = new Map<string, PlannedSave>();
  const opened: Saver[] = [];
  try {
    for (const [d, p] of toSave) {
      const key = keyFor(graph, runId, d);
      const md = saveMetadata(
        p,
        runId,
        d,
        key,
        options.recordResolvedOptions,
        options.allowRechunk,
        options.saveBufferMb,
      );
      const savers: Saver[] = [];
      for (const fe of env.frontends) {
        if (fe.readonly) continue;
        try {
          const s = await fe.saver(key, md);
          savers.push(s);
          opened.push(s);
        } catch (e) {
          if (!(e instanceof DataNotAvailable)) throw e;
        }
      }
      if (savers.length) saves.set(d, { savers });
    }
  } catch (e) {
    // Another process writes one of these: leave no trace, the caller waits and plans again.
    const leave = (s: Saver): Promise<void> =>
      e instanceof DataBeingWritten && s.abandon ? s.abandon() : s.fail(e);
    for (const s of opened) await leave(s).catch(() => {});
    throw e;
  }

  const kindOf = (d: string): string => {
    const p = graph.plugins.get(d);
    if (!p) throw new Error(`unknown data type ${d}`);
    return p.dataKindFor(d);
  };
  if (req.resume && !timeRange) {
    const r = await planResume(runId, saves, loadedFrom, computing, kindOf);
    if (r.line) env.warn(r.line);
    if (r.start !== null) for (const [d, input] of loadedFrom) load.set(d, loaderFrom(input, r.start));
  }

  return { runId, compute, load, save: saves, kindOf };
}
