// strax OverlapWindowPlugin bookkeeping: extend each batch with the kept input tail, compute,
// drop what was already sent, hold back results that later input could still change (within
// 2*right+1 ns of the end), keep input reaching 2*left+1 ns before the sent boundary. The held
// tail is recomputed next time; only the final one is emitted as is.

import { Chunk } from '../chunk.js';
import type { OverlapWindowPlugin } from '../plugin.js';
import type { Outputs } from './output.js';

const MAX_TRIALS = 10;

export function windowOf(plugin: OverlapWindowPlugin): [number, number] {
  const w = plugin.getWindowSize();
  if (typeof w === 'number') return [w, w];
  if (Array.isArray(w) && w.length === 2) {
    if (w[0]! < 0 || w[1]! < 0)
      throw new Error(`${plugin.className}: window size elements must be non-negative`);
    return [w[0]!, w[1]!];
  }
  throw new Error(`${plugin.className}: window size must be a number or a [left, right] pair`);
}

/** strax cache_beyond: cut every entry at prev (moving the cut earlier until all agree). */
function cacheBeyond(io: Map<string, Chunk>, prev: bigint, cached: Map<string, Chunk>, name: string): bigint {
  for (let trial = 0; trial < MAX_TRIALS; trial++) {
    for (const [k, c] of io) {
      const right = c.split(prev, true)[1];
      cached.set(k, right);
      prev = right.start;
    }
    const starts = new Set([...cached.values()].map((c) => c.start));
    if (starts.size === 1) return prev;
  }
  throw new Error(`${name}: buffer start time inconsistency cannot be resolved after ${MAX_TRIALS} tries`);
}

/** ceil(2*w) as bigint: strax's int(t - 2*w - 1) for ns times t and a window w. */
const twice = (w: number): bigint => BigInt(Math.ceil(2 * w));

export class OverlapState {
  private cachedInput = new Map<string, Chunk>();
  private cachedResults: Outputs | null = null;
  private sentUntil = 0n;
  private readonly left2: bigint;
  private readonly right2: bigint;

  constructor(private readonly plugin: OverlapWindowPlugin) {
    const [l, r] = windowOf(plugin);
    this.left2 = twice(l);
    this.right2 = twice(r);
  }

  async step(
    inputs: Map<string, Chunk>,
    compute: (inputs: Map<string, Chunk>) => Promise<Outputs>,
  ): Promise<Outputs> {
    const name = this.plugin.className;
    if (inputs.size === 0) throw new Error(`${name}: an overlap-window plugin must have a dependency`);
    const ext = new Map<string, Chunk>();
    for (const [k, c] of inputs) {
      const cached = this.cachedInput.get(k);
      ext.set(k, cached ? concat(cached, c) : c);
    }
    const ends = new Set([...ext.values()].map((c) => c.end));
    if (ends.size !== 1) throw new Error(`${name} got incongruent inputs (different ends)`);
    const end = [...ends][0]!;
    const invalidBeyond = end - this.right2 - 1n;

    const result = await compute(ext);
    for (const [d, c] of result) result.set(d, c.split(this.sentUntil, false)[1]);

    const out: Outputs = new Map();
    const held: Outputs = new Map();
    if (!this.plugin.multiOutput) {
      const [d, c] = [...result][0]!;
      const [send, keep] = c.split(invalidBeyond, true);
      out.set(d, send);
      held.set(d, keep);
      this.sentUntil = keep.start;
    } else {
      const prev = cacheBeyond(result, invalidBeyond, held, name);
      for (const [d, c] of result) {
        const [send, keep] = c.split(prev, true);
        out.set(d, send);
        held.set(d, keep);
      }
      if (new Set([...held.values()].map((c) => c.start)).size !== 1)
        throw new Error(`${name}: output start time inconsistency`);
      this.sentUntil = prev;
    }
    this.cachedResults = held;
    const cacheInputsBeyond = this.sentUntil - this.left2 - 1n;
    this.cachedInput = new Map();
    cacheBeyond(ext, cacheInputsBeyond, this.cachedInput, name);
    return out;
  }

  /** The held-back tail of the last computation, emitted once the inputs are exhausted. */
  final(): Outputs | null {
    return this.cachedResults;
  }
}

function concat(a: Chunk, b: Chunk): Chunk {
  // The kept tail and the new batch are the same merged input; only the label may differ.
  return Chunk.concatenate([a.dataType === b.dataType ? a : a.with({ dataType: b.dataType }), b]);
}
