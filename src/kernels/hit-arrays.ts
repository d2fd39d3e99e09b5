// The kernels' view of hits (strax hit_dtype, also lone_hits and veto_regions) and of the records
// the peak kernels read: camelCase fields, times as float64 ns offsets from a base (for the peak
// kernels a multiple of the records' dt). core/kernel-columns.ts converts from and to Records.

import { allocColumns, camelCase, HIT_SCHEMA, type CamelColumnsOf } from './schema.js';

export interface RecordArrays {
  n: number;
  /** Samples per record in `data` (110 for XENONnT). */
  samplesPerRecord: number;
  time: Float64Array;
  length: Int32Array;
  dt: Int16Array;
  channel: Int16Array;
  baseline: Float32Array;
  amplitudeBitShift: Int16Array;
  /** n * samplesPerRecord, row-major. */
  data: Int16Array;
  area: Int32Array;
}

/** Records from their columns. Every RecordArrays is made here, as one object literal, so the
 * kernels see one object shape. */
export function recordArraysOf(c: RecordArrays): RecordArrays {
  return {
    n: c.n,
    samplesPerRecord: c.samplesPerRecord,
    time: c.time,
    length: c.length,
    dt: c.dt,
    channel: c.channel,
    baseline: c.baseline,
    amplitudeBitShift: c.amplitudeBitShift,
    data: c.data,
    area: c.area,
  };
}

/** Hits as the kernels hold them: HIT_SCHEMA's fields in camelCase, times as float64 offsets. */
export type HitArrays = { n: number } & CamelColumnsOf<typeof HIT_SCHEMA>;

/** What find_peaks reads of hits. */
export type PeakInputHits = Pick<HitArrays, 'n' | 'time' | 'length' | 'dt' | 'channel' | 'area'>;
/** What find_hit_integration_bounds reads, and the window it writes. */
export type BoundedHits = Pick<
  HitArrays,
  'n' | 'time' | 'length' | 'dt' | 'channel' | 'recordI' | 'leftIntegration' | 'rightIntegration'
>;
/** Hitlets (hits extended to their integration windows) as the waveform kernels read them. */
export type HitletArrays = BoundedHits & Pick<HitArrays, 'maxTime'>;

export function allocHits(n: number): HitArrays {
  return hitArraysOf(n, allocColumns(HIT_SCHEMA, n, camelCase) as Omit<HitArrays, 'n'>);
}

/** Hits from their columns. Every HitArrays is made here, as one object literal: the kernels
 * then see one object shape (a shape they had not seen deoptimised them). */
export function hitArraysOf(n: number, c: Omit<HitArrays, 'n'>): HitArrays {
  return {
    n,
    time: c.time,
    length: c.length,
    dt: c.dt,
    channel: c.channel,
    area: c.area,
    left: c.left,
    right: c.right,
    leftIntegration: c.leftIntegration,
    rightIntegration: c.rightIntegration,
    recordI: c.recordI,
    threshold: c.threshold,
    height: c.height,
    maxTime: c.maxTime,
  };
}

/** A hit view that holds only some columns (the others empty), for kernels that read only
 * those: it has the shape of every other HitArrays, so the kernels stay monomorphic. */
export function someHitColumns<K extends keyof Omit<HitArrays, 'n'>>(
  n: number,
  c: Pick<HitArrays, K>,
): Pick<HitArrays, 'n' | K> {
  const all = c as Partial<Omit<HitArrays, 'n'>>;
  return hitArraysOf(n, {
    time: all.time ?? new Float64Array(0),
    length: all.length ?? new Int32Array(0),
    dt: all.dt ?? new Int16Array(0),
    channel: all.channel ?? new Int16Array(0),
    area: all.area ?? new Float32Array(0),
    left: all.left ?? new Int16Array(0),
    right: all.right ?? new Int16Array(0),
    leftIntegration: all.leftIntegration ?? new Int16Array(0),
    rightIntegration: all.rightIntegration ?? new Int16Array(0),
    recordI: all.recordI ?? new Int32Array(0),
    threshold: all.threshold ?? new Float32Array(0),
    height: all.height ?? new Float32Array(0),
    maxTime: all.maxTime ?? new Float64Array(0),
  });
}

/** Rows at the given indices, copied, in that order. */
export function takeHits(h: HitArrays, idx: Int32Array): HitArrays {
  return hitArraysOf(idx.length, {
    time: gatherF64(h.time, idx),
    length: gatherI32(h.length, idx),
    dt: gatherI16(h.dt, idx),
    channel: gatherI16(h.channel, idx),
    area: gatherF32(h.area, idx),
    left: gatherI16(h.left, idx),
    right: gatherI16(h.right, idx),
    leftIntegration: gatherI16(h.leftIntegration, idx),
    rightIntegration: gatherI16(h.rightIntegration, idx),
    recordI: gatherI32(h.recordI, idx),
    threshold: gatherF32(h.threshold, idx),
    height: gatherF32(h.height, idx),
    maxTime: gatherF64(h.maxTime, idx),
  });
}

/** Indices where mask is nonzero. */
export function whereTrue(mask: ArrayLike<number | boolean>, n: number = mask.length): Int32Array {
  let k = 0;
  for (let i = 0; i < n; i++) if (mask[i]) k++;
  const out = new Int32Array(k);
  k = 0;
  for (let i = 0; i < n; i++) if (mask[i]) out[k++] = i;
  return out;
}

/** Exclusive end times time + length * dt of all hits. */
export function hitEndtimes(h: Pick<HitArrays, 'n' | 'time' | 'length' | 'dt'>): Float64Array {
  const e = new Float64Array(h.n);
  for (let i = 0; i < h.n; i++) e[i] = h.time[i]! + h.length[i]! * h.dt[i]!;
  return e;
}

// Gathers: out[i] = src[idx[i]], one function per element type so each loop stays monomorphic.
export function gatherF64(src: Float64Array, idx: Int32Array): Float64Array {
  const n = idx.length,
    out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = src[idx[i]!]!;
  return out;
}
export function gatherF32(src: Float32Array, idx: Int32Array): Float32Array {
  const n = idx.length,
    out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = src[idx[i]!]!;
  return out;
}
export function gatherI32(src: Int32Array, idx: Int32Array): Int32Array {
  const n = idx.length,
    out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = src[idx[i]!]!;
  return out;
}
export function gatherI16(src: Int16Array, idx: Int32Array): Int16Array {
  const n = idx.length,
    out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = src[idx[i]!]!;
  return out;
}

/** Index composition a[b[i]]; null stands for the identity. */
export function composeIndex(a: Int32Array | null, b: Int32Array | null): Int32Array | null {
  if (!a) return b;
  if (!b) return a;
  return gatherI32(a, b);
}
