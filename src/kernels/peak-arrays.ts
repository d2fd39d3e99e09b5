// Columnar peaks (strax peak_dtype) as the peak kernels use them: one typed array per field,
// per-channel and waveform fields flattened row-major. Times are float64 nanoseconds relative to
// a caller-chosen base (exact below 2^53 ns); the base must be a multiple of the records' dt so
// that floor(time / dt) differences equal strax's `time // dt` on absolute times.

import {
  camelCase,
  VIEW_CTORS,
  type CamelColumnsOf,
  type Column,
  type FieldDef,
  type PerRow,
} from './schema.js';

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

/**
 * The one definition of the peak schema (strax peak_dtype, in strax's order): the peak dtype
 * (core/standard-dtypes.ts) and the kernels' PeakArrays are both generated from it. The kernel
 * field of a column is its name in camelCase; int64 columns are times, float64 offsets here.
 */
export const PEAK_SCHEMA = [
  { column: 'time', type: '<i8', title: 'Start time since unix epoch [ns]' },
  { column: 'length', type: '<i4', title: 'Length of the interval in samples' },
  { column: 'dt', type: '<i4', title: 'Width of one sample [ns]' },
  { column: 'channel', type: '<i2', title: 'Channel/PMT number' },
  { column: 'type', type: '|i1', title: 'Classification of the peak(let)' },
  { column: 'area', type: '<f4', title: 'Integral across channels [PE]' },
  { column: 'area_fraction_top', type: '<f4', title: 'Fraction of area seen by the top array' },
  { column: 'area_per_channel', type: '<f4', per: 'channel', title: 'Integral per channel [PE]' },
  {
    column: 'n_hits',
    type: '<i4',
    title: 'Number of hits contributing at least one sample to the peak ',
  },
  {
    column: 'data_top',
    type: '<f4',
    per: 'sample',
    title: 'Waveform data in PE/sample (not PE/ns!), top array',
    only: 'dataTop',
  },
  {
    column: 'data_start',
    type: '<f4',
    per: 'sample',
    title: 'Waveform data in PE/sample (not PE/ns!), starting not downsampled samples',
    only: 'dataStart',
  },
  { column: 'data', type: '<f4', per: 'sample', title: 'Waveform data in PE/sample (not PE/ns!)' },
  { column: 'center_time', type: '<i8', title: 'Weighted average center time of the peak [ns]' },
  { column: 'median_time', type: '<f4', title: 'Weighted relative median time of the peak [ns]' },
  {
    column: 'width',
    type: '<f4',
    per: 'width',
    title: 'Peak widths in range of central area fraction [ns]',
  },
  {
    column: 'area_decile_from_midpoint',
    type: '<f4',
    per: 'width',
    title: 'Peak widths: time between nth and 5th area decile [ns]',
  },
  {
    column: 'saturated_channel',
    type: '|i1',
    per: 'channel',
    title: 'Does the channel reach ADC saturation?',
  },
  { column: 'n_saturated_channels', type: '<i2', title: 'Total number of saturated channels' },
  { column: 'tight_coincidence', type: '<i2', title: 'Channel within tight range of mean' },
  { column: 'max_gap', type: '<i4', title: 'Largest gap between hits inside peak [ns]' },
  { column: 'max_goodness_of_split', type: '<f4', title: 'Maximum interior goodness of split' },
  {
    column: 'max_diff',
    type: '<i4',
    title: 'Largest time difference between apexes of hits inside peak [ns]',
    only: 'hitsTiming',
  },
  {
    column: 'min_diff',
    type: '<i4',
    title: 'Smallest time difference between apexes of hits inside peak [ns]',
    only: 'hitsTiming',
  },
  {
    column: 'first_channel',
    type: '<i2',
    title: 'First channel/PMT number inside peak (sorted by apexes of hits)',
    only: 'hitsTiming',
  },
  {
    column: 'last_channel',
    type: '<i2',
    title: 'Last channel/PMT number inside peak (sorted by apexes of hits)',
    only: 'hitsTiming',
  },
] as const satisfies readonly FieldDef[];

/** PEAK_SCHEMA read as plain definitions. */
export const PEAK_FIELD_DEFS: readonly FieldDef[] = PEAK_SCHEMA;
/** One typed array per peak field, named and typed from PEAK_SCHEMA. */
export type PeakColumns = CamelColumnsOf<typeof PEAK_SCHEMA>;
export type PeakField = keyof PeakColumns;

export interface PeakArrays extends PeakShape, PeakColumns {
  n: number;
}

export const PEAK_FIELDS = PEAK_SCHEMA.map((d) => camelCase(d.column) as PeakField);
const CTORS = Object.fromEntries(
  PEAK_SCHEMA.map((d) => [camelCase(d.column), VIEW_CTORS[d.type]]),
) as unknown as Record<PeakField, new (n: number) => Column>;

/** Field name → elements per row, for a given shape. */
function widths(s: PeakShape): Record<string, number> {
  const per: Record<PerRow, number> = { row: 1, channel: s.nChannels, sample: s.nSamples, width: s.nWidths };
  // A dictionary, not a `{}` grown field by field: such objects share V8's shapes by property
  // name, and numbers stored under the column names would generalise the shapes of the column
  // objects (typed arrays under the same names), throwing away code compiled against them.
  const w: Record<string, number> = Object.create(null) as Record<string, number>;
  PEAK_FIELD_DEFS.forEach((f, i) => {
    const absent = (f.only === 'dataTop' && !s.withDataTop) || (f.only === 'dataStart' && !s.withDataStart);
    w[PEAK_FIELDS[i]!] = absent ? 0 : per[f.per ?? 'row'];
  });
  return w;
}

/** Elements per row of a field for the given shape. */
export function peakFieldWidth(s: PeakShape, f: PeakField): number {
  return widths(s)[f]!;
}

/** Zero-filled peaks (as numpy.zeros gives). */
export function allocPeaks(shape: PeakShape, n: number): PeakArrays {
  const w = widths(shape);
  return peakArraysOf(shape, n, (f) => new CTORS[f](n * w[f]!));
}

/** The type of each peak field's column. */
export function peakColumnType(f: PeakField): new (n: number) => Column {
  return CTORS[f];
}

/** PeakArrays of `shape` and `n` rows with the given column of each field. Every PeakArrays is
 * made here, its fields set once and never reassigned: the kernels see one object shape, and
 * code compiled for it is not thrown away when a field of one such object is replaced. */
export function peakArraysOf(shape: PeakShape, n: number, column: (f: PeakField) => Column): PeakArrays {
  const cols: Record<string, Column> = {};
  for (const f of PEAK_FIELDS) cols[f] = column(f);
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
