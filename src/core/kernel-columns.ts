// The one boundary between framework batches (Records: strax field names, int64 epoch times)
// and the kernels' columnar views (camelCase fields, float64 ns offsets from a base that is a
// multiple of the records' dt): records, hits and peaks. The kernels know nothing of dtypes; the
// column of a kernel field is its name in snake_case (areaFractionTop <-> area_fraction_top),
// so no second list of the schema is kept here.

import { Records, type Columns } from './records.js';
import { arrayTypeFor, type DType, type TypedArray } from './dtype.js';
import { timeOffsets, timesFromOffsets } from './int64-time.js';
import {
  allocHits,
  hitArraysOf,
  recordArraysOf,
  type HitArrays,
  type RecordArrays,
} from '../kernels/hit-arrays.js';
import { emptyRawRecords, type RawRecordColumns, type RecordColumns } from '../kernels/pulse-processing.js';
import type { Column } from '../kernels/schema.js';
import {
  peakArraysOf,
  peakColumnType,
  peakFieldWidth,
  type PeakArrays,
  type PeakShape,
} from '../kernels/peak-arrays.js';

/** The strax column of a kernel field: its name in snake_case. */
export function columnName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The columns of r as a kernel view shaped like `template`: each kernel field reads the column
 * of its snake_case name; int64 time columns become float64 offsets from base, the others are
 * shared once their array type is the view's (a mismatch throws rather than reinterpreting).
 */
function viewOf(r: Records, template: object, base: bigint): Record<string, TypedArray> {
  // made like the template (see schema.ts' viewRoot): same shapes as the kernels' own views
  const out = new (template.constructor as new () => Record<string, TypedArray>)();
  for (const [f, t] of Object.entries(template)) {
    if (!ArrayBuffer.isView(t)) continue;
    const name = columnName(f);
    const c = r.col(name);
    if (c instanceof BigInt64Array && t instanceof Float64Array) out[f] = timeOffsets(c, base);
    else if (c.constructor === t.constructor) out[f] = c;
    else
      throw new Error(
        `field '${name}' is ${r.dtype.field(name).type}, not the kernels' ${t.constructor.name}`,
      );
  }
  return out;
}

/** Rows of dtype from a kernel view (first n rows): float64 offsets back to int64 times for
 * int64 fields, other columns shared when of the dtype's type, converted otherwise. */
function recordsOf(
  view: object,
  n: number,
  dtype: DType,
  base: bigint,
  extra: Columns = {},
  what = 'dtype',
): Records {
  const byColumn = new Map<string, TypedArray>();
  for (const [f, c] of Object.entries(view))
    if (ArrayBuffer.isView(c)) byColumn.set(columnName(f), c as TypedArray);
  const cols: Columns = {};
  for (const { name, type } of dtype.fields) {
    if (name === '') continue;
    let c = extra[name] ?? byColumn.get(name);
    if (!c) throw new Error(`${what} field '${name}' is not computed by straxts' kernels`);
    const { ctor } = arrayTypeFor(type);
    if (ctor === BigInt64Array && c instanceof Float64Array) c = timesFromOffsets(c, base, n);
    else if (c.constructor !== ctor) {
      const conv = new ctor(c.length);
      (conv as Float64Array).set(c as Float64Array);
      c = conv;
    }
    cols[name] = c;
  }
  return new Records(dtype, n, cols);
}

/** The kernels' view of stored hits (hit_dtype rows: hits, lone_hits, veto_regions). */
export function hitArrays(r: Records, base: bigint): HitArrays {
  return hitArraysOf(r.length, viewOf(r, allocHits(0), base) as unknown as HitArrays);
}

/** The kernels' view of stored raw_records. */
export function rawRecordColumns(r: Records, base: bigint): RawRecordColumns {
  return viewOf(r, emptyRawRecords(0, 0), base) as unknown as RawRecordColumns;
}

/** Records (record_dtype rows) from the kernels' view. */
export function recordsFromColumns(r: RecordColumns, dtype: DType, base: bigint): Records {
  return recordsOf(r, r.time.length, dtype, base);
}

/** Largest multiple of dt at or below t (so floor(offset / dt) differences match strax's time // dt). */
export function alignedBase(t: bigint, dt: number): bigint {
  const d = BigInt(dt);
  const m = ((t % d) + d) % d;
  return t - m;
}

export function recordArrays(r: Records, base: bigint): RecordArrays {
  return recordArraysOf({
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
  });
}

export function hitRecords(h: HitArrays, base: bigint, dtype: DType): Records {
  return recordsOf(h, h.n, dtype, base);
}

function widthOf(d: DType, name: string, fallback: number): number {
  return d.has(name) ? (d.field(name).shape[0] ?? 1) : fallback;
}

/** View peak-like rows as PeakArrays (columns of the kernels' type shared, others converted);
 * fields the rows lack are zero-filled. */
export function peaksFromRecords(r: Records, base: bigint): PeakArrays {
  const d = r.dtype;
  const shape: PeakShape = {
    nChannels: widthOf(d, 'area_per_channel', 1),
    nSamples: widthOf(d, 'data', 1),
    nWidths: widthOf(d, 'width', 11),
    withDataTop: d.has('data_top'),
    withDataStart: d.has('data_start'),
  };
  const n = r.length;
  return peakArraysOf(shape, n, (f) => {
    const name = columnName(f);
    const Ctor = peakColumnType(f);
    // int64 times (time, center_time)
    if (Ctor === Float64Array) return d.has(name) ? timeOffsets(r.i64(name), base) : new Float64Array(n);
    const src = d.has(name) ? r.col(name) : null;
    if (src && src.constructor === Ctor) return src as Column;
    const col = new Ctor(n * peakFieldWidth(shape, f));
    if (src) (col as Float64Array).set(src as Float64Array);
    return col;
  });
}

/**
 * Peaks as rows of a peak dtype: the kernels' columns shared (converted where the dtype's type
 * differs), times back to int64. Fields of the dtype the peak kernels do not compute must come
 * from `extra`.
 */
export function peaksToRecords(p: PeakArrays, dtype: DType, base: bigint, extra: Columns = {}): Records {
  return recordsOf(p, p.n, dtype, base, extra, 'peak dtype');
}
