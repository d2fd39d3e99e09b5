// Sum waveforms of peaks from the hitlets inside them (strax sum_waveform), with per-channel
// areas, saturation flags and downsampling into the fixed-size `data` field. Arithmetic follows
// numba: float32 buffers, gains applied in float64, sequential float32 sums.

import type { PeakArrays } from './peak-arrays.js';
import type { HitletArrays, RecordArrays } from './hit-arrays.js';
import { overlapIndices } from './intervals.js';

export interface SumWaveformOptions {
  nTopChannels: number;
  storeDataTop: boolean;
  storeDataStart: boolean;
  /** Peaks to (re)build, in this order; all when omitted. */
  select?: ArrayLike<number>;
}

/** Options for sumWaveform as one object shape (all keys, same order) wherever they are made,
 * so the hot function sees one map instead of several (each new one deoptimised it). */
export function sumWaveformOptions(
  o: SumWaveformOptions,
  select: Int32Array | undefined,
): SumWaveformOptions {
  return {
    nTopChannels: o.nTopChannels,
    storeDataTop: o.storeDataTop,
    storeDataStart: o.storeDataStart,
    select,
  };
}

/**
 * Rebuild area, area_per_channel, data (and data_top / data_start), dt, length,
 * saturated_channel (OR-ed in) and n_saturated_channels of the selected peaks. `hits` are
 * time-sorted hitlets whose record_i index `records`; prev/next are strax record_links.
 */
export function sumWaveform(
  peaks: PeakArrays,
  hits: HitletArrays,
  records: RecordArrays,
  prevRecord: Int32Array,
  nextRecord: Int32Array,
  adcToPe: ArrayLike<number>,
  o: SumWaveformOptions,
): void {
  if (records.n === 0 || peaks.n === 0) return;
  const nSel = o.select ? o.select.length : peaks.n;
  if (nSel === 0) return;
  const dt = records.dt[0]!;
  const spr = records.samplesPerRecord;
  const maxLen = maxOf(peaks.length, peaks.n);
  const swv = new Float32Array(maxLen * 2);
  const twv = o.storeDataTop ? new Float32Array(maxLen * 2) : swv;
  const apc = new Float32Array(peaks.nChannels);
  const hw = new Float32Array(maxOf(hits.length, hits.n));
  // The loop always reads its peaks through a list (all peaks when none is given): one path,
  // so a later call with a list does not find it compiled without one.
  const sel = !o.select
    ? allRows(peaks.n)
    : o.select instanceof Int32Array
      ? o.select
      : Int32Array.from(o.select);
  sumPeaks(peaks, hits, records, prevRecord, nextRecord, adcToPe, o, sel, nSel, dt, spr, swv, twv, apc, hw);
}

// The loops live in functions of their own, each ending with its loop: V8 optimises them
// mid-loop on the first chunk, and code after a loop that had not run yet would make that
// code stop there and be compiled again on later chunks.

function allRows(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function maxOf(a: ArrayLike<number>, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) if (a[i]! > m) m = a[i]!;
  return m;
}

/** sumWaveform's loop over the selected peaks, with its work buffers. */
function sumPeaks(
  peaks: PeakArrays,
  hits: HitletArrays,
  records: RecordArrays,
  prevRecord: Int32Array,
  nextRecord: Int32Array,
  adcToPe: ArrayLike<number>,
  o: SumWaveformOptions,
  sel: Int32Array,
  nSel: number,
  dt: number,
  spr: number,
  swv: Float32Array,
  twv: Float32Array,
  apc: Float32Array,
  hw: Float32Array,
): void {
  const nCh = peaks.nChannels;
  const ov = new Int32Array(4),
    ov2 = new Int32Array(4);

  let left = 0;
  for (let s = 0; s < nSel; s++) {
    const pi = sel[s]!;
    const pLen = peaks.length[pi]!;
    const pTime = peaks.time[pi]!;
    swv.fill(0, 0, Math.min(2 * pLen, swv.length));
    if (o.storeDataTop) twv.fill(0, 0, Math.min(2 * pLen, twv.length));
    apc.fill(0);
    peaks.area[pi] = 0;

    while (left < hits.n && !(pTime < hits.time[left]! + hits.length[left]! * dt)) left++;
    // Hits exhausted before peaks: strax stops building the remaining peaks.
    if (left >= hits.n) break;

    let pArea = 0;
    const pSlot = Math.floor(pTime / dt);
    for (let k = left; k < hits.n; k++) {
      const hTime = hits.time[k]!;
      if (peaks.dt[pi] !== hits.dt[k]) throw new Error('sum_waveform: hits and peaks must have the same dt');
      const shift = Math.floor((pTime - hTime) / dt);
      const hLen = hits.length[k]!;
      if (shift <= -pLen) break;
      if (hLen <= shift) continue;
      overlapIndices(Math.floor(hTime / dt), hLen, pSlot, pLen, ov);
      const hStart = ov[0]!,
        hEnd = ov[1]!,
        pStart = ov[2]!;
      const ri = hits.recordI[k]!;
      const ch = hits.channel[k]!;
      const g = adcToPe[ch]!;
      const top = o.storeDataTop && ch < o.nTopChannels;
      const hDt = hits.dt[k]!;
      const needPrev = hits.leftIntegration[k]! < 0 && prevRecord[ri] !== -1;
      const needNext = hits.rightIntegration[k]! > spr && nextRecord[ri] !== -1;
      const rDt = records.dt[ri]!;
      overlapIndices(
        Math.floor(hTime / hDt),
        hLen,
        Math.floor(records.time[ri]! / rDt),
        records.length[ri]!,
        ov2,
      );
      let sat: number;
      let a = 0;
      if (!needPrev && !needNext && ov2[0]! <= hStart && ov2[1]! >= hEnd && ov2[1]! > ov2[0]!) {
        // The hitlet's samples in this peak all come from its own record: no waveform buffer.
        const m = 2 ** records.amplitudeBitShift[ri]!;
        const b = records.baseline[ri]!;
        const frac = b - Math.floor(b);
        const base = ri * spr + ov2[2]! - ov2[0]!;
        const data = records.data;
        // Saturated: a sample of the record's overlap with the hitlet, in this peak or not,
        // reaches the truncated baseline (raw ADC 0). The samples summed below lie inside it.
        sat = reachesLevel(data, ri * spr + ov2[2]!, ri * spr + ov2[3]!, Math.trunc(b) / m);
        for (let i = hStart, j = pStart; i < hEnd; i++, j++) {
          const d = data[base + i]!;
          const x = Math.fround(Math.fround(m * d + frac) * g);
          swv[j] = swv[j]! + x;
          if (top) twv[j] = twv[j]! + x;
          a = Math.fround(a + x);
        }
      } else {
        hw.fill(0, 0, hLen);
        sat = buildHitWaveform(hTime, hDt, hLen, records, ri, spr, hw, ov);
        if (needPrev) sat |= buildHitWaveform(hTime, hDt, hLen, records, prevRecord[ri]!, spr, hw, ov);
        if (needNext) sat |= buildHitWaveform(hTime, hDt, hLen, records, nextRecord[ri]!, spr, hw, ov);
        for (let i = hStart, j = pStart; i < hEnd; i++, j++) {
          const x = Math.fround(hw[i]! * g);
          swv[j] = swv[j]! + x;
          if (top) twv[j] = twv[j]! + x;
          a = Math.fround(a + x);
        }
      }
      const satIdx = pi * nCh + ch;
      peaks.saturatedChannel[satIdx] = peaks.saturatedChannel[satIdx]! | sat;
      apc[ch] = apc[ch]! + a;
      pArea = Math.fround(pArea + a);
    }
    peaks.area[pi] = pArea;
    storeDownsampledWaveform(peaks, pi, swv, o.storeDataTop, o.storeDataStart, twv);
    let nSat = 0;
    const sc = peaks.saturatedChannel;
    for (let c = pi * nCh, e = c + nCh; c < e; c++) nSat += sc[c]!;
    peaks.nSaturatedChannels[pi] = nSat;
    peaks.areaPerChannel.set(apc, pi * nCh);
  }
}

