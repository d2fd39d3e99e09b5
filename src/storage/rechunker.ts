// strax's Rechunker: before saving, chunks are joined and re-split at quiet gaps so that files
// come out near the data type's target size (chunk_target_size_mb).

import { Chunk, endtimes } from '../core/chunk.js';
import { Records } from '../core/records.js';
import { timeOffsets } from '../core/int64-time.js';

/** strax's DEFAULT_CHUNK_SPLIT_NS: the smallest gap between rows where a chunk may be cut. */
export const CHUNK_SPLIT_GAP_NS = 1000n;

/** Indices of rows that start more than minGap after every earlier row has ended. */
export function gapIndices(data: Records, minGap: bigint): number[] {
  return data.length < 2 ? [] : gapIndicesOf(data.i64('time'), endtimes(data), minGap);
}

function gapIndicesOf(time: BigInt64Array, endsBig: BigInt64Array, minGap: bigint): number[] {
  const n = time.length;
  if (n < 2) return [];
  // Float64 offsets from the first row (exact below 2^53 ns) instead of BigInt per row.
  const base = time[0]!;
  const t = timeOffsets(time, base);
  const ends = timeOffsets(endsBig, base);
  const gap = Number(minGap);
  let exact = Math.abs(t[n - 1]!) < 2 ** 52 && Number.isSafeInteger(gap);
  for (let i = 0; exact && i < n; i++) if (!(Math.abs(ends[i]!) < 2 ** 52)) exact = false;
  if (!exact) return gapIndicesBig(time, endsBig, minGap);
  const out: number[] = [];
  let maxEnd = ends[0]!;
  for (let i = 1; i < n; i++) {
    if (ends[i - 1]! > maxEnd) maxEnd = ends[i - 1]!;
    if (t[i]! - maxEnd > gap) out.push(i);
  }
  return out;
}

function gapIndicesBig(t: BigInt64Array, ends: BigInt64Array, minGap: bigint): number[] {
  const out: number[] = [];
  let maxEnd = ends[0]!;
  for (let i = 1; i < t.length; i++) {
    if (ends[i - 1]! > maxEnd) maxEnd = ends[i - 1]!;
    if (t[i]! - maxEnd > minGap) out.push(i);
  }
  return out;
}

/** strax's Rechunker.get_splits: row indices to cut at, starting with 0. */
export function getSplits(data: Records, targetBytes: number, minGap: bigint = CHUNK_SPLIT_GAP_NS): number[] {
  const perChunk = Math.floor(targetBytes / data.dtype.itemsize);
  if (perChunk === 0) throw new Error('Target size is too small.');
  return splitsAtGaps(gapIndices(data, minGap), perChunk);
}

function splitsAtGaps(gaps: readonly number[], perChunk: number): number[] {
  const splits = [0];
  if (gaps.length === 0) return splits;
  // As strax: candidates are the gaps after the last one used (the first gap is never a candidate).
  let used = 0;
  while (splits[splits.length - 1]! + perChunk < gaps[gaps.length - 1]!) {
    const from = used + 1;
    if (from >= gaps.length) break; // strax would fail here (argmin of nothing); keep the rest whole
    const want = perChunk + splits[splits.length - 1]!;
    let best = from;
    for (let k = from + 1; k < gaps.length; k++)
      if (Math.abs(gaps[k]! - want) < Math.abs(gaps[best]! - want)) best = k;
    splits.push(gaps[best]!);
    used = best;
  }
  return splits;
}

/** A copy of rows that are views on a much larger buffer, so that keeping them does not keep
 * the rest of that buffer alive (a remainder after a cut, a slice sent by an overlap plugin). */
function ownRows(c: Chunk): Chunk {
  const d = c.data;
  let shared = false;
  for (const name of d.dtype.names) {
    const col = d.col(name);
    if (col.buffer.byteLength > 2 * col.byteLength + 4096) {
      shared = true;
      break;
    }
  }
  if (!shared) return c;
  const out = Records.empty(d.dtype, d.length);
  for (const name of d.dtype.names) (out.col(name) as Uint8Array).set(d.col(name) as Uint8Array);
  return c.with({ data: out });
}

/** Pieces are joined while the result stays this small: many small chunks become few objects,
 * but big ones are never copied just to be held (they are written piece by piece). */
const JOIN_LIMIT_BYTES = 8e6;

/**
 * strax's Rechunker, with memory kept flat for long runs: at most `maxBufferMb` of rows wait
 * here. While a data type's chunk target is within that budget the files are cut exactly where
 * strax cuts them; a larger target (peaklets: 2000 MB) is lowered to the budget, so such files
 * come out budget-sized instead of holding a whole long run in memory first.
 *
 * The waiting rows stay in the pieces they came in (small ones joined); a file is handed out as
 * its pieces in order (receivePieces, flushPieces), so writing it needs no joined copy.
 */
