// Building merged S2s from groups of peaklets, adding lone hits to them, and replacing merged
// peaklets by their merged S2 (strax processing/peak_merging.py). Times are float64 ns offsets.

import { allocPeaks, type PeakArrays } from './peak-arrays.js';
import { storeDownsampledWaveform } from './sum-waveform.js';
import { fullyContainedIn, touchingWindows } from './intervals.js';

const INT32_MAX = 2147483647;

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Greatest common divisor of all dt values (numpy gcd.reduce). */
export function gcdOf(values: ArrayLike<number>, start = 0, end = values.length): number {
  let g = values[start] ?? 0;
  for (let i = start + 1; i < end; i++) g = gcd(g, values[i]!);
  return g;
}

/**
 * strax merge_peaks: one new peak per group [start[k], end[k]) of time-sorted, disjoint peaks.
 * Waveforms are upsampled to the group's common dt into a buffer of maxBuffer samples (gaps stay
 * zero) and downsampled into `data` again; areas and per-channel areas are summed in float32.
 * The new peaks have max_gap −1, max_goodness_of_split NaN and the tight_coincidence of the
 * member with the highest sample; shape properties are left for compute_properties.
 */
export function mergePeaks(
  peaks: PeakArrays,
  start: ArrayLike<number>,
  end: ArrayLike<number>,
  maxBuffer: number,
): PeakArrays {
  if (start.length !== end.length) throw new Error('merge_peaks: start and end indices differ in number');
  for (let i = 1; i < peaks.n; i++) {
    if (peaks.time[i]! < peaks.time[i - 1]! + peaks.length[i - 1]! * peaks.dt[i - 1]!) {
      throw new Error('merge_peaks: peaks overlap in time; only disjoint peaks can be merged');
    }
  }
  const nCh = peaks.nChannels,
    ns = peaks.nSamples;
  const out = allocPeaks(peaks, start.length);
  const buf = new Float32Array(maxBuffer);
  const bufTop = new Float32Array(peaks.withDataTop ? maxBuffer : 1);

  for (let k = 0; k < start.length; k++) {
    const s = start[k]!,
      e = end[k]!;
    if (!(e > s)) throw new Error('merge_peaks: empty merge group');
    const last = e - 1;
    const dt = gcdOf(peaks.dt, s, e);
    const t0 = peaks.time[s]!;
    const lastEnd = peaks.time[last]! + peaks.length[last]! * peaks.dt[last]!;
    out.time[k] = t0;
    out.channel[k] = peaks.channel[s]!;
    out.dt[k] = dt;
    out.length[k] = Math.floor((lastEnd - t0) / dt);

    let maxDt = 0;
    for (let q = s; q < e; q++) if (peaks.dt[q]! > maxDt) maxDt = peaks.dt[q]!;
    const bl = Math.min(Math.trunc((peaks.time[last]! - t0 + peaks.length[last]! * maxDt) / dt), maxBuffer);
    buf.fill(0, 0, bl);
    if (peaks.withDataTop) bufTop.fill(0, 0, bl);

    let area = 0,
      nHits = 0,
      maxDiff = 0,
      minDiff = INT32_MAX;
    let bestMax = -Infinity,
      bestQ = s;
    const apcOut = k * nCh;
    for (let q = s; q < e; q++) {
      const up = Math.floor(peaks.dt[q]! / dt);
      const len = peaks.length[q]!;
      const i0 = Math.floor((peaks.time[q]! - t0) / dt);
      if (i0 + len * up > maxBuffer)
        throw new Error(`merge_peaks: merged waveform longer than the ${maxBuffer}-sample buffer`);
      const off = q * ns;
      let qMax = -Infinity;
      for (let j = 0; j < len; j++) {
        const x = peaks.data[off + j]!;
        if (x > qMax || Number.isNaN(x)) qMax = x;
        const v = Math.fround(x / up);
        for (let r = 0, b = i0 + j * up; r < up; r++) buf[b + r] = v;
        if (peaks.withDataTop) {
          const vt = Math.fround(peaks.dataTop[off + j]! / up);
          for (let r = 0, b = i0 + j * up; r < up; r++) bufTop[b + r] = vt;
        }
      }
      area = Math.fround(area + peaks.area[q]!);
      const apcIn = q * nCh;
      for (let c = 0; c < nCh; c++) {
        out.areaPerChannel[apcOut + c] = Math.fround(
          out.areaPerChannel[apcOut + c]! + peaks.areaPerChannel[apcIn + c]!,
        );
        if (peaks.saturatedChannel[apcIn + c] === 1) out.saturatedChannel[apcOut + c] = 1;
      }
      nHits = (nHits + peaks.nHits[q]!) | 0;
      // First member with the highest sample wins (argmax).
      if (qMax > bestMax) {
        bestMax = qMax;
        bestQ = q;
      }
      if (peaks.maxDiff[q]! > maxDiff) maxDiff = peaks.maxDiff[q]!;
      if (peaks.minDiff[q]! < minDiff) minDiff = peaks.minDiff[q]!;
    }
    out.area[k] = area;
    out.nHits[k] = nHits;
    out.maxDiff[k] = maxDiff;
    out.minDiff[k] = minDiff;

    storeDownsampledWaveform(out, k, buf, peaks.withDataTop, peaks.withDataStart, bufTop);

    let nSat = 0;
    for (let c = 0; c < nCh; c++) nSat += out.saturatedChannel[apcOut + c]!;
    out.nSaturatedChannels[k] = nSat;
    out.maxGap[k] = -1;
    out.maxGoodnessOfSplit[k] = NaN;
    out.firstChannel[k] = peaks.firstChannel[s]!;
    out.lastChannel[k] = peaks.lastChannel[last]!;
    out.tightCoincidence[k] = peaks.tightCoincidence[bestQ]!;
  }
  return out;
}

