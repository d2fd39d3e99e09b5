// A chunk: the rows of one data type of one run in a half-open time range [start, end).

import type { DType } from './dtype.js';
import { Records } from './records.js';
import { latestTime, timeOffsets, timesFromOffsets } from './int64-time.js';

export class CannotSplit extends Error {}

export interface ChunkInit {
  runId: string;
  dataType: string;
  dataKind: string;
  start: bigint;
  end: bigint;
  data: Records;
  targetSizeMb?: number;
}

/** endtime of row i: the `endtime` field if present, else time + length * dt. */
export function endtimes(r: Records): BigInt64Array {
  if (r.dtype.has('endtime')) return r.i64('endtime');
  const t = r.i64('time'),
    len = r.ints('length'),
    dt = r.ints('dt');
  const n = r.length;
  if (n === 0) return new BigInt64Array(0);
  // Offsets from the first time in float64 are exact below 2^53 ns; far-apart rows take BigInt.
  const base = t[0]!;
  const off = timeOffsets(t, base);
  let exact = true;
  for (let i = 0; i < n; i++) {
    const e = off[i]! + len[i]! * dt[i]!;
    off[i] = e;
    if (!(Math.abs(e) < 2 ** 52)) exact = false;
  }
  if (exact) return timesFromOffsets(off, base, n);
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = t[i]! + BigInt(len[i]! * dt[i]!);
  return out;
}

/** The latest endtime of rows [from, length) (-1 if none), read from the columns it needs
 * alone (a Chunk checks its last rows on every construction; slicing every column for it was
 * a large part of the engine's garbage). */
function latestEndtime(r: Records, from: number): bigint {
  if (from >= r.length) return -1n;
  let m: bigint;
  if (r.dtype.has('endtime')) m = latestTime(r.i64('endtime').subarray(from));
  else {
    const len = r.ints('length'),
      dt = r.ints('dt');
    m = latestTime(r.i64('time').subarray(from), (i) => len[from + i]! * dt[from + i]!);
  }
  return m > -1n ? m : -1n;
}

export class Chunk {
  readonly runId: string;
  readonly dataType: string;
  readonly dataKind: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly data: Records;
  readonly targetSizeMb: number;

  constructor(init: ChunkInit) {
    this.runId = init.runId;
    this.dataType = init.dataType;
    this.dataKind = init.dataKind;
    this.start = init.start;
    this.end = init.end;
    this.data = init.data;
    this.targetSizeMb = init.targetSizeMb ?? 200;
    // Built only for an error: two bigint-to-text conversions per chunk otherwise.
    const where = (): string => `${this.runId}.${this.dataType} [${this.start}, ${this.end})`;
    if (this.start < 0n) throw new Error(`chunk ${where()} has a negative start time`);
    if (this.start > this.end) throw new Error(`chunk ${where()} has negative length`);
    if (this.data.length > 0) {
      const t = this.data.i64('time');
      if (t[0]! < this.start) throw new Error(`chunk ${where()}: data starts early at ${t[0]}`);
      // strax checks the last 500 rows only; computing all endtimes would cost a pass per chunk.
      const maxEnd = latestEndtime(this.data, Math.max(0, this.data.length - 500));
      if (maxEnd > this.end) throw new Error(`chunk ${where()}: data ends late at ${maxEnd}`);
    }
  }

  get dtype(): DType {
    return this.data.dtype;
  }

  get length(): number {
    return this.data.length;
  }

  get nbytes(): number {
    return this.data.nbytes;
  }

  with(changes: Partial<ChunkInit>): Chunk {
    return new Chunk({ ...this.init(), ...changes });
  }

  private init(): ChunkInit {
    return {
      runId: this.runId,
      dataType: this.dataType,
      dataKind: this.dataKind,
      start: this.start,
      end: this.end,
      data: this.data,
      targetSizeMb: this.targetSizeMb,
    };
  }

  /** Split at t into [start, t) and [t, end); with allowEarlySplit t may move earlier to a clean gap. */
  split(t: bigint, allowEarlySplit = false): [Chunk, Chunk] {
    if (t > this.end) t = this.end;
    if (t < this.start) t = this.start;
    let left: Records, right: Records;
    if (t === this.end) {
      left = this.data;
      right = this.data.slice(0, 0);
    } else if (t === this.start) {
      left = this.data.slice(0, 0);
      right = this.data;
    } else {
      [left, right, t] = splitRecords(this.data, t, allowEarlySplit);
    }
    const mid = t > this.start ? t : this.start;
    return [
      this.with({ start: this.start, end: mid, data: left }),
      this.with({ start: mid, end: t > this.end ? t : this.end, data: right }),
    ];
  }

