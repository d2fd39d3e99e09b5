// Test oracle: strax's Rechunker as written. Every incoming chunk is joined to the rows kept
// from before, cut at each split point strax's get_splits finds for the target, and the rest is
// kept for the next chunk. The streaming rechunker and savers must cut exactly where this does.

import { Chunk } from '../../src/core/chunk.js';
import { CHUNK_SPLIT_GAP_NS, getSplits } from '../../src/storage/rechunker.js';

/** The files strax writes from `chunks`, for `targetBytes` (default: each chunk's own target). */
export function straxRechunk(chunks: readonly Chunk[], targetBytes?: number): Chunk[] {
  let cache: Chunk | null = null;
  const out: Chunk[] = [];
  for (const chunk of chunks) {
    let c: Chunk = cache ? Chunk.concatenate([cache, chunk]) : chunk;
    const splits = getSplits(c.data, targetBytes ?? c.targetSizeMb * 1e6, CHUNK_SPLIT_GAP_NS);
    for (let k = 1; k < splits.length; k++) {
      const [left, right] = c.split(
        c.data.i64('time')[splits[k]! - splits[k - 1]!]! - CHUNK_SPLIT_GAP_NS / 2n,
        false,
      );
      out.push(left);
      c = right;
    }
    cache = c;
  }
  if (cache) out.push(cache);
  return out;
}
