// Columnar views the peak kernels read: records (strax record_dtype) and hits (strax hit_dtype).
// Times are float64 ns offsets from a base that is a multiple of the records' dt.

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

export interface HitArrays {
  n: number;
  time: Float64Array;
  length: Int32Array;
  dt: Int16Array;
  channel: Int16Array;
  area: Float32Array;
  left: Int16Array;
  right: Int16Array;
  leftIntegration: Int16Array;
  rightIntegration: Int16Array;
  recordI: Int32Array;
  threshold: Float32Array;
  height: Float32Array;
  maxTime: Float64Array;
}

const HIT_CTORS = {
  time: Float64Array, length: Int32Array, dt: Int16Array, channel: Int16Array, area: Float32Array,
  left: Int16Array, right: Int16Array, leftIntegration: Int16Array, rightIntegration: Int16Array,
  recordI: Int32Array, threshold: Float32Array, height: Float32Array, maxTime: Float64Array,
} as const;

type HitField = keyof typeof HIT_CTORS;
const HIT_FIELDS = Object.keys(HIT_CTORS) as HitField[];

export function allocHits(n: number): HitArrays {
  const o: Record<string, unknown> = { n };
  for (const f of HIT_FIELDS) o[f] = new HIT_CTORS[f](n);
  return o as unknown as HitArrays;
}

/** Rows at the given indices, copied, in that order. */
export function takeHits(h: HitArrays, idx: ArrayLike<number>): HitArrays {
  const out = allocHits(idx.length);
  for (const f of HIT_FIELDS) {
    const src = h[f], dst = out[f];
    for (let i = 0; i < idx.length; i++) dst[i] = src[idx[i]!]!;
  }
  return out;
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
export function hitEndtimes(h: HitArrays): Float64Array {
  const e = new Float64Array(h.n);
  for (let i = 0; i < h.n; i++) e[i] = h.time[i]! + h.length[i]! * h.dt[i]!;
  return e;
}
