// strax's Rechunker: before saving, chunks are joined and re-split at quiet gaps so that files
// come out near the data type's target size (chunk_target_size_mb).

import { Chunk, endtimes } from '../core/chunk.js';
import { Records } from '../core/records.js';
import { latestTime, timeOffsets } from '../core/int64-time.js';

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
 * but big ones are never copied just to be held. */
const JOIN_LIMIT_BYTES = 8e6;

/** What the saver does next: append rows to the file being written, or close that file (its
 * end is the end of the last rows appended; a file's rows may all be empty chunks). */
export type FileStep = { readonly rows: Chunk } | { readonly end: true };

/**
 * strax's Rechunker, streaming: files are cut exactly where strax cuts them, but their rows are
 * handed out as soon as they are sure to belong to the file being written, so memory does not
 * grow with the chunk target (peaklets: 2000 MB).
 *
 * Why rows can go early: strax joins every chunk to its cache and cuts at the gap nearest to
 * one target's worth of rows (`perChunk`) once some gap lies beyond that point. While no cut has
 * been made, every gap of the cache lies at or before perChunk, and the cut to come is at or
 * after the last of them (the nearest candidate to perChunk is that gap or a later one; the
 * cache's first gap is never a candidate, and every candidate lies after it). So the rows before
 * the cache's last gap are handed out at once; only the rows after it wait. With at most one
 * gap in the cache (the first is never a candidate) the cut can only come at a gap still to come,
 * so every row goes (data without gaps, as pulse_counts, streams whole). The gaps handed out
 * matter later only through the last of them and whether it was the cache's first gap.
 */
export class Rechunker {
  /** Rows of the cache not yet handed out (from row `offset` of the cache on), in the pieces
   * they came in (small neighbours joined: each held piece longer than the next two together,
   * as timsort's runs, so a long run of small chunks costs O(log n) objects). */
  private held: Chunk[] = [];
  private heldRows = 0;
  /** Held rows (indices in the held rows, > 0) that start after a gap. */
  private heldGaps: number[] = [];
  /** When the last held row (or any before it) ends. */
  private maxEnd = 0n;
  /** Rows of the cache (strax's cache: rows after the last cut) already handed out. */
  private offset = 0;
  /** Gaps of the cache among the rows handed out, counted up to 2, and the last of them. */
  private gapsOut = 0;
  private lastGapOut = -1;
  /** Whether the cache has had rows (maxEnd is theirs). */
  private cacheHasRows = false;
  /** Largest chunk target among the pieces handed out since the last cut. */
  private targetOutMb = 0;
  /** Rows (or empty chunks) handed out since the last file ended. */
  private fileOpen = false;

  constructor(private readonly rechunk: boolean) {}

  /** Steps after receiving this chunk. */
  receive(chunk: Chunk): FileStep[] {
    if (!this.rechunk) return [{ rows: chunk }, { end: true }];
    const own = ownRows(chunk);
    this.scanGaps(own);
    this.push(own);
    const perChunk = Math.floor((this.targetMb() * 1e6) / chunk.dtype.itemsize);
    if (perChunk === 0) throw new Error('Target size is too small.');
    // The cache's gaps, in cache rows (held row i is cache row h0 + i): those handed out stand
    // for themselves by the last of them (and a stand-in first gap when it was not the first).
    const h0 = this.offset;
    const gaps: number[] = [];
    if (this.gapsOut >= 2) gaps.push(-1);
    if (this.gapsOut >= 1) gaps.push(this.lastGapOut);
    for (const g of this.heldGaps) gaps.push(g + h0);
    const splits = splitsAtGaps(gaps, perChunk);
    const nCuts = splits.length - 1;
    // After the cuts the cache starts at the last one (cache row `cut` as numbered above).
    const cut = nCuts ? splits[nCuts]! : 0;
    const from = nCuts ? cut : h0; // first cache row not handed out
    const gapsLeft = nCuts ? gaps.filter((g) => g > cut) : gaps;
    const gapCount = nCuts ? gapsLeft.length : this.gapsOut + this.heldGaps.length;
    // With at most one gap (never a candidate) the next cut is at a gap yet to come: every row
    // belongs to the next file. Otherwise the rows before the last gap do.
    const all = gapCount <= 1;
    const last = gapsLeft.length ? gapsLeft[gapsLeft.length - 1]! : -1;
    const toGap = !all && last > from;
    if (nCuts === 0 && !all && !toGap) return [];
    const times = this.heldTimesAt([...splits.slice(1), ...(toGap ? [last] : [])].map((r) => r - h0));
    const steps: FileStep[] = [];
    for (let k = 0; k < nCuts; k++) {
      this.handOut(times[k]! - CHUNK_SPLIT_GAP_NS / 2n, steps);
      steps.push({ end: true });
      this.fileOpen = false;
      this.targetOutMb = 0;
      this.gapsOut = 0;
      this.lastGapOut = -1;
    }
    if (all) {
      const end = from + this.heldRows; // held row 0 is cache row `from` now
      // Every row ends by maxEnd, and a cut to come lies after a gap beyond it; the time after
      // maxEnd stays held, as the file may end within it.
      this.handOut(this.maxEnd + 1n, steps);
      this.gapsOut = gapCount;
      this.lastGapOut = gapCount ? gapsLeft[gapsLeft.length - 1]! - cut : -1;
      this.heldGaps = [];
      this.offset = end - cut;
      return steps;
    }
    if (toGap) {
      this.handOut(times[times.length - 1]! - CHUNK_SPLIT_GAP_NS / 2n, steps);
      let newGaps = 0; // held gaps handed out now (after the last cut)
      for (const g of this.heldGaps) if (g + h0 <= last && (!nCuts || g + h0 > cut)) newGaps++;
      this.gapsOut = Math.min(2, this.gapsOut + newGaps);
      this.lastGapOut = last - cut;
    }
    const newFrom = toGap ? last : from;
    this.offset = newFrom - cut;
    // Gaps at or before the new first held row are accounted for (handed out or cut at), unless
    // nothing moved.
    const shift = newFrom - h0;
    if (shift > 0 || nCuts) {
      // pushed one by one, as everywhere else: Array.prototype.map makes a holey array, and
      // heldGaps alternating between the two kinds deoptimised receive
      const kept: number[] = [];
      for (const g of this.heldGaps) if (g > shift) kept.push(g - shift);
      this.heldGaps = kept;
    }
    return steps;
  }

