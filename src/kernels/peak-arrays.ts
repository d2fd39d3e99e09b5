// Columnar peaks (strax peak_dtype) as the peak kernels use them: one typed array per field,
// per-channel and waveform fields flattened row-major. Times are float64 nanoseconds relative to
// a caller-chosen base (exact below 2^53 ns); the base must be a multiple of the records' dt so
// that floor(time / dt) differences equal strax's `time // dt` on absolute times.

export interface PeakShape {
  /** Channels in area_per_channel / saturated_channel (n_tpc_pmts). */
  nChannels: number;
  /** Samples in the `data` field (200). */
  nSamples: number;
  /** Entries in width / area_decile_from_midpoint (11). */
  nWidths: number;
  /** Keep a top-array sum waveform (`data_top`). */
  withDataTop: boolean;
  /** Keep the first non-downsampled samples (`data_start`). */
  withDataStart: boolean;
}

export interface PeakArrays extends PeakShape {
  n: number;
  time: Float64Array;
  length: Int32Array;
  dt: Int32Array;
  channel: Int16Array;
  type: Int8Array;
  area: Float32Array;
  areaFractionTop: Float32Array;
  areaPerChannel: Float32Array;
  nHits: Int32Array;
  dataTop: Float32Array;
  dataStart: Float32Array;
  data: Float32Array;
  centerTime: Float64Array;
  medianTime: Float32Array;
  width: Float32Array;
  areaDecileFromMidpoint: Float32Array;
  saturatedChannel: Int8Array;
  nSaturatedChannels: Int16Array;
  tightCoincidence: Int16Array;
  maxGap: Int32Array;
  maxGoodnessOfSplit: Float32Array;
  maxDiff: Int32Array;
  minDiff: Int32Array;
  firstChannel: Int16Array;
  lastChannel: Int16Array;
}

type Column = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array;

/** Field name → elements per row, for a given shape. */
function widths(s: PeakShape): Record<string, number> {
  return {
    time: 1,
    length: 1,
    dt: 1,
    channel: 1,
    type: 1,
    area: 1,
    areaFractionTop: 1,
    areaPerChannel: s.nChannels,
    nHits: 1,
    dataTop: s.withDataTop ? s.nSamples : 0,
    dataStart: s.withDataStart ? s.nSamples : 0,
    data: s.nSamples,
    centerTime: 1,
    medianTime: 1,
    width: s.nWidths,
    areaDecileFromMidpoint: s.nWidths,
    saturatedChannel: s.nChannels,
    nSaturatedChannels: 1,
    tightCoincidence: 1,
    maxGap: 1,
    maxGoodnessOfSplit: 1,
    maxDiff: 1,
    minDiff: 1,
    firstChannel: 1,
    lastChannel: 1,
  };
}

const CTORS = {
  time: Float64Array,
  length: Int32Array,
  dt: Int32Array,
  channel: Int16Array,
  type: Int8Array,
  area: Float32Array,
  areaFractionTop: Float32Array,
  areaPerChannel: Float32Array,
  nHits: Int32Array,
  dataTop: Float32Array,
  dataStart: Float32Array,
  data: Float32Array,
  centerTime: Float64Array,
  medianTime: Float32Array,
  width: Float32Array,
  areaDecileFromMidpoint: Float32Array,
  saturatedChannel: Int8Array,
  nSaturatedChannels: Int16Array,
  tightCoincidence: Int16Array,
  maxGap: Int32Array,
  maxGoodnessOfSplit: Float32Array,
  maxDiff: Int32Array,
  minDiff: Int32Array,
  firstChannel: Int16Array,
  lastChannel: Int16Array,
} as const;

export type PeakField = keyof typeof CTORS;
export const PEAK_FIELDS = Object.keys(CTORS) as PeakField[];

/** Elements per row of a field for the given shape. */
export function peakFieldWidth(s: PeakShape, f: PeakField): number {
  return widths(s)[f]!;
}

/** Zero-filled peaks (as numpy.zeros gives). */
export function allocPeaks(shape: PeakShape, n: number): PeakArrays {
  const w = widths(shape);
  const cols: Record<string, Column> = {};
  for (const f of PEAK_FIELDS) cols[f] = new CTORS[f](n * w[f]!);
  return {
    nChannels: shape.nChannels,
    nSamples: shape.nSamples,
    nWidths: shape.nWidths,
    withDataTop: shape.withDataTop,
    withDataStart: shape.withDataStart,
    n,
    ...(cols as unknown as Omit<PeakArrays, keyof PeakShape | 'n'>),
  };
}

/** Rows at the given indices, copied, in that order. */
export function takePeaks(p: PeakArrays, idx: ArrayLike<number>): PeakArrays {
  const out = allocPeaks(p, idx.length);
  const w = widths(p);
  for (const f of PEAK_FIELDS) {
    const k = w[f]!;
    if (k === 0) continue;
    const src = p[f] as Column,
      dst = out[f] as Column;
    if (k === 1) for (let i = 0; i < idx.length; i++) dst[i] = src[idx[i]!]!;
    else for (let i = 0; i < idx.length; i++) dst.set(src.subarray(idx[i]! * k, (idx[i]! + 1) * k), i * k);
  }
  return out;
}

/** Rows of a followed by rows of b. */
export function concatPeaks(a: PeakArrays, b: PeakArrays): PeakArrays {
  const out = allocPeaks(a, a.n + b.n);
  const w = widths(a);
  for (const f of PEAK_FIELDS) {
    const k = w[f]!;
    if (k === 0) continue;
    (out[f] as Column).set(a[f] as Column, 0);
    (out[f] as Column).set(b[f] as Column, a.n * k);
  }
  return out;
}

/** Exclusive end time of each peak: time + length * dt. */
export function peakEndtime(p: PeakArrays, i: number): number {
  return p.time[i]! + p.length[i]! * p.dt[i]!;
}
