// The one boundary between framework batches (Records: strax field names, int64 epoch times)
// and the kernels' columnar views (camelCase fields, float64 ns offsets from a base that is a
// multiple of the records' dt): records, hits and peaks. The kernels know nothing of dtypes; the
// column of a kernel field is its name in snake_case (areaFractionTop <-> area_fraction_top),
// so no second list of the schema is kept here.

import { Records, type Columns } from './records.js';
import { arrayTypeFor, type DType, type TypedArray, type TypedArrayConstructor } from './dtype.js';
import { timeOffsets, timesFromOffsets } from '../kernels/int64-time.js';
import { allocHits, type HitArrays, type HitColumns, type RecordArrays } from '../kernels/hit-arrays.js';
import {
  allocPeaks,
  PEAK_FIELDS,
  peakFieldWidth,
  type PeakArrays,
  type PeakField,
} from '../kernels/peak-arrays.js';

/** The strax column of a kernel field: its name in snake_case. */
export function columnName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const HIT_TIME_FIELDS = new Set(['time', 'maxTime']);
// The kernels' hit fields, read off an empty kernel view (not listed a second time here).
const HIT_FIELDS = Object.keys(allocHits(0)).filter((k) => k !== 'n') as (keyof Omit<HitArrays, 'n'>)[];

/** The kernels' view of stored hits: times as offsets from base; other columns shared, not copied. */
export function hitArraysFromColumns(h: HitColumns, base: bigint): HitArrays {
  const stored = h as unknown as Record<string, TypedArray>;
  const out: Record<string, unknown> = { n: h.time.length };
  for (const f of HIT_FIELDS) {
    const c = stored[columnName(f)]!;
    out[f] = HIT_TIME_FIELDS.has(f) ? timeOffsets(c as BigInt64Array, base) : c;
  }
  return out as unknown as HitArrays;
}

/** Stored hit columns of the kernels' hits (first h.n rows); non-time columns shared, not copied. */
export function hitColumnsFromArrays(h: HitArrays, base: bigint): HitColumns {
  const out: Record<string, TypedArray> = {};
  for (const f of HIT_FIELDS) {
    const c = h[f] as TypedArray;
    out[columnName(f)] = HIT_TIME_FIELDS.has(f) ? timesFromOffsets(c as Float64Array, base, h.n) : c;
  }
  return out as unknown as HitColumns;
}

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
const FIELD_BY_NAME = new Map<string, PeakField>(PEAK_FIELDS.map((f) => [columnName(f), f]));

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
    const name = columnName(f);
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
