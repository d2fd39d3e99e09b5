// Grouping time-sorted hits into peak(let)s (strax find_peaks), clipping to a chunk, and the
// gaps between peaklets that in-peak hits may not integrate into.

import { allocPeaks, type PeakArrays, type PeakShape } from './peak-arrays.js';
import type { PeakInputHits } from './hit-arrays.js';
import { grown } from './schema.js';

export interface FindPeaksOptions {
  /** A new peak starts when the next hit begins this many ns after the current end (>=). */
  gapThreshold: number;
  leftExtension: number;
  rightExtension: number;
  minArea: number;
  minChannels: number;
  maxDuration: number;
}

function maxChannel(channel: ArrayLike<number>, n: number): number {
  let maxCh = -1;
  for (let i = 0; i < n; i++) if (channel[i]! > maxCh) maxCh = channel[i]!;
  return maxCh;
}

/**
 * strax find_peaks on hits sorted by (time, channel). Writes time, channel (-1), dt, n_hits,
 * area, max_gap, length and area_per_channel; all other fields are zero.
 */
export function findPeaks(
  hits: PeakInputHits,
  adcToPe: ArrayLike<number>,
  shape: PeakShape,
  o: FindPeaksOptions,
): PeakArrays {
  const n = hits.n;
  if (n === 0) return allocPeaks(shape, 0);
  if (!(hits.dt[0]! > 0)) throw new Error('find_peaks: hit does not indicate sampling time (dt <= 0)');
  if (o.minChannels < 1) throw new Error('find_peaks: min_channels must be >= 1');
  if (!(o.gapThreshold > o.leftExtension + o.rightExtension)) {
    throw new Error('find_peaks: gap_threshold must be larger than left + right extension');
  }
  // (a loop of its own: see records-pass.ts)
  const maxCh = maxChannel(hits.channel, n);
  if (maxCh >= adcToPe.length) throw new Error('find_peaks: more channels than gains (to_pe)');
  if (!(o.leftExtension + o.maxDuration + o.rightExtension < 429496729400)) {
    throw new Error('find_peaks: too large max duration causes integer overflow');
  }

  const accepted = new AcceptedPeaks(shape.nChannels);
  groupHits(hits, adcToPe, o, accepted);
  return accepted.finish(shape);
}

/** Peaks accepted so far, in arrays grown as needed. The first growth is at the first peak, so
 * that it has run before V8 optimises groupHits' loop (growth first seen in optimised code made
 * that code stop there and be compiled again; see HitBuffer). */
class AcceptedPeaks {
  count = 0;
  private cap = 0;
  time = new Float64Array(0);
  length = new Int32Array(0);
  dt = new Int32Array(0);
  nHits = new Int32Array(0);
  area = new Float32Array(0);
  maxGap = new Int32Array(0);
  areaPerChannel = new Float32Array(0);

  constructor(readonly nChannels: number) {}

  /** Room for one more peak; returns its row. */
  add(): number {
    if (this.count === this.cap) {
      const c = (this.cap = Math.max(64, 2 * this.cap));
      this.time = grown(this.time, c);
      this.length = grown(this.length, c);
      this.dt = grown(this.dt, c);
      this.nHits = grown(this.nHits, c);
      this.area = grown(this.area, c);
      this.maxGap = grown(this.maxGap, c);
      this.areaPerChannel = grown(this.areaPerChannel, c * this.nChannels);
    }
    return this.count++;
  }

  finish(shape: PeakShape): PeakArrays {
    const count = this.count;
    const p = allocPeaks(shape, count);
    p.time.set(this.time.subarray(0, count));
    p.length.set(this.length.subarray(0, count));
    p.dt.set(this.dt.subarray(0, count));
    p.channel.fill(-1);
    p.nHits.set(this.nHits.subarray(0, count));
    p.area.set(this.area.subarray(0, count));
    p.maxGap.set(this.maxGap.subarray(0, count));
    p.areaPerChannel.set(this.areaPerChannel.subarray(0, count * this.nChannels));
    return p;
  }
}

/** find_peaks' loop over the hits, alone in its function and ending with it (see
 * records-pass.ts). */
