// Rechunking on save (strax Rechunker/get_splits): produced chunks are joined until they pass
// the target size, then cut inside gaps of more than 1 µs near the target row count, 500 ns
// before the next row, so no row is ever cut. The remainder waits for more data or flush().

import { Chunk, endtimes } from '../chunk.js';
import type { Records } from '../records.js';

export function getSplits(data: Records, targetSizeBytes: number, minGap = 1000): number[] {
  const assumed = Math.floor(targetSizeBytes / data.dtype.itemsize);
  if (assumed === 0) throw new Error('Rechunker: target size is too small (less than one row)');
  const t = data.i64('time');
  const ends = endtimes(data);
  const gapIdx: number[] = [];
  const gap = BigInt(minGap);
  let maxEnd = ends.length ? ends[0]! : 0n;
  for (let i = 1; i < t.length; i++) {
    if (t[i]! - maxEnd > gap) gapIdx.push(i);
    if (ends[i]! > maxEnd) maxEnd = ends[i]!;
  }
  const split = [0];
  let argmin = 0;
  while (gapIdx.length && split[split.length - 1]! + assumed < gapIdx[gapIdx.length - 1]!) {
    const want = split[split.length - 1]! + assumed;
    let best = -1, bestD = Infinity;
    for (let k = argmin + 1; k < gapIdx.length; k++) {
      const dd = Math.abs(gapIdx[k]! - want);
      if (dd < bestD) { bestD = dd; best = k; }
    }
    if (best < 0) break;
    split.push(gapIdx[best]!);
    argmin = best;
  }
  return split;
}

export class Rechunker {
  private cache: Chunk | null = null;
  constructor(private readonly rechunk: boolean) {}

  /** Chunks to save now. */
  receive(chunk: Chunk): Chunk[] {
    if (!this.rechunk) return [chunk];
    if (this.cache) chunk = Chunk.concatenate([this.cache, chunk]);
    const splits = getSplits(chunk.data, chunk.targetSizeMb * 1e6, 1000);
    const out: Chunk[] = [];
    let rest = chunk;
    for (let i = 1; i < splits.length; i++) {
      const k = splits[i]! - splits[i - 1]!;
      const [left, right] = rest.split(rest.data.i64('time')[k]! - 500n, false);
      out.push(left);
      rest = right;
    }
    this.cache = rest;
    return out;
  }

  flush(): Chunk[] {
    const c = this.cache;
    this.cache = null;
    return c ? [c] : [];
  }
}
