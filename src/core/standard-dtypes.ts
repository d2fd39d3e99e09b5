// strax's fundamental dtypes (strax/dtypes.py): field names, numpy types, titles and shapes in
// exactly strax's order, so toDescr() reproduces the dtype strings strax writes in metadata.

import { DType, type FieldSpec } from './dtype.js';
import { PEAK_FIELD_DEFS, type PeakFieldDef } from '../kernels/peak-arrays.js';

/** Channel number strax gives sum-waveform objects (peaks, peaklets). */
export const DIGITAL_SUM_WAVEFORM_CHANNEL = -1;
/** Samples per record in XENONnT raw data. */
export const DEFAULT_RECORD_LENGTH = 110;

const f = (name: string, type: string, title: string, shape?: number[]): FieldSpec =>
  shape ? { name, type, title, shape } : { name, type, title };

/** time and endtime (int64 ns since the epoch). */
export const TIME_FIELDS: readonly FieldSpec[] = [
  f('time', '<i8', 'Start time since unix epoch [ns]'),
  f('endtime', '<i8', 'Exclusive end time since unix epoch [ns]'),
];

/** time, length and an int16 dt. */
export const TIME_DT_FIELDS: readonly FieldSpec[] = [
  f('time', '<i8', 'Start time since unix epoch [ns]'),
  f('length', '<i4', 'Length of the interval in samples'),
  f('dt', '<i2', 'Width of one sample [ns]'),
];

/** Base fields of pulse-like intervals (records, hits). */
export const INTERVAL_FIELDS: readonly FieldSpec[] = [
  ...TIME_DT_FIELDS,
  f('channel', '<i2', 'Channel/PMT number'),
];

/** Base fields of peaks: like INTERVAL_FIELDS but dt is int32 (downsampled peaks have long samples). */
export const PEAK_INTERVAL_FIELDS: readonly FieldSpec[] = PEAK_FIELD_DEFS.slice(0, 4).map((d) =>
  f(d.column, d.type, d.title),
);

export const timeFieldsDtype = (): DType => DType.of(TIME_FIELDS);
export const timeDtFieldsDtype = (): DType => DType.of(TIME_DT_FIELDS);
export const intervalDtype = (): DType => DType.of(INTERVAL_FIELDS);

const PULSE_LENGTH = f(
  'pulse_length',
  '<i4',
  'Length of pulse to which the record belongs (without zero-padding)',
);
const RECORD_I = f('record_i', '<i2', 'Fragment number in the pulse');

/** raw_records: digitiser pulses cut into fixed-size, zero-padded records. */
export function rawRecordFields(samplesPerRecord = DEFAULT_RECORD_LENGTH): FieldSpec[] {
  return [
    ...INTERVAL_FIELDS,
    PULSE_LENGTH,
    RECORD_I,
    f('baseline', '<i2', 'Baseline determined by the digitizer (if this is supported)'),
    f('data', '<i2', 'Waveform data in raw ADC counts', [samplesPerRecord]),
  ];
}
export const rawRecordDtype = (samplesPerRecord = DEFAULT_RECORD_LENGTH): DType =>
  DType.of(rawRecordFields(samplesPerRecord));

/** records: baseline-subtracted, flipped waveforms. */
export function recordFields(samplesPerRecord = DEFAULT_RECORD_LENGTH): FieldSpec[] {
  return [
    ...INTERVAL_FIELDS,
    PULSE_LENGTH,
    RECORD_I,
    f('area', '<i4', 'Integral in ADC counts x samples'),
    f('reduction_level', '|u1', 'Level of data reduction applied (strax.ReductionLevel enum)'),
    f('baseline', '<f4', 'Baseline in ADC counts. data = int(baseline) - data_orig'),
    f('baseline_rms', '<f4', 'Baseline RMS in ADC counts. data = baseline - data_orig'),
    f('amplitude_bit_shift', '<i2', 'Multiply data by 2**(this number). Baseline is unaffected.'),
    f('data', '<i2', 'Waveform data in raw counts above integer part of baseline', [samplesPerRecord]),
  ];
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
export const HIT_FIELDS: readonly FieldSpec[] = [
  ...INTERVAL_FIELDS,
  f('area', '<f4', 'Integral [ADC x samples]'),
  f('left', '<i2', 'Index of sample in record in which hit starts'),
  f('right', '<i2', 'Index of first sample in record just beyond hit (exclusive bound)'),
  f('left_integration', '<i2', 'For lone hits, index of sample in record where integration starts'),
  f('right_integration', '<i2', 'For lone hits, index of first sample beyond integration region'),
  f('record_i', '<i4', 'Internal (temporary) index of fragment in which hit was found'),
  f('threshold', '<f4', 'ADC threshold applied in order to find hits'),
  f('height', '<f4', 'Maximum amplitude above baseline [ADC counts]'),
  f('max_time', '<i8', 'Time when hit reach maximum amplitude [ns]'),
];
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
  const shape: Record<PeakFieldDef['per'], number | undefined> = {
    row: undefined,
    channel: nCh,
    sample: nWv,
    width: nW,
  };
  const spec = (d: PeakFieldDef): FieldSpec => {
    const k = shape[d.per];
    return f(d.column, d.type, d.title, k === undefined ? undefined : [k]);
  };
  const fields = PEAK_FIELD_DEFS.filter((d) => !d.only || (d.only === 'hitsTiming' && hitsTiming)).map(spec);
  const optional = (only: PeakFieldDef['only']): FieldSpec =>
    spec(PEAK_FIELD_DEFS.find((d) => d.only === only)!);
  // strax inserts these by list position (after n_hits), before data.
  if (storeTop) fields.splice(9, 0, optional('dataTop'));
  if (storeStart) fields.splice(10, 0, optional('dataStart'));
  return fields;
}
export const peakDtype = (opts: PeakDtypeOptions = {}): DType => DType.of(peakFields(opts));