/** 1 when a sample of data[from, to) is at least level, else 0. */
function reachesLevel(data: Int16Array, from: number, to: number, level: number): number {
  for (let q = from; q < to; q++) if (data[q]! >= level) return 1;
  return 0;
}

/**
 * Writes the part of record `ri` that overlaps the hitlet into hw (ADC counts plus the
 * baseline's fractional part). Returns 1 when the record saturates there (a flipped sample
 * reaches the truncated baseline, i.e. raw ADC 0), else 0.
 */
function buildHitWaveform(
  hTime: number,
  hDt: number,
  hLen: number,
  records: RecordArrays,
  ri: number,
  spr: number,
  hw: Float32Array,
  ov: Int32Array,
): number {
  const rDt = records.dt[ri]!;
  overlapIndices(Math.floor(hTime / hDt), hLen, Math.floor(records.time[ri]! / rDt), records.length[ri]!, ov);
  const hs = ov[0]!,
    he = ov[1]!,
    rs = ov[2]!;
  if (he <= hs) return 0; // numba would fail on an empty max(); never seen in practice
  const m = 2 ** records.amplitudeBitShift[ri]!;
  const b = records.baseline[ri]!;
  const frac = b - Math.floor(b);
  const base = ri * spr + rs;
  let mx = -Infinity;
  for (let i = hs, j = base; i < he; i++, j++) {
    const d = records.data[j]!;
    if (d > mx) mx = d;
    hw[i] = m * d + frac;
  }
  return mx * m >= Math.trunc(b) ? 1 : 0;
}

/**
 * strax store_downsampled_waveform for row i: if the buffer is longer than the `data` field,
 * sum blocks of ceil(L/n) samples, floor the length (tail samples are dropped) and multiply dt.
 * Samples of `data` beyond the new length are left untouched.
 */
export function storeDownsampledWaveform(
  p: PeakArrays,
  i: number,
  buf: Float32Array,
  storeTop: boolean,
  storeStart: boolean,
  bufTop: Float32Array,
): void {
  const n = p.nSamples;
  const L = p.length[i]!;
  const factor = Math.ceil(L / n);
  const off = i * n;
  if (factor > 1) {
    const newLen = Math.floor(L / factor);
    p.length[i] = newLen;
    if (storeTop) blockSums(bufTop, newLen, factor, p.dataTop, off);
    blockSums(buf, newLen, factor, p.data, off);
    p.dt[i] = p.dt[i]! * factor;
  } else {
    if (storeTop) p.dataTop.set(bufTop.subarray(0, L), off);
    p.data.set(buf.subarray(0, L), off);
  }
  if (storeStart) {
    if (L > n) p.dataStart.set(buf.subarray(0, n), off);
    else p.dataStart.set(buf.subarray(0, L), off);
  }
}

function blockSums(src: Float32Array, nOut: number, factor: number, dst: Float32Array, off: number): void {
  for (let j = 0, k = 0; j < nOut; j++) {
    let s = 0;
    for (let e = k + factor; k < e; k++) s = Math.fround(s + src[k]!);
    dst[off + j] = s;
  }
}