/** Lone hits as add_lone_hits reads them (time/length already widened to the integration window). */
export interface LoneHitArrays {
  n: number;
  time: Float64Array;
  length: Int32Array;
  dt: ArrayLike<number>;
  channel: ArrayLike<number>;
  area: Float32Array;
}

function checkSorted(t: Float64Array, n: number, what: string): void {
  for (let i = 1; i < n; i++)
    if (t[i]! < t[i - 1]!) throw new Error(`add_lone_hits: time of ${what} should be sorted`);
}

/**
 * strax add_lone_hits: each lone hit fully inside a peak adds its area (ADC·samples × gain) to
 * the peak's area, its channel's area and, as a delta, to the `data` sample where it starts.
 */
export function addLoneHits(
  peaks: PeakArrays,
  lh: LoneHitArrays,
  toPe: ArrayLike<number>,
  nTopChannels: number,
  storeDataTop: boolean,
  storeDataStart: boolean,
): void {
  checkSorted(lh.time, lh.n, 'lone hits');
  checkSorted(peaks.time, peaks.n, 'peaks');
  const lhEnd = new Float64Array(lh.n);
  for (let i = 0; i < lh.n; i++) {
    lhEnd[i] = lh.time[i]! + lh.length[i]! * lh.dt[i]!;
    if (lhEnd[i]! < lh.time[i]!) throw new Error('add_lone_hits: lone hits should have non-negative length');
  }
  const pEnd = new Float64Array(peaks.n);
  for (let i = 0; i < peaks.n; i++) {
    pEnd[i] = peaks.time[i]! + peaks.length[i]! * peaks.dt[i]!;
    if (pEnd[i]! < peaks.time[i]!) throw new Error('add_lone_hits: peaks should have non-negative length');
  }
  const where = fullyContainedIn(lh.time.subarray(0, lh.n), lhEnd, peaks.time.subarray(0, peaks.n), pEnd);
  const nCh = peaks.nChannels,
    ns = peaks.nSamples;
  for (let i = 0; i < lh.n; i++) {
    const k = where[i]!;
    if (k < 0) continue;
    const ch = lh.channel[i]!;
    const a = lh.area[i]! * toPe[ch]!; // float32 × float64 → float64
    peaks.area[k] = Math.fround(peaks.area[k]! + a);
    peaks.areaPerChannel[k * nCh + ch] = Math.fround(peaks.areaPerChannel[k * nCh + ch]! + a);
    const rel = lh.time[i]! - peaks.time[k]!;
    const index = Math.floor(rel / peaks.dt[k]!);
    if (index < 0 || index > ns) throw new Error('add_lone_hits: hit outside of full containment');
    if (index < ns) {
      peaks.data[k * ns + index] = Math.fround(peaks.data[k * ns + index]! + a);
      if (storeDataTop && ch < nTopChannels)
        peaks.dataTop[k * ns + index] = Math.fround(peaks.dataTop[k * ns + index]! + a);
    }
    if (storeDataStart) {
      // The first samples are kept at the 10 ns digitiser resolution.
      const j = Math.floor(rel / 10);
      if (j < ns) peaks.dataStart[k * ns + j] = Math.fround(peaks.dataStart[k * ns + j]! + a);
    }
  }
}

/**
 * strax replace_merged as a row plan: the rows of `orig` that touch no merged peak, with each
 * merged peak put where its touching window ends. Entries ≥ 0 index `orig`; entry −1−m is
 * merged peak m. Both inputs sorted by time.
 */
export function replaceMergedPlan(
  origStart: Float64Array,
  origEnd: Float64Array,
  nOrig: number,
  mergeStart: Float64Array,
  mergeEnd: Float64Array,
  nMerge: number,
): Int32Array {
  if (nMerge === 0) {
    const plan = new Int32Array(nOrig);
    for (let i = 0; i < nOrig; i++) plan[i] = i;
    return plan;
  }
  const { lo: left, hi: right } = touchingWindows(
    origStart.subarray(0, nOrig),
    origEnd.subarray(0, nOrig),
    mergeStart.subarray(0, nMerge),
    mergeEnd.subarray(0, nMerge),
  );
  let skipped = 0;
  for (let m = 0; m < nMerge; m++) skipped += right[m]! - left[m]!;
  const plan = new Int32Array(nOrig - skipped + nMerge);
  let r = 0,
    w = 0;
  let skipS = left[0]!,
    skipE = right[0]!;
  for (let i = 0; i < nOrig; i++) {
    if (i === skipE) {
      plan[r++] = -1 - w;
      w++;
      if (w === nMerge) {
        skipS = nOrig + 100;
        skipE = nOrig + 100;
      } else {
        skipS = left[w]!;
        skipE = right[w]!;
      }
    }
    if (i >= skipS) continue;
    plan[r++] = i;
  }
  if (skipE === nOrig) {
    plan[r++] = -1 - w;
    w++;
  }
  if (r !== plan.length || w !== nMerge) {
    throw new Error('replace_merged: merged peaks are not in time order with the peaklets they replace');
  }
  return plan;
}