  /** Steps closing the run: the rows still held, and the end of the last file. */
  flush(): FileStep[] {
    if (!this.rechunk) return [];
    const steps: FileStep[] = this.held.map((c) => ({ rows: c }));
    if (steps.length || this.fileOpen) steps.push({ end: true });
    this.held = [];
    this.heldRows = 0;
    this.heldGaps = [];
    this.offset = 0;
    this.gapsOut = 0;
    this.lastGapOut = -1;
    this.cacheHasRows = false;
    this.targetOutMb = 0;
    this.fileOpen = false;
    return steps;
  }

  /** The rows held, in order: with the rows handed out since the last file ended, what a
   * saver mirrors on disk for a rerun after a crash. */
  heldChunks(): readonly Chunk[] {
    return this.held;
  }

  /** Rows held now (for tests and memory accounting). */
  get heldRowCount(): number {
    return this.heldRows;
  }

  /** Note the gaps before and among the rows of a chunk about to be held. */
  private scanGaps(c: Chunk): void {
    const n = c.length;
    if (n === 0) return;
    const time = c.data.i64('time'),
      ends = endtimes(c.data);
    if (!this.cacheHasRows) {
      for (const g of gapIndicesOf(time, ends, CHUNK_SPLIT_GAP_NS)) this.heldGaps.push(g);
    } else {
      // The cache's rows so far stand in as one row that ends when the last of them ends.
      const t = new BigInt64Array(n + 1),
        e = new BigInt64Array(n + 1);
      t[0] = e[0] = this.maxEnd;
      t.set(time, 1);
      e.set(ends, 1);
      for (const g of gapIndicesOf(t, e, CHUNK_SPLIT_GAP_NS)) this.heldGaps.push(this.heldRows + g - 1);
    }
    const m = latestTime(ends);
    this.maxEnd = this.cacheHasRows && this.maxEnd > m ? this.maxEnd : m;
    this.cacheHasRows = true;
  }

  /** Start times of held rows (ascending indices). */
  private heldTimesAt(rows: readonly number[]): bigint[] {
    const out: bigint[] = [];
    let base = 0,
      k = 0;
    for (const r of rows) {
      while (r >= base + this.held[k]!.length) base += this.held[k++]!.length;
      out.push(this.held[k]!.data.i64('time')[r - base]!);
    }
    return out;
  }

  private targetMb(): number {
    let mb = this.targetOutMb;
    for (const c of this.held) if (c.targetSizeMb > mb) mb = c.targetSizeMb;
    return mb;
  }

  /** Hand out the held rows before t (t lies in a gap, so no row straddles it). */
  private handOut(t: bigint, steps: FileStep[]): void {
    const p = this.held;
    let i = 0;
    while (i < p.length - 1 && p[i]!.end <= t) i++;
    let out: Chunk[];
    if (i > 0 && t < p[i]!.start) {
      // t falls between two received chunks: the part handed out ends at t, the rest starts there.
      out = [...p.slice(0, i - 1), p[i - 1]!.with({ end: t })];
      this.held = [p[i]!.with({ start: t }), ...p.slice(i + 1)];
    } else {
      const [left, right] = p[i]!.split(t, false);
      out = [...p.slice(0, i), left];
      this.held = [ownRows(right), ...p.slice(i + 1)];
    }
    for (const c of out) {
      this.heldRows -= c.length;
      if (c.targetSizeMb > this.targetOutMb) this.targetOutMb = c.targetSizeMb;
      steps.push({ rows: c });
    }
    this.fileOpen = true;
  }

  private push(chunk: Chunk): void {
    const p = this.held;
    p.push(chunk);
    this.heldRows += chunk.length;
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
