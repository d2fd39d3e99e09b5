// Drive one plugin: synchronised input batches → compute (here or on the worker pool) → output
// chunks, with the special behaviour of overlap-window and down-chunking plugins.

import type { Chunk } from '../chunk.js';
import {
  OverlapWindowPlugin,
  SaveWhen,
  type ComputeResult,
  type InputsByKind,
  type Plugin,
} from '../plugin.js';
import { DownChunkingPlugin } from '../special-plugins/down-chunking.js';
import { NamedError, PluginError } from './errors.js';
import { OverlapState } from './overlap.js';
import { fixOutput, type Outputs } from './output.js';
import type { WorkerPool } from './pool.js';
import { synchronise, type InputBatch } from './sync.js';
import { Taker } from './unpinned.js';

export interface RunnerOptions {
  kindOf: (dataType: string) => string;
  /** Pool and this plugin's key in it, when it computes on worker threads. */
  pool: WorkerPool | null;
  poolKey: string | null;
  /** Batches computed ahead on the pool. */
  inflight: number;
  /** Input kinds that only this plugin reads, whose rows may move to the pool without a copy
   * (filled in by the processor once every reader is known). */
  handOver?: ReadonlySet<string>;
}

/** strax do_compute's time range: the inputs' common range (lenient for unsaved plugins). */
function rangeOf(plugin: Plugin, inputs: Map<string, Chunk>): [bigint | null, bigint | null] {
  if (inputs.size === 0) return [null, null];
  const cs = [...inputs.values()];
  let start = cs[0]!.start,
    end = cs[0]!.end;
  if (cs.some((c) => c.start !== start || c.end !== end)) {
    if (plugin.maxSaveWhen() > SaveWhen.EXPLICIT) {
      throw new Error(
        `got inconsistent time ranges of inputs: ${cs.map((c) => `${c.dataType} [${c.start}, ${c.end})`).join(', ')}`,
      );
    }
    for (const c of cs) {
      if (c.start < start) start = c.start;
      if (c.end > end) end = c.end;
    }
  }
  return [start, end];
}

export async function* runPlugin(
  plugin: Plugin,
  iters: Readonly<Record<string, AsyncIterator<Chunk>>>,
  opts: RunnerOptions,
): AsyncGenerator<Outputs> {
  const name = plugin.className;
  const wrap = (e: unknown, chunkI: number | null): Error =>
    e instanceof NamedError ? e : new PluginError(name, plugin.runId, chunkI, e);

  const none: ReadonlySet<string> = new Set();
  const computeRaw = async (
    inputs: Map<string, Chunk>,
    chunkI: number,
    handOver = none,
  ): Promise<Outputs> => {
    const [start, end] = rangeOf(plugin, inputs);
    const data: InputsByKind = {};
    for (const [k, c] of inputs) data[k] = c.data;
    const range = { start: start ?? -1n, end: end ?? -1n, chunkI };
    const result: ComputeResult =
      opts.pool && opts.poolKey
        ? await opts.pool.compute(opts.poolKey, data, range.start, range.end, chunkI, handOver)
        : await plugin.compute(data, range);
    return fixOutput(plugin, result, start, end);
  };

  const batches = synchronise(plugin, iters, opts.kindOf);
  let chunkI: number | null = null;
  try {
    if (plugin instanceof OverlapWindowPlugin) {
      const state = new OverlapState(plugin);
      for await (const b of batches) {
        chunkI = b.chunkI;
        yield await state.step(b.inputs, (ext) => computeRaw(ext, b.chunkI));
      }
      chunkI = null;
      const tail = state.final();
      if (tail) yield tail;
    } else if (plugin instanceof DownChunkingPlugin) {
      for await (const b of batches) {
        chunkI = b.chunkI;
        const [start, end] = rangeOf(plugin, b.inputs);
        const data: InputsByKind = {};
        for (const [k, c] of b.inputs) data[k] = c.data;
        for await (const piece of plugin.computePieces(data, {
          start: start ?? -1n,
          end: end ?? -1n,
          chunkI: b.chunkI,
        })) {
          yield fixOutput(plugin, piece, null, null);
        }
      }
    } else if (opts.pool && opts.poolKey) {
      yield* ordered(
        batches,
        // Overlap-window plugins keep their inputs' tails: only this plain path hands rows over.
        (b) => computeRaw(b.inputs, b.chunkI, opts.handOver),
        Math.max(1, opts.inflight),
        (i) => {
          chunkI = i;
        },
        wrap,
      );
    } else {
      // taken, not bound to a loop variable: see unpinned.ts
      const next = Taker.of(batches);
      const compute = (b: InputBatch): Promise<Outputs> => {
        chunkI = b.chunkI;
        return computeRaw(b.inputs, b.chunkI);
      };
      try {
        while (await next.more()) yield await compute(next.take());
      } finally {
        await next.close();
      }
    }
  } catch (e) {
    throw wrap(e, chunkI);
  }
}

/** Compute up to `inflight` batches at once, yielding results in batch order. */
async function* ordered(
  batches: AsyncGenerator<InputBatch>,
  compute: (b: InputBatch) => Promise<Outputs>,
  inflight: number,
  at: (chunkI: number) => void,
  wrap: (e: unknown, chunkI: number | null) => Error,
): AsyncGenerator<Outputs> {
  const queue: { chunkI: number; p: Promise<Outputs> }[] = [];
  const start = (b: InputBatch): void => {
    at(b.chunkI);
    const p = compute(b);
    p.catch(() => {}); // awaited in order below; avoid an unhandled-rejection report meanwhile
    queue.push({ chunkI: b.chunkI, p });
  };
  const next = async (): Promise<Outputs> => {
    const { chunkI, p } = queue.shift()!;
    at(chunkI);
    try {
      return await p;
    } catch (e) {
      throw wrap(e, chunkI);
    }
  };
  const input = Taker.of(batches);
  try {
    while (await input.more()) {
      start(input.take());
      if (queue.length >= inflight) yield await next();
    }
  } finally {
    await input.close();
  }
  while (queue.length) yield await next();
}
