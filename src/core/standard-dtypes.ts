// strax's fundamental dtypes (strax/dtypes.py): field names, numpy types, titles and shapes in
// exactly strax's order, so toDescr() reproduces the dtype strings strax writes in metadata. The
// data types the kernels read and write are generated from their schemas in kernels/schema.ts
// and kernels/peak-arrays.ts (one definition for the dtype and the kernels' view).

import { DType, type FieldSpec } from './dtype.js';
import { PEAK_FIELD_DEFS } from '../kernels/peak-arrays.js';
import {
  HIT_SCHEMA,
  INTERVAL_SCHEMA,
  RAW_RECORD_SCHEMA,
  RECORD_SCHEMA,
  TIME_DT_SCHEMA,
  type FieldDef,
  type PerRow,
} from '../kernels/schema.js';

/** Channel number strax gives sum-waveform objects (peaks, peaklets). */
export const DIGITAL_SUM_WAVEFORM_CHANNEL = -1;
/** Samples per record in XENONnT raw data. */
export const DEFAULT_RECORD_LENGTH = 110;

const f = (name: string, type: string, title: string, shape?: number[]): FieldSpec =>
  shape ? { name, type, title, shape } : { name, type, title };

/** The dtype fields of a kernels' schema (kernels/schema.ts), given the sub-array sizes. */
function specsOf(schema: readonly FieldDef[], sizes: Partial<Record<PerRow, number>> = {}): FieldSpec[] {
  return schema.map((d) => {
    const k = d.per && d.per !== 'row' ? sizes[d.per] : undefined;
    if (d.per && d.per !== 'row' && k === undefined) throw new Error(`no size given for '${d.column}'`);
    return f(d.column, d.type, d.title, k === undefined ? undefined : [k]);
  });
}

/** time and endtime (int64 ns since the epoch). */
export const TIME_FIELDS: readonly FieldSpec[] = [
  f('time', '<i8', 'Start time since unix epoch [ns]'),
  f('endtime', '<i8', 'Exclusive end time since unix epoch [ns]'),
];

/** time, length and an int16 dt. */
export const TIME_DT_FIELDS: readonly FieldSpec[] = specsOf(TIME_DT_SCHEMA);

/** Base fields of pulse-like intervals (records, hits). */
export const INTERVAL_FIELDS: readonly FieldSpec[] = specsOf(INTERVAL_SCHEMA);

/** Base fields of peaks: like INTERVAL_FIELDS but dt is int32 (downsampled peaks have long samples). */
export const PEAK_INTERVAL_FIELDS: readonly FieldSpec[] = specsOf(PEAK_FIELD_DEFS.slice(0, 4));

export const timeFieldsDtype = (): DType => DType.of(TIME_FIELDS);
export const timeDtFieldsDtype = (): DType => DType.of(TIME_DT_FIELDS);
export const intervalDtype = (): DType => DType.of(INTERVAL_FIELDS);

/** raw_records: digitiser pulses cut into fixed-size, zero-padded records. */
export function rawRecordFields(samplesPerRecord = DEFAULT_RECORD_LENGTH): FieldSpec[] {
  return specsOf(RAW_RECORD_SCHEMA, { sample: samplesPerRecord });
}
export const rawRecordDtype = (samplesPerRecord = DEFAULT_RECORD_LENGTH): DType =>
  DType.of(rawRecordFields(samplesPerRecord));

/** records: baseline-subtracted, flipped waveforms. */
export function recordFields(samplesPerRecord = DEFAULT_RECORD_LENGTH): FieldSpec[] {
  return specsOf(RECORD_SCHEMA, { sample: samplesPerRecord });
}
export const recordDtype = (samplesPerRecord = DEFAULT_RECORD_LENGTH): DType =>
  DType.of(recordFields(samplesPerRecord));

/** strax.ReductionLevel. */
export enum ReductionLevel {
  NO_REDUCTION = 0,
  BASELINE_CUT = 1,
  HITS_ONLY = 2,
  WAVEFORM_REPLACED = 3,
  METADATA_ONLY = 4,
}