export class Rechunker {
  /** Chunks received but not yet handed out, in order. Small neighbours are joined as they
   * come (each held piece longer than the next two together, as timsort's runs): a long run of
   * small chunks costs O(log n) objects and O(n log n) copying. */
  private pending: Chunk[] = [];
  private pendingRows = 0;

  constructor(
    private readonly rechunk: boolean,
    private readonly maxBufferMb = Infinity,
  ) {}

  /** Chunks ready to be written after receiving this one. */
  receive(chunk: Chunk): Chunk[] {
    return this.receivePieces(chunk).map((ps) => Chunk.concatenate(ps));
  }

  flush(): Chunk[] {
    return this.flushPieces().map((ps) => Chunk.concatenate(ps));
  }

  /** Files ready after receiving this chunk, each as its pieces in order (joined, a file's pieces
   * are exactly the chunk strax would write). */
  receivePieces(chunk: Chunk): Chunk[][] {
    if (!this.rechunk) return [[chunk]];
    this.push(ownRows(chunk));
    // getSplits cuts only at a gap more than one target's worth of rows past the start: with
    // fewer rows pending no cut is possible, so looking for one is put off.
    const targetBytes = this.targetMb() * 1e6;
    const perChunk = Math.floor(targetBytes / chunk.dtype.itemsize);
    if (perChunk === 0) throw new Error('Target size is too small.');
    if (this.pendingRows - 1 <= perChunk) return [];
    const { time, ends } = this.joinedTimes();
    const splits = splitsAtGaps(gapIndicesOf(time, ends, CHUNK_SPLIT_GAP_NS), perChunk);
    const out: Chunk[][] = [];
    for (let k = 1; k < splits.length; k++) out.push(this.cutAt(time[splits[k]!]! - CHUNK_SPLIT_GAP_NS / 2n));
    return out;
  }

  /** The rows waiting, as held (a saver mirrors them on disk for a rerun after a crash). */
  pendingChunks(): readonly Chunk[] {
    return this.pending;
  }

  flushPieces(): Chunk[][] {
    const ps = this.pending;
    this.pending = [];
    this.pendingRows = 0;
    return ps.length ? [ps] : [];
  }

  private targetMb(): number {
    let mb = 0;
    for (const c of this.pending) if (c.targetSizeMb > mb) mb = c.targetSizeMb;
    return Math.min(mb, this.maxBufferMb);
  }

  /** Start times and end times of every waiting row (16 bytes a row, however wide the rows). */
  private joinedTimes(): { time: BigInt64Array; ends: BigInt64Array } {
    const time = new BigInt64Array(this.pendingRows),
      ends = new BigInt64Array(this.pendingRows);
    let at = 0;
    for (const p of this.pending) {
      time.set(p.data.i64('time'), at);
      ends.set(endtimes(p.data), at);
      at += p.length;
    }
    return { time, ends };
  }

  /** Hand out the waiting rows before t (t lies in a gap, so no row straddles it). */
  private cutAt(t: bigint): Chunk[] {
    const p = this.pending;
    let i = 0;
    while (i < p.length - 1 && p[i]!.end <= t) i++;
    let out: Chunk[];
    if (i > 0 && t < p[i]!.start) {
      // t falls between two received chunks: the file ends at t and the rest starts there.
      out = [...p.slice(0, i - 1), p[i - 1]!.with({ end: t })];
      this.pending = [p[i]!.with({ start: t }), ...p.slice(i + 1)];
    } else {
      const [left, right] = p[i]!.split(t, false);
      out = [...p.slice(0, i), left];
      this.pending = [ownRows(right), ...p.slice(i + 1)];
    }
    for (const c of out) this.pendingRows -= c.length;
    return out;
  }

  private push(chunk: Chunk): void {
    const p = this.pending;
    p.push(chunk);
    this.pendingRows += chunk.length;
    const w = (i: number): number => p[i]!.nbytes + 1;
    const join = (i: number): boolean => {
      if (w(i) + w(i + 1) > JOIN_LIMIT_BYTES) return false;
      p.splice(i, 2, Chunk.concatenate([p[i], p[i + 1]]));
      return true;
    };
    for (;;) {
      const n = p.length;
      if (n >= 3 && w(n - 3) <= w(n - 2) + w(n - 1)) {
        if (!join(w(n - 3) < w(n - 1) ? n - 3 : n - 2)) break;
      } else if (n >= 2 && w(n - 2) <= w(n - 1)) {
        if (!join(n - 2)) break;
      } else break;
    }
  }
}
