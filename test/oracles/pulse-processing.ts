// Test oracles: strax's raw_to_records and integrate as separate steps. Production does both
// fused in src/kernels/records-pass.ts; the tests compare the fused pass with these.

import {
  emptyRecords,
  roundHalfEven,
  samplesPerRecord,
  type RawRecordColumns,
  type RecordColumns,
} from '../../src/kernels/pulse-processing.js';

/**
 * strax raw_to_records (after an optional row selection): shared fields copied (the int16
 * digitiser baseline lands in the float32 baseline), the new fields zero.
 */
export function rawToRecords(raw: RawRecordColumns, rows?: Int32Array): RecordColumns {
  const nIn = raw.time.length;
  const spr = samplesPerRecord(raw.data, nIn);
  if (!rows) {
    const n = nIn;
    return {
      time: raw.time.slice(),
      length: raw.length.slice(),
      dt: raw.dt.slice(),
      channel: raw.channel.slice(),
      pulse_length: raw.pulse_length.slice(),
      record_i: raw.record_i.slice(),
      area: new Int32Array(n),
      reduction_level: new Uint8Array(n),
      baseline: Float32Array.from(raw.baseline),
      baseline_rms: new Float32Array(n),
      amplitude_bit_shift: new Int16Array(n),
      data: raw.data.slice(),
    };
  }
  const n = rows.length;
  const out = emptyRecords(n, spr);
  for (let j = 0; j < n; j++) {
    const i = rows[j]!;
    out.time[j] = raw.time[i]!;
    out.length[j] = raw.length[i]!;
    out.dt[j] = raw.dt[i]!;
    out.channel[j] = raw.channel[i]!;
    out.pulse_length[j] = raw.pulse_length[i]!;
    out.record_i[j] = raw.record_i[i]!;
    out.baseline[j] = raw.baseline[i]!;
    out.data.set(raw.data.subarray(i * spr, (i + 1) * spr), j * spr);
  }
  return out;
}

/**
 * In place (strax integrate): area = sum(data) · 2^amplitude_bit_shift
 * + round_half_even((baseline mod 1) · length), stored as int32.
 */
export function integrate(
  r: Pick<RecordColumns, 'length' | 'baseline' | 'amplitude_bit_shift' | 'data' | 'area'>,
): void {
  const n = r.length.length;
  if (n === 0) return;
  const spr = r.data.length / n;
  const { data, area, baseline, length, amplitude_bit_shift: shift } = r;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = i * spr, end = k + spr; k < end; k++) s += data[k]!;
    const bl = baseline[i]!;
    area[i] = s * 2 ** shift[i]! + roundHalfEven((bl - Math.floor(bl)) * length[i]!);
  }
}