/** hits (also lone_hits, veto_regions): a sub-range of one record. */
export const HIT_FIELDS: readonly FieldSpec[] = specsOf(HIT_SCHEMA);
export const hitDtype = (): DType => DType.of(HIT_FIELDS);

/** Hitlets: hit-like objects with pe-scaled properties. */
export function hitletFields(): FieldSpec[] {
  return [
    ...INTERVAL_FIELDS,
    f('area', '<f4', 'Total hit area in pe'),
    f('amplitude', '<f4', 'Maximum of the PMT pulse in pe/sample'),
    f('time_amplitude', '<i2', 'Position of the Amplitude in ns (minus "time")'),
    f('range_50p_area', '<f4', 'Width (in ns) of the central 50% area of the hitlet'),
    f('range_80p_area', '<f4', 'Width (in ns) of the central 80% area of the hitlet'),
    f('left_area', '<f4', 'Position of the 25% area decile [ns]'),
    f('low_left_area', '<f4', 'Position of the 10% area decile [ns]'),
  ];
}
export const hitletDtype = (): DType => DType.of(hitletFields());

/** Hitlets with a waveform buffer and the dummy fields peak splitting expects. */
export function hitletWithDataFields(nSamples = 2): FieldSpec[] {
  if (nSamples < 2) throw new Error(`hitlet data buffer needs at least 2 samples, got ${nSamples}`);
  return [
    ...hitletFields(),
    f('data', '<f4', 'Hitlet data in PE/sample with ZLE (only the first length samples are filled)', [
      nSamples,
    ]),
    f('max_gap', '<i4', 'Dummy max_gap required for splitting'),
    f('max_diff', '<i4', 'Dummy max_diff required for splitting'),
    f('min_diff', '<i4', 'Dummy min_diff required for splitting'),
    f('first_channel', '<i2', 'Dummy first_channel required for splitting'),
    f('last_channel', '<i2', 'Dummy last_channel required for splitting'),
    f('max_goodness_of_split', '<f4', 'Maximum interior goodness of split'),
  ];
}
export const hitletWithDataDtype = (nSamples = 2): DType => DType.of(hitletWithDataFields(nSamples));

export interface PeakDtypeOptions {
  nChannels?: number;
  nSumWvSamples?: number;
  nWidths?: number;
  hitsTiming?: boolean;
  /** strax's default is true (straxen's vanilla context stores false). */
  digitizeTop?: boolean;
  storeDataTop?: boolean;
  storeDataStart?: boolean;
}

/** peaks and peaklets: sums over all channels (channel = -1); the fields are kernels/peak-arrays.ts' PEAK_SCHEMA. */
export function peakFields(opts: PeakDtypeOptions = {}): FieldSpec[] {
  const nCh = opts.nChannels ?? 100;
  const nWv = opts.nSumWvSamples ?? 200;
  const nW = opts.nWidths ?? 11;
  const hitsTiming = opts.hitsTiming ?? true;
  // digitizeTop is accepted as an alias of storeDataTop (older strax name).
  const storeTop = opts.storeDataTop ?? opts.digitizeTop ?? true;
  const storeStart = opts.storeDataStart ?? true;
  if (nCh === 1) throw new Error('peak dtype needs more than one channel');
  const sizes = { channel: nCh, sample: nWv, width: nW };
  const spec = (d: FieldDef): FieldSpec => specsOf([d], sizes)[0]!;
  const fields = PEAK_FIELD_DEFS.filter((d) => !d.only || (d.only === 'hitsTiming' && hitsTiming)).map(spec);
  const optional = (only: FieldDef['only']): FieldSpec => spec(PEAK_FIELD_DEFS.find((d) => d.only === only)!);
  // strax inserts these by list position (after n_hits), before data.
  if (storeTop) fields.splice(9, 0, optional('dataTop'));
  if (storeStart) fields.splice(10, 0, optional('dataStart'));
  return fields;
}
export const peakDtype = (opts: PeakDtypeOptions = {}): DType => DType.of(peakFields(opts));
