// Between Records of a strax peak dtype (int64 times, snake_case fields) and the kernels'
// PeakArrays (float64 time offsets from a base, camelCase). Columns of equal type are shared,
// not copied.

import type { DType, TypedArray } from '../../core/dtype.js';
import { Records, type Columns } from '../../core/records.js';
import { allocPeaks, type PeakArrays, type PeakField } from '../../kernels/peak-arrays.js';
import { storeTimes, timeOffsets } from '../../kernels/int64-time.js';

/** PeakArrays field → strax field name (time and center_time are converted separately). */
const NAMES: Readonly<Record<Exclude<PeakField, 'time' | 'centerTime'>, string>> = {
  length: 'length', dt: 'dt', channel: 'channel', type: 'type', area: 'area',
  areaFractionTop: 'area_fraction_top', areaPerChannel: 'area_per_channel', nHits: 'n_hits',
  dataTop: 'data_top', dataStart: 'data_start', data: 'data', medianTime: 'median_time',
  width: 'width', areaDecileFromMidpoint: 'area_decile_from_midpoint',
  saturatedChannel: 'saturated_channel', nSaturatedChannels: 'n_saturated_channels',
  tightCoincidence: 'tight_coincidence', maxGap: 'max_gap', maxGoodnessOfSplit: 'max_goodness_of_split',
  maxDiff: 'max_diff', minDiff: 'min_diff', firstChannel: 'first_channel', lastChannel: 'last_channel',
};

function widthOf(d: DType, name: string, fallback: number): number {
  return d.has(name) ? (d.field(name).shape[0] ?? 1) : fallback;
}

/** Elements per row of a PeakArrays field. */
function elements(key: string, p: PeakArrays): number {
  switch (key) {
    case 'areaPerChannel': case 'saturatedChannel': return p.nChannels;
    case 'data': return p.nSamples;
    case 'dataTop': return p.withDataTop ? p.nSamples : 0;
    case 'dataStart': return p.withDataStart ? p.nSamples : 0;
    case 'width': case 'areaDecileFromMidpoint': return p.nWidths;
    default: return 1;
  }
}

/** View peak-like rows as PeakArrays (columns shared); fields missing from the rows are zero-filled. */
export function peaksFromRecords(r: Records, base: bigint): PeakArrays {
  const d = r.dtype;
  // Allocate the structure empty, then share or allocate each column.
  const p = allocPeaks({
    nChannels: widthOf(d, 'area_per_channel', 1),
    nSamples: widthOf(d, 'data', 1),
    nWidths: widthOf(d, 'width', 11),
    withDataTop: d.has('data_top'),
    withDataStart: d.has('data_start'),
  }, 0);
  p.n = r.length;
  const target = p as unknown as Record<string, TypedArray>;
  for (const [key, name] of Object.entries(NAMES)) {
    const Ctor = target[key]!.constructor as new (n: number) => TypedArray;
    const src = d.has(name) ? r.col(name) : null;
    if (src && src.constructor === Ctor) { target[key] = src; continue; }
    const col = new Ctor(r.length * elements(key, p)) as Float64Array;
    if (src) col.set(src as unknown as Float64Array);
    target[key] = col;
  }
  p.time = timeOffsets(r.i64('time'), base);
  p.centerTime = d.has('center_time') ? timeOffsets(r.i64('center_time'), base) : new Float64Array(r.length);
  return p;
}

/** Rows of `dtype` filled from PeakArrays (by name; fields the peaks lack come from `extra` or stay zero). */
export function peaksToRecords(p: PeakArrays, dtype: DType, base: bigint, extra: Columns = {}): Records {
  const out = Records.empty(dtype, p.n);
  const source = p as unknown as Record<string, ArrayLike<number>>;
  for (const [key, name] of Object.entries(NAMES)) {
    if (!dtype.has(name)) continue;
    (out.col(name) as Float64Array).set(source[key] as Float64Array);
  }
  if (dtype.has('time')) storeTimes(p.time, base, out.i64('time'), p.n);
  if (dtype.has('center_time')) storeTimes(p.centerTime, base, out.i64('center_time'), p.n);
  for (const [name, col] of Object.entries(extra)) if (dtype.has(name)) (out.col(name) as Float64Array).set(col as Float64Array);
  return out;
}
