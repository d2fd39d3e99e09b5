// Schemas of the strax data types the kernels read and write, each written once: the stored
// dtypes (core/standard-dtypes.ts) and the kernels' column views are both generated from them.
// A view holds one typed array per field, sub-array fields flattened row-major; int64 columns
// are epoch times, which a view holds as float64 ns offsets from a base.

/** numpy types of the kernels' fields. */
export type NumpyType = '<i8' | '<i4' | '<i2' | '|i1' | '|u1' | '<f4';

/** Elements per row of a field: one, or one per channel, waveform sample or width fraction. */
export type PerRow = 'row' | 'channel' | 'sample' | 'width';

export interface FieldDef {
  /** strax's column name. */
  readonly column: string;
  readonly type: NumpyType;
  /** Elements per row (default one). */
  readonly per?: PerRow;
  /** strax's title of the column. */
  readonly title: string;
  /** Present in the stored dtype only with this option (the kernels' view always has it). */
  readonly only?: 'hitsTiming' | 'dataTop' | 'dataStart';
}

/** The kernels' array of a numpy type (int64 times as float64 offsets). */
export type ViewOf<T extends NumpyType> = {
  '<i8': Float64Array;
  '<i4': Int32Array;
  '<i2': Int16Array;
  '|i1': Int8Array;
  '|u1': Uint8Array;
  '<f4': Float32Array;
}[T];

export type Column = ViewOf<NumpyType>;

export const VIEW_CTORS: { readonly [T in NumpyType]: new (n: number) => ViewOf<T> } = {
  '<i8': Float64Array,
  '<i4': Int32Array,
  '<i2': Int16Array,
  '|i1': Int8Array,
  '|u1': Uint8Array,
  '<f4': Float32Array,
};

export type CamelCase<S extends string> = S extends `${infer H}_${infer T}`
  ? `${H}${Capitalize<CamelCase<T>>}`
  : S;

export const camelCase = (column: string): string =>
  column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A view keyed by strax column names. */
export type ColumnsOf<S extends readonly FieldDef[]> = { [D in S[number] as D['column']]: ViewOf<D['type']> };
/** A view keyed by the camelCase of the column names. */
export type CamelColumnsOf<S extends readonly FieldDef[]> = {
  [D in S[number] as CamelCase<D['column']>]: ViewOf<D['type']>;
};

/**
 * The constructor of a schema's (and naming's) column objects. V8 gives objects grown from `{}`
 * one family of shapes by property name, so a view whose `time` holds float64 offsets and a
 * batch of stored rows whose `time` holds int64 (same column names) would share a shape, and
 * each store of the other kind generalised it and threw away the kernels compiled against it.
 * Objects made by their own constructor grow shapes of their own.
 */
function viewRoot(
  schema: readonly FieldDef[],
  name: (column: string) => string,
): new () => Record<string, Column> {
  let byName = viewRoots.get(schema);
  if (!byName) viewRoots.set(schema, (byName = new Map()));
  let root = byName.get(name);
  if (!root) byName.set(name, (root = class ColumnView {} as new () => Record<string, Column>));
  return root;
}
const viewRoots = new WeakMap<
  readonly FieldDef[],
  Map<(column: string) => string, new () => Record<string, Column>>
>();

/** Zero-filled columns of n rows, named by `name`, `perSample` elements per row for per-sample fields. */
export function allocColumns(
  schema: readonly FieldDef[],
  n: number,
  name: (column: string) => string,
  perSample = 1,
): Record<string, Column> {
  const out = new (viewRoot(schema, name))();
  for (const d of schema)
    out[name(d.column)] = new VIEW_CTORS[d.type](n * (d.per === 'sample' ? perSample : 1));
  return out;
}

/** A column of the same type with room for n elements, holding a's elements first (buffers that
 * grow as rows are found: hits, peaks, simulated pulses). */
export function grown<T extends Column>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** time, length and dt (int16) of pulse-like intervals. */
export const TIME_DT_SCHEMA = [
  { column: 'time', type: '<i8', title: 'Start time since unix epoch [ns]' },
  { column: 'length', type: '<i4', title: 'Length of the interval in samples' },
  { column: 'dt', type: '<i2', title: 'Width of one sample [ns]' },
] as const satisfies readonly FieldDef[];

/** Base fields of pulse-like intervals (records, hits). */
export const INTERVAL_SCHEMA = [
  ...TIME_DT_SCHEMA,
  { column: 'channel', type: '<i2', title: 'Channel/PMT number' },
] as const satisfies readonly FieldDef[];

const PULSE_FIELDS = [
  {
    column: 'pulse_length',
    type: '<i4',
    title: 'Length of pulse to which the record belongs (without zero-padding)',
  },
  { column: 'record_i', type: '<i2', title: 'Fragment number in the pulse' },
] as const satisfies readonly FieldDef[];

/** raw_records: digitiser pulses cut into fixed-size, zero-padded records. */
export const RAW_RECORD_SCHEMA = [
  ...INTERVAL_SCHEMA,
  ...PULSE_FIELDS,
  { column: 'baseline', type: '<i2', title: 'Baseline determined by the digitizer (if this is supported)' },
  { column: 'data', type: '<i2', per: 'sample', title: 'Waveform data in raw ADC counts' },
] as const satisfies readonly FieldDef[];

/** records: baseline-subtracted, flipped waveforms. */
export const RECORD_SCHEMA = [
  ...INTERVAL_SCHEMA,
  ...PULSE_FIELDS,
  { column: 'area', type: '<i4', title: 'Integral in ADC counts x samples' },
  {
    column: 'reduction_level',
    type: '|u1',
    title: 'Level of data reduction applied (strax.ReductionLevel enum)',
  },
  { column: 'baseline', type: '<f4', title: 'Baseline in ADC counts. data = int(baseline) - data_orig' },
  { column: 'baseline_rms', type: '<f4', title: 'Baseline RMS in ADC counts. data = baseline - data_orig' },
  {
    column: 'amplitude_bit_shift',
    type: '<i2',
    title: 'Multiply data by 2**(this number). Baseline is unaffected.',
  },
  {
    column: 'data',
    type: '<i2',
    per: 'sample',
    title: 'Waveform data in raw counts above integer part of baseline',
  },
] as const satisfies readonly FieldDef[];

/** hits (also lone_hits, veto_regions): a sub-range of one record. */
export const HIT_SCHEMA = [
  ...INTERVAL_SCHEMA,
  { column: 'area', type: '<f4', title: 'Integral [ADC x samples]' },
  { column: 'left', type: '<i2', title: 'Index of sample in record in which hit starts' },
  {
    column: 'right',
    type: '<i2',
    title: 'Index of first sample in record just beyond hit (exclusive bound)',
  },
  {
    column: 'left_integration',
    type: '<i2',
    title: 'For lone hits, index of sample in record where integration starts',
  },
  {
    column: 'right_integration',
    type: '<i2',
    title: 'For lone hits, index of first sample beyond integration region',
  },
  { column: 'record_i', type: '<i4', title: 'Internal (temporary) index of fragment in which hit was found' },
  { column: 'threshold', type: '<f4', title: 'ADC threshold applied in order to find hits' },
  { column: 'height', type: '<f4', title: 'Maximum amplitude above baseline [ADC counts]' },
  { column: 'max_time', type: '<i8', title: 'Time when hit reach maximum amplitude [ns]' },
] as const satisfies readonly FieldDef[];
