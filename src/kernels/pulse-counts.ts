// Per-channel pulse statistics of one chunk (straxen count_pulses): pulses, lone pulses, their
// areas and the mean baseline and baseline rms.

/** Value of baseline_mean for channels without pulses (straxen NO_PULSE_COUNTS). */
export const NO_PULSE_COUNTS = -9999;

/** One row of pulse_counts (time and endtime are the chunk's, set by the caller). */
export interface PulseCountColumns {
  pulse_count: BigInt64Array;
  lone_pulse_count: BigInt64Array;
  pulse_area: BigInt64Array;
  lone_pulse_area: BigInt64Array;
  baseline_mean: Int16Array;
  baseline_rms_mean: Float32Array;
}

/** Records as countPulses reads them; `time` in float64 ns offsets from a base. */
export interface PulseCountInput {
  time: Float64Array;
  dt: Int16Array;
  channel: Int16Array;
  pulse_length: Int32Array;
  record_i: Int16Array;
  area: Int32Array;
  baseline: Float32Array;
  baseline_rms: Float32Array;
}

/**
 * A pulse (first fragment) is lone when it starts after every earlier pulse of any channel has
 * ended and ends before the next row (of any channel) starts; the last row's "next start" is the
 * previous row's. Later fragments of a lone pulse add to its channel's lone area.
 * Returns null for no records (strax then gives a 0-row result). epochZero is the offset of
 * epoch time 0 from the times' base (−base).
 */
export function countPulses(
  r: PulseCountInput,
  nChannels: number,
  epochZero: number,
): PulseCountColumns | null {
  if (r.time.length === 0) return null;
  const tally: Tally = {
    count: new Float64Array(nChannels),
    loneCount: new Float64Array(nChannels),
    area: new Float64Array(nChannels),
    loneArea: new Float64Array(nChannels),
    blSum: new Float64Array(nChannels),
    rmsSum: new Float64Array(nChannels),
  };
  tallyPulses(r, nChannels, epochZero, tally);
  const { count, loneCount, area, loneArea, blSum, rmsSum } = tally;
  const out: PulseCountColumns = {
    pulse_count: new BigInt64Array(nChannels),
    lone_pulse_count: new BigInt64Array(nChannels),
    pulse_area: new BigInt64Array(nChannels),
    lone_pulse_area: new BigInt64Array(nChannels),
    baseline_mean: new Int16Array(nChannels),
    baseline_rms_mean: new Float32Array(nChannels),
  };
  for (let c = 0; c < nChannels; c++) {
    out.pulse_count[c] = BigInt(count[c]!);
    out.lone_pulse_count[c] = BigInt(loneCount[c]!);
    out.pulse_area[c] = BigInt(area[c]!);
    out.lone_pulse_area[c] = BigInt(loneArea[c]!);
    const mean = blSum[c]! / count[c]!;
    out.baseline_mean[c] = Number.isNaN(mean) ? NO_PULSE_COUNTS : Math.trunc(mean);
    out.baseline_rms_mean[c] = rmsSum[c]! / count[c]!;
  }
  return out;
}

/** Per-channel sums over the records (see countPulses). */
interface Tally {
  count: Float64Array;
  loneCount: Float64Array;
  area: Float64Array;
  loneArea: Float64Array;
  blSum: Float64Array;
  rmsSum: Float64Array;
}

/** countPulses' pass over the records, alone in its function and ending with its loop: V8
 * optimises it mid-loop on the first chunk, and code after the loop not yet run would make that
 * code stop there and be compiled again (see records-pass.ts). */
function tallyPulses(r: PulseCountInput, nChannels: number, epochZero: number, tally: Tally): void {
  const { count, loneCount, area, loneArea, blSum, rmsSum } = tally;
  const inLone = new Uint8Array(nChannels);
  const n = r.time.length;
  const t = r.time;
  const { channel, record_i: recordI, pulse_length: pulseLength, dt } = r;
  // The global state starts at absolute time 0 (approximate as an offset, only compared).
  let lastEndSeen = epochZero;
  let nextStart = lastEndSeen;
  for (let i = 0; i < n; i++) {
    if (i !== n - 1) nextStart = t[i + 1]!;
    const ch = channel[i]!;
    if (ch >= nChannels || ch < 0) throw new Error(`count_pulses: channel ${ch} outside 0..${nChannels - 1}`);
    const a = r.area[i]!;
    area[ch]! += a;
    if (recordI[i] === 0) {
      count[ch]!++;
      blSum[ch]! += r.baseline[i]!;
      rmsSum[ch]! += r.baseline_rms[i]!;
      const end = t[i]! + pulseLength[i]! * dt[i]!;
      if (t[i]! > lastEndSeen && end < nextStart) {
        loneCount[ch]!++;
        inLone[ch] = 1;
        loneArea[ch]! += a;
      } else {
        inLone[ch] = 0;
      }
      if (end > lastEndSeen) lastEndSeen = end;
    } else if (inLone[ch]) {
      loneArea[ch]! += a;
    }
  }
}
