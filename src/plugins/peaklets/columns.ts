// Conversions between framework batches (Records, int64 epoch times) and the kernels' columnar
// views (float64 time offsets from a base that is a multiple of the records' dt): records,
// hits and peaks (used by every peak-level plugin, not only peaklets).

import { Records, type Columns } from '../../core/records.js';
import { arrayTypeFor, type DType, type TypedArray, type TypedArrayConstructor } from '../../core/dtype.js';
import { timeOffsets, timesFromOffsets } from '../../kernels/int64-time.js';
import { hitColumnsFromArrays, type HitArrays, type RecordArrays } from '../../kernels/hit-arrays.js';
import {
  allocPeaks,
  PEAK_COLUMN_NAMES,
  PEAK_FIELDS,
  peakFieldWidth,
  type PeakArrays,
  type PeakField,
} from '../../kernels/peak-arrays.js';

/** Largest multiple of dt at or below t (so floor(offset / dt) differences match strax's time // dt). */
export function alignedBase(t: bigint, dt: number): bigint {
  const d = BigInt(dt);
  const m = ((t % d) + d) % d;
  return t - m;
}

export function recordArrays(r: Records, base: bigint): RecordArrays {
  return {
    n: r.length,
    samplesPerRecord: r.width('data'),
    time: timeOffsets(r.i64('time'), base),
    length: r.i32('length'),
    dt: r.i16('dt'),
    channel: r.i16('channel'),
    baseline: r.f32('baseline'),
    amplitudeBitShift: r.i16('amplitude_bit_shift'),
    data: r.i16('data'),
    area: r.i32('area'),
  };
}

export function hitRecords(h: HitArrays, base: bigint, dtype: DType): Records {
  return new Records(dtype, h.n, { ...hitColumnsFromArrays(h, base) });
}

const TIME_FIELDS: ReadonlySet<PeakField> = new Set(['time', 'centerTime']);
const FIELD_BY_NAME = new Map<string, PeakField>(PEAK_FIELDS.map((f) => [PEAK_COLUMN_NAMES[f], f]));

function widthOf(d: DType, name: string, fallback: number): number {
  return d.has(name) ? (d.field(name).shape[0] ?? 1) : fallback;
}

/** View peak-like rows as PeakArrays (columns of the kernels' type shared, others converted);
 * fields the rows lack are zero-filled. */
export function peaksFromRecords(r: Records, base: bigint): PeakArrays {
  const d = r.dtype;
  const p = allocPeaks(
    {
      nChannels: widthOf(d, 'area_per_channel', 1),
      nSamples: widthOf(d, 'data', 1),
      nWidths: widthOf(d, 'width', 11),
      withDataTop: d.has('data_top'),
      withDataStart: d.has('data_start'),
    },
    0,
  );
  p.n = r.length;
  const target = p as unknown as Record<PeakField, TypedArray>;
  for (const f of PEAK_FIELDS) {
    const name = PEAK_COLUMN_NAMES[f];
    if (TIME_FIELDS.has(f)) {
      target[f] = d.has(name) ? timeOffsets(r.i64(name), base) : new Float64Array(r.length);
      continue;
    }
    const Ctor = target[f].constructor as TypedArrayConstructor;
    const src = d.has(name) ? r.col(name) : null;
    if (src && src.constructor === Ctor) {
      target[f] = src;
      continue;
    }
    const col = new Ctor(r.length * peakFieldWidth(p, f));
    if (src) (col as Float64Array).set(src as Float64Array);
    target[f] = col;
  }
  return p;
}

/**
 * Peaks as rows of a peak dtype: the kernels' columns shared (converted where the dtype's type
 * differs), times back to int64. Fields of the dtype the peak kernels do not compute must come
 * from `extra`.
 */
export function peaksToRecords(p: PeakArrays, dtype: DType, base: bigint, extra: Columns = {}): Records {
  const cols: Columns = {};
  const source = p as unknown as Record<PeakField, TypedArray>;
  for (const { name, type } of dtype.fields) {
    if (name === '') continue;
    const f = FIELD_BY_NAME.get(name);
    let c = extra[name];
    if (!c && f) c = TIME_FIELDS.has(f) ? timesFromOffsets(source[f] as Float64Array, base, p.n) : source[f];
    if (!c) throw new Error(`peak dtype field '${name}' is not computed by straxts' peak kernels`);
    const { ctor } = arrayTypeFor(type);
    if (c.constructor !== ctor) {
      const conv = new ctor(c.length);
      (conv as Float64Array).set(c as Float64Array);
      c = conv;
    }
    cols[name] = c;
  }
  return new Records(dtype, p.n, cols);
}