function groupHits(
  hits: PeakInputHits,
  adcToPe: ArrayLike<number>,
  o: FindPeaksOptions,
  out: AcceptedPeaks,
): void {
  const n = hits.n;
  const nCh = out.nChannels;
  const apc = new Float32Array(nCh);
  // Channels touched by the current candidate, so resetting and counting cost O(hits).
  const touched = new Int32Array(nCh);
  let nTouched = 0;
  const seen = new Uint8Array(nCh);

  let inPeak = false;
  let peakEnd = 0,
    pTime = 0,
    pDt = 0,
    pNHits = 0,
    pArea = 0,
    pMaxGap = 0;
  for (let k = 0; k < n; k++) {
    const t0 = hits.time[k]!,
      dt = hits.dt[k]!;
    const t1 = t0 + dt * hits.length[k]!;
    if (inPeak) {
      const g = t0 - peakEnd;
      if (g > pMaxGap) pMaxGap = g | 0;
    } else {
      for (let c = 0; c < nTouched; c++) apc[touched[c]!] = 0;
      nTouched = 0;
      peakEnd = t1;
      pTime = t0 - o.leftExtension;
      pDt = dt;
      pNHits = 0;
      pArea = 0;
      pMaxGap = 0;
      inPeak = true;
    }
    pNHits++;
    if (t1 > peakEnd) peakEnd = t1;
    const ch = hits.channel[k]!;
    const a = hits.area[k]! * adcToPe[ch]!; // float32 x float64 -> float64
    if (!seen[ch]) {
      seen[ch] = 1;
      touched[nTouched++] = ch;
    }
    apc[ch] = apc[ch]! + a;
    pArea = Math.fround(pArea + a);

    let last = k === n - 1;
    if (!last) {
      const nt = hits.time[k + 1]!;
      if (nt - peakEnd >= o.gapThreshold) last = true;
      // The left extension counts twice here (pTime already includes it), as in strax.
      else if (
        nt - pTime + hits.dt[k + 1]! * hits.length[k + 1]! + o.leftExtension + o.rightExtension >
        o.maxDuration
      )
        last = true;
    }
    if (!last) continue;
    inPeak = false;
    let nContrib = 0;
    for (let c = 0; c < nTouched; c++) {
      if (apc[touched[c]!] !== 0) nContrib++;
      seen[touched[c]!] = 0;
    }
    if (pArea < o.minArea) continue;
    if (nContrib < o.minChannels) continue;
    const len = Math.trunc((peakEnd - pTime + o.rightExtension) / pDt);
    if (len <= 0) throw new Error('find_peaks: caught attempt to save nonpositive peak length');
    const row = out.add();
    out.time[row] = pTime;
    out.length[row] = len;
    out.dt[row] = pDt;
    out.nHits[row] = pNHits;
    out.area[row] = pArea;
    out.maxGap[row] = pMaxGap;
    const apcAll = out.areaPerChannel;
    for (let c = 0; c < nTouched; c++) apcAll[row * nCh + touched[c]!] = apc[touched[c]!]!;
  }
}

/**
 * straxen clip_peaklet_times: start no earlier than `start` (length kept, so the end moves),
 * then end no later than `end` (length floored).
 */
export function clipTimes(
  time: Float64Array,
  length: Int32Array,
  dt: ArrayLike<number>,
  n: number,
  start: number,
  end: number,
): void {
  for (let i = 0; i < n; i++) {
    if (time[i]! < start) time[i] = start;
    const d = dt[i]!;
    if (time[i]! + length[i]! * d > end) length[i] = Math.floor((end - time[i]!) / d);
  }
}

/**
 * The gaps around and between peaklets in [start, end): n+1 intervals (none without peaklets).
 * Returns parallel start/end arrays.
 */
export function outsidePeaksRegions(
  p: PeakArrays,
  start: number,
  end: number,
): { time: Float64Array; endtime: Float64Array } {
  if (p.n === 0) return { time: new Float64Array(0), endtime: new Float64Array(0) };
  const time = new Float64Array(p.n + 1),
    endtime = new Float64Array(p.n + 1);
  time[0] = start;
  endtime[0] = p.time[0]!;
  for (let i = 0; i < p.n - 1; i++) {
    time[i + 1] = p.time[i]! + p.length[i]! * p.dt[i]!;
    endtime[i + 1] = p.time[i + 1]!;
  }
  time[p.n] = p.time[p.n - 1]! + p.length[p.n - 1]! * p.dt[p.n - 1]!;
  endtime[p.n] = end;
  return { time, endtime };
}
