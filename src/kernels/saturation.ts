// straxen peak_saturation_correction (after pax PR 712): for peaks with saturated channels,
// rebuild each saturated channel's samples from the shape of the non-saturated channels' sum,
// scaled on the samples before saturation; then re-sum those peaks. Mutates the records'
// data, area and amplitude_bit_shift (the caller owns a private copy).

import type { PeakArrays } from './peak-arrays.js';
import type { HitletArrays, RecordArrays } from './hit-arrays.js';
import { overlapIndices, touchingWindows } from './intervals.js';
import { sumWaveform, sumWaveformOptions, type SumWaveformOptions } from './sum-waveform.js';

export interface SaturationOptions {
  /** Maximum samples before the first saturated sample used as reference (100). */
  referenceLength: number;
  /** Minimum reference samples above 1 PE, in the channel and in the model (20). */
  minReferenceLength: number;
  sum: SumWaveformOptions;
}

/**
 * Returns the indices of the corrected peaks (those with saturated channels), or null when
 * there are no records or no peaks (strax then recomputes properties of all peaks).
 */
export function peakSaturationCorrection(
  records: RecordArrays,
  prevRecord: Int32Array,
  nextRecord: Int32Array,
  peaks: PeakArrays,
  hitlets: HitletArrays,
  toPe: ArrayLike<number>,
  o: SaturationOptions,
): Int32Array | null {
  if (records.n === 0 || peaks.n === 0) return null;
  const list: number[] = [];
  for (let i = 0; i < peaks.n; i++) if (peaks.nSaturatedChannels[i]! > 0) list.push(i);
  const peakList = Int32Array.from(list);
  if (peakList.length === 0) return peakList;

  const spr = records.samplesPerRecord;
  const dt = records.dt[0]!;
  const recEnd = new Float64Array(records.n);
  for (let j = 0; j < records.n; j++) recEnd[j] = records.time[j]! + records.length[j]! * records.dt[j]!;
  const pStart = new Float64Array(peakList.length),
    pEnd = new Float64Array(peakList.length);
  peakList.forEach((pi, ix) => {
    pStart[ix] = peaks.time[pi]!;
    pEnd[ix] = peaks.time[pi]! + peaks.length[pi]! * peaks.dt[pi]!;
  });
  const tw = touchingWindows(records.time.subarray(0, records.n), recEnd, pStart, pEnd, 0, false);

  let maxSpan = -Infinity;
  for (let i = 0; i < peaks.n; i++) maxSpan = Math.max(maxSpan, peaks.length[i]! * peaks.dt[i]!);
  const lenBuffer = Math.floor(maxSpan / dt) + 1;
  const maxNRecord = Math.floor(lenBuffer / spr) + 1;
  const nCh = peaks.nChannels;
  const sumwf = new Float32Array(lenBuffer);
  const pulse = new Map<number, Int16Array>();
  const index = new Map<number, Float64Array>();
  const ov = new Int32Array(4);

  for (let ix = 0; ix < peakList.length; ix++) {
    const pi = peakList[ix]!;
    sumwf.fill(0);
    pulse.clear();
    index.clear();
    const satOff = pi * nCh;
    const pSlot = Math.floor(peaks.time[pi]! / dt);
    const pN = Math.floor((peaks.length[pi]! * peaks.dt[pi]!) / dt);
    for (let j = tw.lo[ix]!; j < tw.hi[ix]!; j++) {
      overlapIndices(Math.floor(records.time[j]! / dt), records.length[j]!, pSlot, pN, ov);
      const rs = ov[0]!,
        re = ov[1]!,
        bs = ov[2]!;
      const ch = records.channel[j]!;
      const base = j * spr;
      if (peaks.saturatedChannel[satOff + ch]! > 0) {
        let b = pulse.get(ch);
        if (!b) {
          b = new Int16Array(lenBuffer);
          pulse.set(ch, b);
        }
        for (let k = rs, m = bs; k < re; k++, m++) b[m] = b[m]! + records.data[base + k]!;
        let idx = index.get(ch);
        if (!idx) {
          idx = new Float64Array(maxNRecord).fill(-1);
          index.set(ch, idx);
        }
        idx[argmin(idx)] = j;
      } else {
        const g = toPe[ch]!;
        for (let k = rs, m = bs; k < re; k++, m++) sumwf[m] = sumwf[m]! + records.data[base + k]! * g;
      }
    }
    for (let ch = 0; ch < nCh; ch++) {
      if (!(peaks.saturatedChannel[satOff + ch]! > 0)) continue;
      correctChannel(
        records,
        pulse.get(ch) ?? new Int16Array(lenBuffer),
        index.get(ch) ?? new Float64Array(maxNRecord).fill(-1),
        sumwf,
        toPe[ch]!,
        pSlot,
        pN,
        dt,
        o,
        ov,
      );
    }
    // Undo the downsampling so the peak is rebuilt at the records' resolution.
    peaks.length[pi] = Math.trunc((peaks.length[pi]! * peaks.dt[pi]!) / dt);
    peaks.dt[pi] = dt;
  }
  sumWaveform(peaks, hitlets, records, prevRecord, nextRecord, toPe, sumWaveformOptions(o.sum, peakList));
  return peakList;
}

