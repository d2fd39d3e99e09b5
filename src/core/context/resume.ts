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

/** Extra history before the earliest kept end (ns): every overlap window's reach, twice. */
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
  computing: Iterable<Plugin>,
): Promise<ResumePlan> {
  const kept: string[] = [];
  let earliest: bigint | null = null;
  let fresh: string | null = null;
  for (const [d, ps] of saves) {
    for (const s of ps.savers) {
      const until = s.keptUntil ?? null;
      if (until === null) {
        fresh ??= d;
        continue;
      }
      kept.push(`${d} ${s.keptChunks ?? '?'}`);
      if (earliest === null || until < earliest) earliest = until;
    }
  }
  if (earliest === null) return { start: null, line: null };
  const head = `resuming run ${runId} from dead writers' outputs, keeping their complete chunks (${kept.join(', ')})`;
  const fromStart = (why: string): ResumePlan => ({ start: null, line: `${head}; ${why}` });
  if (fresh !== null) return fromStart(`${fresh} has none: processing from the run start`);
  if (loaded.size === 0 || [...computing].some((p) => p.dependsOn.length === 0))
    return fromStart('its input is not loaded from storage: processing from the run start');

  // Boundaries every loaded input has (inputs of several kinds must start together).
  let common: bigint[] | null = null;
  let names: string[] = [];
  for (const [d, { frontend, key }] of loaded) {
    const starts = frontend.chunkStarts ? await frontend.chunkStarts(key) : null;
    if (!starts || starts.length === 0)
      return fromStart(`cannot tell where ${d}'s chunks start: from the run start`);
    const set = new Set(starts);
    common = common === null ? [...starts] : common.filter((t) => set.has(t));
    names.push(d);
  }
  common = [...new Set(common!)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const runStart = common[0]!;
  const reach = earliest - overlapMargin(computing);
  let i = -1;
  while (i + 1 < common.length && common[i + 1]! <= reach) i++;
  i--; // one input chunk more, for the history of overlap windows
  if (i <= 0)
    return fromStart(`the earliest ends at ${seconds(earliest, runStart)}: processing from the run start`);
  const start = common[i]!;
  names = names.sort();
  return {
    start,
    line: `${head}; the earliest ends at ${seconds(earliest, runStart)}: loading ${names.join(', ')} from chunk ${i} (${seconds(start, runStart)})`,
  };
}

/** The loader of a stored input from `start` on (a chunk start), or from the run start. */
export function loaderFrom(input: LoadedInput, start: bigint): () => AsyncIterable<Chunk> {
  return () => input.frontend.load(input.key, { timeRange: [start, 2n ** 63n - 1n] });
}
