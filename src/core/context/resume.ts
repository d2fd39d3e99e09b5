// Resuming after a crash: when the savers of a processing continue dead writers' outputs (each
// keeps the complete chunks it found and drops rows resent before their end), the stored inputs
// need not be loaded from the run start. They are loaded from an input chunk boundary T0 before
// the earliest kept end, one input chunk earlier still and more than every overlap window's reach
// before it, so that each overlap-window plugin has its history again where the kept part ends:
// from there on every output gets the rows and chunks it got in the interrupted run.
//
// Why the chunks are the same: loaded inputs of one kind keep their stored boundaries; plain
// plugins map input chunks to output chunks one to one; an overlap-window plugin's state after a
// step (what it sent, the input tail it keeps) depends only on rows within its window of the
// step's end, so after its first step from T0 (an input chunk longer than the windows) it is the
// state the uninterrupted run had. A saver checks what it can (a chunk must end where the dead
// writer's last kept file was cut) and fails, never writes a mix, when that does not hold.

import type { Chunk } from '../chunk.js';
import { OverlapWindowPlugin, type Plugin } from '../plugin.js';
import type { DataKey, StorageFrontend } from '../storage-api.js';
import type { PlannedSave } from '../engine/processor.js';
import { windowOf } from '../engine/overlap.js';

export interface LoadedInput {
  frontend: StorageFrontend;
  key: DataKey;
}

export interface ResumePlan {
  /** Where loading starts (an input chunk start), or null: from the run start. */
  start: bigint | null;
  /** The one line that tells the user (null when no saver keeps anything). */
  line: string | null;
}

const seconds = (t: bigint, t0: bigint): string => `${(Number(t - t0) / 1e9).toFixed(1)} s`;

/** Extra history before the earliest kept end (ns): twice the reach of the chain's overlap windows
 * (each window's left and right reach, doubled, summed over the chain), doubled again for safety. */
export function overlapMargin(plugins: Iterable<Plugin>): bigint {
  let w = 0n;
  for (const p of new Set(plugins)) {
    if (!(p instanceof OverlapWindowPlugin)) continue;
    const [l, r] = windowOf(p);
    w += BigInt(Math.ceil(2 * l)) + BigInt(Math.ceil(2 * r)) + 2n;
  }
  return 2n * w;
}

export async function planResume(
  runId: string,
  saves: ReadonlyMap<string, PlannedSave>,
  loaded: ReadonlyMap<string, LoadedInput>,
  computing: readonly Plugin[],
  kindOf: (dataType: string) => string,
): Promise<ResumePlan> {
  let earliest: bigint | null = null,
    latest: bigint | null = null;
  let fresh: string | null = null;
  let types = 0,
    files = 0;
  for (const [d, ps] of saves) {
    for (const s of ps.savers) {
      const until = s.keptUntil ?? null;
      if (until === null) {
        fresh ??= d;
        continue;
      }
      types++;
      files += s.keptChunks ?? 0;
      if (earliest === null || until < earliest) earliest = until;
      if (latest === null || until > latest) latest = until;
    }
  }
  if (earliest === null || latest === null) return { start: null, line: null };

  // Boundaries every loaded input has (inputs of several kinds must start together).
  let shared: bigint[] | null = null;
  let unknown: string | null = null;
  for (const [d, { frontend, key }] of loaded) {
    const starts = frontend.chunkStarts ? await frontend.chunkStarts(key) : null;
    if (!starts || starts.length === 0) unknown ??= d;
    else shared = shared === null ? starts : shared.filter((t) => starts.includes(t));
  }
  const common = [...new Set(shared ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const t0 = common[0] ?? 0n;
  const head =
    `resuming run ${runId} from a dead writer's output of ${types} data type${types > 1 ? 's' : ''}, ` +
    `kept up to ${seconds(earliest, t0)}${latest > earliest ? `–${seconds(latest, t0)}` : ''} ` +
    `(${files} complete chunk file${files === 1 ? '' : 's'} and the rows not yet cut)`;
  const fromStart = (why: string): ResumePlan => ({ start: null, line: `${head}; ${why}` });
  if (fresh !== null) return fromStart(`${fresh} kept nothing: processing from the run start`);
  if (loaded.size === 0 || [...computing].some((p) => p.dependsOn.length === 0))
    return fromStart('its input is not loaded from storage: processing from the run start');
  if (unknown !== null)
    return fromStart(`cannot tell where ${unknown}'s chunks start: processing from the run start`);

  const margin = overlapMargin(computing);
  const reach = earliest - margin;
  let i = -1;
  while (i + 1 < common.length && common[i + 1]! <= reach) i++;
  i--; // one input chunk more, for the history of overlap windows
  if (i <= 0) return fromStart('processing from the run start');
  const start = common[i]!;
  const counted = await continueCounts(computing, saves, kindOf, start + margin);
  if (counted) return fromStart(counted);
  return {
    start,
    line: `${head}; loading ${[...loaded.keys()].sort().join(', ')} from chunk ${i} (${seconds(start, t0)})`,
  };
}

/** Plugins numbering their rows run-wide continue from the kept rows of their data kind (one
 * row per row: a data kind is that); the reason when one cannot. */
async function continueCounts(
  computing: readonly Plugin[],
  saves: ReadonlyMap<string, PlannedSave>,
  kindOf: (dataType: string) => string,
  time: bigint,
): Promise<string | null> {
  for (const p of new Set(computing)) {
    if (!p.continueCount) continue;
    if (p.parallel)
      return `${p.className} numbers its rows but computes on worker threads: processing from the run start`;
    const kind = p.dataKindFor(p.provides[0]!);
    let rowsBefore: number | null = null;
    for (const [d, ps] of saves) {
      if (kindOf(d) !== kind) continue;
      for (const s of ps.savers) rowsBefore ??= (await s.keptRowsBefore?.(time)) ?? null;
    }
    if (rowsBefore === null)
      return `no kept ${kind} to continue ${p.className}'s numbering from: processing from the run start`;
    p.continueCount({ time, rowsBefore });
  }
  return null;
}

/** The loader of a stored input from `start` on (a chunk start), or from the run start. */
export function loaderFrom(input: LoadedInput, start: bigint): () => AsyncIterable<Chunk> {
  return () => input.frontend.load(input.key, { timeRange: [start, 2n ** 63n - 1n] });
}