function correctChannel(
  records: RecordArrays,
  b: Int16Array,
  idx: Float64Array,
  sumwf: Float32Array,
  gain: number,
  pSlot: number,
  pN: number,
  dt: number,
  o: SaturationOptions,
  ov: Int32Array,
): void {
  const spr = records.samplesPerRecord;
  let bl = Infinity;
  for (let k = 0; k < idx.length && idx[k] !== -1; k++) bl = Math.min(bl, records.baseline[idx[k]!]!);
  const blInt = toInt16(toInt32x86(bl));
  let s0 = 0;
  for (let k = 0; k < b.length; k++)
    if (b[k]! >= blInt) {
      s0 = k;
      break;
    }
  const r0 = Math.max(0, s0 - o.referenceLength);
  let nAbove = 0,
    nModelAbove = 0,
    sumB = 0,
    sumM = 0;
  for (let k = r0; k < s0; k++) {
    if (b[k]! * gain > 1) nAbove++;
    if (sumwf[k]! > 1) nModelAbove++;
    sumB += b[k]!;
    sumM = Math.fround(sumM + sumwf[k]!);
  }
  if (nAbove < o.minReferenceLength) return;
  if (nModelAbove < o.minReferenceLength) return;
  if ((sumB * gain) / sumM > 1) return;
  const scale = sumB / sumM;
  const tmp = new Int32Array(spr);
  for (let k = 0; k < idx.length && idx[k] !== -1; k++) {
    const j = idx[k]!;
    overlapIndices(Math.floor(records.time[j]! / dt), records.length[j]!, pSlot + s0, pN - s0, ov);
    const rs = ov[0]!,
      re = ov[1]!;
    if (re === rs) continue;
    const bs = ov[2]! + s0,
      be = ov[3]! + s0;
    let mx = sumwf[bs]!;
    for (let m = bs + 1; m < be; m++) if (sumwf[m]! > mx) mx = sumwf[m]!;
    const apex = scale * mx;
    const base = j * spr;
    const data = records.data;
    if (toInt32x86(apex) >= 32768) {
      const shift = Math.floor(Math.log2(apex) - 14);
      for (let m = 0; m < spr; m++) tmp[m] = data[base + m]!;
      for (let m = rs, q = bs; m < re; m++, q++) tmp[m] = toInt32x86(sumwf[q]! * scale);
      let area = 0;
      for (let m = 0; m < spr; m++) area += tmp[m]!;
      records.area[j] = area;
      for (let m = 0; m < spr; m++) data[base + m] = tmp[m]! >> shift;
      records.amplitudeBitShift[j] = records.amplitudeBitShift[j]! + shift;
    } else {
      for (let m = rs, q = bs; m < re; m++, q++) data[base + m] = toInt32x86(sumwf[q]! * scale);
      let area = 0;
      for (let m = 0; m < spr; m++) area += data[base + m]!;
      records.area[j] = area;
    }
  }
}

/** First index of the minimum (numpy argmin). */
function argmin(a: Float64Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! < a[best]!) best = i;
  return best;
}

/** float -> int32 as x86 cvttsd2si does it (numba's fptosi): out of range and NaN give INT32_MIN. */
function toInt32x86(x: number): number {
  if (!(x > -2147483649 && x < 2147483648)) return -2147483648;
  return Math.trunc(x);
}

function toInt16(x: number): number {
  return (x << 16) >> 16;
}