  /** Successive chunks of one data type joined (gaps allowed, overlaps not). */
  static concatenate(chunks: readonly (Chunk | null | undefined)[]): Chunk {
    const cs = chunks.filter((c): c is Chunk => !!c);
    if (cs.length === 0) throw new Error('Chunk.concatenate: no chunks');
    if (cs.length === 1) return cs[0]!;
    let prevEnd = 0n;
    for (const c of cs) {
      if (c.dataType !== cs[0]!.dataType)
        throw new Error(`Chunk.concatenate: mixed data types ${cs[0]!.dataType} and ${c.dataType}`);
      if (c.runId !== cs[0]!.runId)
        throw new Error(`Chunk.concatenate: mixed runs ${cs[0]!.runId} and ${c.runId}`);
      if (c.start < prevEnd)
        throw new Error(`Chunk.concatenate: overlapping or out-of-order chunks of ${c.dataType}`);
      prevEnd = c.end;
    }
    return cs[0]!.with({
      start: cs[0]!.start,
      end: cs[cs.length - 1]!.end,
      data: Records.concat(
        cs.map((c) => c.data),
        cs[0]!.dtype,
      ),
      targetSizeMb: Math.max(...cs.map((c) => c.targetSizeMb)),
    });
  }
}

/** strax's split_array: rows ending at or before t go left, rows starting at or after t go right. */
export function splitRecords(data: Records, t: bigint, allowEarlySplit: boolean): [Records, Records, bigint] {
  const n = data.length;
  if (n === 0) return [data, data, t];
  const time = data.i64('time');
  if (time[0]! >= t) return [data.slice(0, 0), data, t];
  // Times and endtimes as float64 offsets from t (exact, or the BigInt loop decides): the scan
  // compares numbers instead of making a BigInt per row.
  const off = timeOffsets(time, t);
  const endOff = endOffsets(data, off, t);
  const found = endOff ? scanSplit(off, endOff, n) : scanSplitBig(time, endtimes(data), t, n);
  const splittable = found[0]!,
    firstBeyond = found[1]!,
    stopped = found[2] === 1,
    endsBeyond = found[3] === 1;
  if (!stopped) return [data, data.slice(n, n), t];
  if (splittable !== firstBeyond || endsBeyond) {
    if (!allowEarlySplit) throw new CannotSplit(`cannot split data at ${t}: a row straddles it`);
    const ts = time[splittable]!;
    t = ts < t ? ts : t;
  }
  return [data.slice(0, splittable), data.slice(splittable), t];
}

/** Exact below 2^53 ns. */
const EXACT = 2 ** 53;

/** endtime − base of every row (timeOff: time − base), or null when an offset is not exact. */
function endOffsets(r: Records, timeOff: Float64Array, base: bigint): Float64Array | null {
  if (!exactOffsets(timeOff)) return null;
  if (r.dtype.has('endtime')) {
    const e = timeOffsets(r.i64('endtime'), base);
    return exactOffsets(e) ? e : null;
  }
  const e = new Float64Array(r.length);
  return addDurations(timeOff, r.ints('length'), r.ints('dt'), e) ? e : null;
}

function exactOffsets(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i]!) < EXACT)) return false;
  return true;
}

function addDurations(
  off: Float64Array,
  len: ArrayLike<number>,
  dt: ArrayLike<number>,
  out: Float64Array,
): boolean {
  let exact = true;
  for (let i = 0; i < out.length; i++) {
    const e = off[i]! + len[i]! * dt[i]!;
    out[i] = e;
    if (!(Math.abs(e) < EXACT)) exact = false;
  }
  return exact;
}

/** The scan of split_array over offsets from t: [splittable, first row at or after t, stopped,
 * whether the latest end seen lies beyond t]. */
function scanSplit(off: Float64Array, ends: Float64Array, n: number): Int32Array {
  // Times are not negative, so -Infinity stands for strax's initial latest end of -1.
  let latestEnd = -Infinity,
    splittable = 0,
    firstBeyond = -1,
    stopped = 0;
  for (let i = 0; i < n; i++) {
    if (off[i]! >= latestEnd) splittable = i;
    if (off[i]! >= 0) {
      firstBeyond = i;
      stopped = 1;
      break;
    }
    if (ends[i]! > latestEnd) latestEnd = ends[i]!;
    if (latestEnd > 0) {
      stopped = 1;
      break;
    }
  }
  return Int32Array.of(splittable, firstBeyond, stopped, latestEnd > 0 ? 1 : 0);
}

/** scanSplit on int64 times, for rows too far from t for exact offsets. */
function scanSplitBig(time: BigInt64Array, ends: BigInt64Array, t: bigint, n: number): Int32Array {
  let latestEnd = -1n,
    splittable = 0,
    firstBeyond = -1,
    stopped = 0;
  for (let i = 0; i < n; i++) {
    if (time[i]! >= latestEnd) splittable = i;
    if (time[i]! >= t) {
      firstBeyond = i;
      stopped = 1;
      break;
    }
    if (ends[i]! > latestEnd) latestEnd = ends[i]!;
    if (latestEnd > t) {
      stopped = 1;
      break;
    }
  }
  return Int32Array.of(splittable, firstBeyond, stopped, latestEnd > t ? 1 : 0);
}
