// raw_records as strax < 0.9 stored them: the records dtype of the time (channel first, a
// float baseline, data = int(baseline) - ADC counts) and chunks without start/end. The
// conversion to today's raw_records and, for tests and checks, its inverse.

import { DType, type FieldSpec } from '../../core/dtype.js';
import { Records } from '../../core/records.js';
import { rawRecordDtype } from '../../core/standard-dtypes.js';

const f = (name: string, type: string, title: string, shape?: number[]): FieldSpec =>
  shape ? { name, type, title, shape } : { name, type, title };

/** strax 0.8's record_dtype (field order and titles as it wrote them into metadata). */
export function oldRecordDtype(samplesPerRecord: number): DType {
  return DType.of([
    f('channel', '<i2', 'Channel/PMT number'),
    f('dt', '<i2', 'Time resolution in ns'),
    f('time', '<i8', 'Start time of the interval (ns since unix epoch)'),
    f('length', '<i4', 'Length of the interval in samples'),
    f('area', '<i4', 'Integral in ADC x samples'),
    f('pulse_length', '<i4', 'Length of pulse to which the record belongs (without zero-padding)'),
    f('record_i', '<i2', 'Fragment number in the pulse'),
    f('baseline', '<f4', 'Baseline in ADC counts. data = int(baseline) - data_orig'),
    f('reduction_level', '|u1', 'Level of data reduction applied (strax.ReductionLevel enum)'),
    f('data', '<i2', 'Waveform data in ADC counts above baseline', [samplesPerRecord]),
  ]);
}

/** Samples per record of a dtype with a `data` field. */
export function samplesPerRecord(dtype: DType): number {
  const shape = dtype.field('data').shape ?? [];
  return shape.reduce((a, b) => a * b, 1);
}

const COPIED = ['time', 'length', 'dt', 'channel', 'pulse_length', 'record_i'] as const;

/**
 * Old records → raw_records: the same rows with the baseline subtracted back out
 * (data = baseline - old data, truncated to int16, zero beyond each record's length). The
 * baseline itself is kept, truncated to int16 (straxen left it 0).
 */
export function fromOldRecords(old: Records): Records {
  const n = samplesPerRecord(old.dtype);
  const out = Records.empty(rawRecordDtype(n), old.length);
  for (const name of COPIED) (out.col(name) as Uint8Array).set(old.col(name) as Uint8Array);
  const hasBaseline = old.dtype.has('baseline');
  const base = hasBaseline ? old.f32('baseline') : null;
  const src = old.i16('data'),
    dst = out.i16('data'),
    len = out.i32('length'),
    outBase = out.i16('baseline');
  for (let i = 0; i < old.length; i++) {
    const b = base ? base[i]! : 0;
    if (base) outBase[i] = Math.trunc(b);
    const l = Math.min(len[i]!, n);
    for (let k = 0; k < n; k++) {
      const v = base ? Math.trunc(Math.fround(b - src[i * n + k]!)) : src[i * n + k]!;
      dst[i * n + k] = k < l ? v : 0;
    }
  }
  return out;
}

/** raw_records → old records (the inverse of fromOldRecords for integer baselines). */
export function toOldRecords(raw: Records): Records {
  const n = samplesPerRecord(raw.dtype);
  const out = Records.empty(oldRecordDtype(n), raw.length);
  for (const name of COPIED) (out.col(name) as Uint8Array).set(raw.col(name) as Uint8Array);
  const base = raw.i16('baseline'),
    adc = raw.i16('data'),
    len = raw.i32('length');
  const data = out.i16('data'),
    area = out.i32('area'),
    outBase = out.f32('baseline');
  for (let i = 0; i < raw.length; i++) {
    outBase[i] = base[i]!;
    const l = Math.min(len[i]!, n);
    let sum = 0;
    for (let k = 0; k < l; k++) {
      const v = base[i]! - adc[i * n + k]!;
      data[i * n + k] = v;
      sum += v;
    }
    area[i] = sum;
  }
  return out;
}
