// What straxer finds out about a run before processing: whether it exists at all, its start
// and end, and which data types will be loaded and which computed.

import type { Context } from '../../core/context/context.js';
import { toNs } from '../../core/context/run-extent.js';
import type { PluginClass } from '../../core/plugin.js';
import type { RunDb, RunDoc } from '../../rundb/rundb.js';
import { runMetadataOf } from '../../named-contexts/frontends.js';
import { storedInfo } from './storage-setup.js';

export interface PluginShape {
  provides: readonly string[];
  dependsOn: readonly string[];
}

/** data type → what makes it (provides/dependsOn of its plugin), for registered plugin classes. */
export function pluginShapes(plugins: readonly PluginClass[]): Map<string, PluginShape> {
  const m = new Map<string, PluginShape>();
  for (const P of plugins) {
    const p = new P();
    for (const d of p.provides) m.set(d, { provides: p.provides, dependsOn: p.dependsOn });
  }
  return m;
}

export interface PlanSketch {
  /** Stored data types the processing reads. */
  load: Set<string>;
  /** Data types the processing computes (with the other outputs of their plugins). */
  compute: Set<string>;
}

/** Load what is stored, compute the rest (as the context plans it). */
export async function sketchPlan(
  ctx: Context,
  runId: string,
  targets: readonly string[],
  shapes: Map<string, PluginShape>,
): Promise<PlanSketch> {
  const load = new Set<string>(),
    compute = new Set<string>();
  const visit = async (d: string): Promise<void> => {
    if (load.has(d) || compute.has(d)) return;
    if (await ctx.isStored(runId, d)) {
      load.add(d);
      return;
    }
    const s = shapes.get(d);
    if (!s) return;
    for (const x of s.provides) compute.add(x);
    for (const dep of s.dependsOn) await visit(dep);
  };
  for (const t of targets) await visit(t);
  return { load, compute };
}

export async function runDocOf(db: RunDb | null, runId: string): Promise<RunDoc | undefined> {
  if (!db || !/^\d+$/.test(runId)) return undefined;
  return db.getRun(Number(runId));
}

/** Is anything of this run stored (any registered data type)? */
export async function anyStored(ctx: Context, runId: string, dataTypes: readonly string[]): Promise<boolean> {
  for (const d of dataTypes) if (await ctx.isStored(runId, d)) return true;
  return false;
}

export interface RunExtent {
  start: bigint;
  end: bigint | null;
  source: string;
}

/** The run's live_data folder when the DAQReader is told to read one (daq_input_dir). */
export function liveDataDir(ctx: Context): string | null {
  const v = ctx.getConfig()['daq_input_dir'];
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The DAQReader's run_start_time (whole seconds, as it uses it), or null when not set. */
function liveRunStart(ctx: Context): bigint | null {
  const v = Number(ctx.getConfig()['run_start_time']?.valueOf());
  return Number.isFinite(v) && v > 0 ? BigInt(Math.trunc(v)) * 1_000_000_000n : null;
}

/** Run start/end: the runs database, else run metadata, else the first stored low-level data,
 * else the start the DAQReader is given. */
export async function findRunExtent(
  ctx: Context,
  runId: string,
  doc: RunDoc | undefined,
): Promise<RunExtent | null> {
  if (doc?.start) {
    const ms = (d: Date) => BigInt(d.getTime()) * 1_000_000n;
    return { start: ms(doc.start), end: doc.end ? ms(doc.end) : null, source: 'runs database' };
  }
  for (const fe of ctx.storage) {
    const md = await runMetadataOf(fe, runId);
    const start = md ? toNs(md['start']) : null;
    if (md && start !== null) return { start, end: toNs(md['end']), source: `run metadata in ${fe.name}` };
  }
  for (const t of ['raw_records', 'records', 'peaklets']) {
    let info;
    try {
      info = await storedInfo(ctx, runId, t);
    } catch {
      continue;
    }
    if (info?.chunks?.length) {
      return {
        start: info.chunks[0]!.start,
        end: info.chunks[info.chunks.length - 1]!.end,
        source: `${t} in ${info.dir}`,
      };
    }
  }
  const live = liveDataDir(ctx) !== null ? liveRunStart(ctx) : null;
  return live === null ? null : { start: live, end: null, source: 'run_start_time of the live_data' };
}
