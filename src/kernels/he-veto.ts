// straxen's software high-energy veto: after very large peaks, records are dropped for a fixed
// time, except around later large signals seen in a coarse sum waveform of the veto window.

import { findHits } from './hitfinder.js';
import { allocHits, takeHits, type HitArrays } from './hit-arrays.js';
import { takeRecordRows, type RecordColumns } from './pulse-processing.js';
import { fullyContainedIn, overlapIndices } from './intervals.js';

export interface HeVetoOptions {
  /** Minimum peak area [PE] that triggers the veto. */
  areaThreshold: number;
  /** Veto duration after the peak start [ns]. */
  vetoLength: number;
  /** Sample width of the coarse sum waveform [ns] (must fit int16). */
  vetoRes: number;
  /** Pass regions are extended by this many coarse samples on both sides. */
  passVetoExtend: number;
  /** Coarse samples above this fraction of the window's maximum are passed. */
  passVetoFraction: number;
  /** If set, pass coarse samples above this absolute value [PE] instead. */
  maxVetoValue: number | null;
}

/**
 * Start times (offsets from the records' base) of strax find_peaks clusters of whole records
 * (gap 1 ns, no extensions) with area >= minArea [PE] and at least minChannels channels.
 */
function largePeakStarts(
  r: RecordColumns,
  t: Float64Array,
  toPe: ArrayLike<number>,
  minArea: number,
  minChannels: number,
): number[] {
  const n = t.length;
  const maxDuration = 10_000_000;
  const apc = new Float32Array(toPe.length);
  const starts: number[] = [];
  let pTime = 0,
    pArea = 0,
    endT = 0,
    inPeak = false;
  for (let i = 0; i < n; i++) {
    const ch = r.channel[i]!;
    if (ch >= toPe.length)
      throw new Error(`software HE veto: channel ${ch} has no gain (hev_gain_model has ${toPe.length})`);
    const t1 = t[i]! + r.dt[i]! * r.length[i]!;
    if (!inPeak) {
      apc.fill(0);
      endT = t1;
      pTime = t[i]!;
      pArea = 0;
      inPeak = true;
    }
    if (t1 > endT) endT = t1;
    const a = r.area[i]! * toPe[ch]!;
    apc[ch] = apc[ch]! + a;
    pArea = Math.fround(pArea + a);
    let last = i === n - 1;
    if (!last) {
      const far = t[i + 1]! - endT >= 1;
      const tooLong = t[i + 1]! - pTime + r.dt[i + 1]! * r.length[i + 1]! > maxDuration;
      last = far || tooLong;
    }
    if (!last) continue;
    inPeak = false;
    if (pArea < minArea) continue;
    let nCh = 0;
    for (let c = 0; c < apc.length; c++) if (apc[c] !== 0) nCh++;
    if (nCh < minChannels) continue;
    starts.push(pTime);
  }
  return starts;
}

/**
 * Split time-ordered records into those kept and those inside veto intervals (hit_dtype rows).
 * chunkEnd bounds the veto windows; it and all times are offsets from the records' base.
 */
export function softwareHeVeto(
  r: RecordColumns,
  toPe: ArrayLike<number>,
  chunkEnd: number,
  o: HeVetoOptions,
): { kept: RecordColumns; vetoed: RecordColumns; veto: HitArrays } {
  const vetoRes = Math.trunc(o.vetoRes);
  if (vetoRes > 32767) throw new Error(`tail_veto_resolution ${vetoRes} does not fit a 16-bit int`);
  const vetoLength = Math.ceil(o.vetoLength / vetoRes) * vetoRes;
  const vetoN = Math.trunc(vetoLength / vetoRes) + 1;
  const n = r.time.length;
  if (n === 0) return { kept: r, vetoed: r, veto: allocHits(0) };
  const t = r.time;
  const starts = largePeakStarts(r, t, toPe, o.areaThreshold, 100);
  const nReg = starts.length;
  if (nReg === 0) return { kept: r, vetoed: takeRecordRows(r, []), veto: allocHits(0) };

  const end = chunkEnd;
  const regLength = new Int32Array(nReg);
  for (let k = 0; k < nReg; k++) {
    let e = Math.min(starts[k]! + vetoLength, end);
    if (k < nReg - 1) e = Math.min(e, starts[k + 1]!);
    regLength[k] = Math.floor((e - starts[k]!) / vetoN);
  }

  // Coarse sum waveform: each record counts as one delta at its start.
  const wv = new Float32Array(nReg * vetoN);
  for (let k = 0, ri = 0; k < nReg && ri < n; k++) {
    const lo = starts[k]!,
      hi = lo + vetoN * vetoRes;
    for (; ri < n; ri++) {
      const tr = t[ri]!;
      if (tr >= hi) break;
      if (tr >= lo) {
        const idx = k * vetoN + Math.floor((tr - lo) / vetoRes);
        wv[idx] = wv[idx]! + r.area[ri]! * toPe[r.channel[ri]!]!;
      }
    }
  }

  let threshold: number;
  if (o.maxVetoValue !== null) {
    threshold = o.maxVetoValue;
  } else {
    for (let k = 0; k < nReg; k++) {
      const row = wv.subarray(k * vetoN, (k + 1) * vetoN);
      let m = -Infinity;
      // numpy's max: NaN propagates
      for (let i = 0; i < vetoN; i++) {
        const x = row[i]!;
        if (x !== x) {
          m = NaN;
          break;
        }
        if (x > m) m = x;
      }
      for (let i = 0; i < vetoN; i++) row[i] = row[i]! / m;
    }
    threshold = o.passVetoFraction;
  }
  const regions = {
    time: Float64Array.from(starts),
    length: regLength,
    dt: new Int16Array(nReg).fill(vetoRes),
    channel: new Int16Array(nReg),
    baseline: new Float32Array(nReg),
    baseline_rms: new Float32Array(nReg),
    data: wv,
  };
  const pass = findHits(regions, threshold);

  // Veto everything in [0, length) of a region except the extended pass windows.
  const mask = new Float32Array(nReg * vetoN).fill(1);
  const ext = o.passVetoExtend;
  const ov = new Int32Array(4);
  for (let h = 0; h < pass.left.length; h++) {
    const k = pass.recordI[h]!;
    const s = pass.left[h]! - ext,
      e = pass.right[h]! + ext;
    overlapIndices(0, regLength[k]!, s, e - s, ov);
    mask.fill(0, k * vetoN + ov[0]!, k * vetoN + ov[1]!);
  }
  const allVeto = findHits({ ...regions, data: mask }, 1);
  const keepVeto: number[] = [];
  for (let h = 0; h < allVeto.n; h++) if (allVeto.length[h]! > 2 * ext) keepVeto.push(h);
  const veto = takeHits(allVeto, Int32Array.from(keepVeto));

  // Records fully inside a veto interval are removed.
  const vt = veto.time;
  const vEnd = new Float64Array(vt.length),
    rEnd = new Float64Array(n);
  for (let b = 0; b < vt.length; b++) vEnd[b] = vt[b]! + veto.length[b]! * veto.dt[b]!;
  for (let i = 0; i < n; i++) rEnd[i] = t[i]! + r.length[i]! * r.dt[i]!;
  const container = fullyContainedIn(t, rEnd, vt, vEnd);
  const kept: number[] = [],
    vetoed: number[] = [];
  for (let i = 0; i < n; i++) (container[i]! >= 0 ? vetoed : kept).push(i);
  return { kept: takeRecordRows(r, kept), vetoed: takeRecordRows(r, vetoed), veto };
}
