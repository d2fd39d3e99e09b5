// A minimal stand-in for the engine's handling of overlap-window plugins (strax
// OverlapWindowPlugin.do_compute, spec strax-core.md 4.1), so plugin tests can feed a run in
// several chunks: inputs of earlier calls are kept for 2·window, results of the last 2·window
// are held back and recomputed with the next chunk.

import { Chunk } from '../../src/core/chunk.js';
import type { OverlapWindowPlugin } from '../../src/core/plugin.js';
import type { Records } from '../../src/core/records.js';

export function runOverlapped(plugin: OverlapWindowPlugin, kind: string, chunks: readonly Chunk[], outType: string, outKind: string): Records[] {
  const w = plugin.getWindowSize();
  const [l, r] = typeof w === 'number' ? [w, w] : w;
  const left = BigInt(Math.ceil(l)), right = BigInt(Math.ceil(r));
  let cachedInput: Chunk | null = null;
  let cachedResults: Chunk | null = null;
  let sentUntil = 0n;
  const out: Records[] = [];
  chunks.forEach((chunk, chunkI) => {
    const input: Chunk = cachedInput ? Chunk.concatenate([cachedInput, chunk]) : chunk;
    const invalidBeyond = input.end - 2n * right - 1n;
    const data = plugin.compute({ [kind]: input.data }, { start: input.start, end: input.end, chunkI }) as Records;
    let result = new Chunk({ runId: input.runId, dataType: outType, dataKind: outKind, start: input.start, end: input.end, data });
    result = result.split(sentUntil, false)[1];
    [result, cachedResults] = result.split(invalidBeyond, true);
    sentUntil = cachedResults.start;
    cachedInput = input.split(sentUntil - 2n * left - 1n, true)[1];
    out.push(result.data);
  });
  if (cachedResults) out.push((cachedResults as Chunk).data);
  return out;
}

/** Cut one batch of time-sorted rows into about n chunks, at clean gaps. */
export function chunked(runId: string, dataType: string, kind: string, data: Records, start: bigint, end: bigint, n: number): Chunk[] {
  let rest = new Chunk({ runId, dataType, dataKind: kind, start, end, data });
  const out: Chunk[] = [];
  for (let k = 1; k < n; k++) {
    const t = start + ((end - start) * BigInt(k)) / BigInt(n);
    const [a, b] = rest.split(t, true);
    out.push(a);
    rest = b;
  }
  out.push(rest);
  return out;
}
