// Natural-breaks peak splitting (strax peak_splitting.py, NaturalBreaksSplitter) and straxen's
// area/rise-time dependent split threshold. Each evaluation splits a peak into at most two
// pieces; pieces are rebuilt from the hitlets and split again, up to `iterations` generations.

import { allocPeaks, concatPeaks, takePeaks, type PeakArrays } from './peak-arrays.js';
import type { HitletArrays, RecordArrays } from './hit-arrays.js';
import { stableArgsort } from './stable-sort.js';
import { sumWaveform, sumWaveformOptions, type SumWaveformOptions } from './sum-waveform.js';
import { computeProperties } from './peak-properties.js';

/** Weighted within-class sum of squared deviations, cumulative from the left (float64). */
function ssdForward(w: Float32Array, off: number, L: number, out: Float64Array): void {
  let mean = 0,
    sumW = 0,
    s = 0;
  for (let i = 0; i < L; i++) {
    const v = w[off + i]!;
    const x = v > 0 ? v : 0; // max(0, v): negative and NaN samples weigh nothing
    out[i] = 0;
    sumW += x;
    if (sumW === 0) continue;
    const old = mean;
    mean = old + (x / sumW) * (i - old);
    s += x * (i - old) * (i - mean);
    out[i] = s;
  }
}

/** The same sum taken over the reversed waveform, stored back in original order. */
function ssdBackward(w: Float32Array, off: number, L: number, out: Float64Array): void {
  let mean = 0,
    sumW = 0,
    s = 0;
  for (let j = 0; j < L; j++) {
    const v = w[off + L - 1 - j]!;
    const x = v > 0 ? v : 0;
    out[L - 1 - j] = 0;
    sumW += x;
    if (sumW === 0) continue;
    const old = mean;
    mean = old + (x / sumW) * (j - old);
    s += x * (j - old) * (j - mean);
    out[L - 1 - j] = s;
  }
}

/**
 * strax symmetric_moving_average with its quirk: the sample leaving the window is only removed
 * when its index is > 0, so sample 0 is never removed and the count runs one too high after.
 */
export function symmetricMovingAverage(
  a: Float32Array,
  off: number,
  n: number,
  wing: number,
  out: Float32Array,
): void {
  let asum = 0;
  for (let i = 0; i < Math.min(wing, n); i++) asum = Math.fround(asum + a[off + i]!);
  let count = wing;
  for (let i = 0; i < n; i++) {
    const jo = i - wing - 1;
    if (jo > 0) {
      count--;
      asum = Math.fround(asum - a[off + jo]!);
    }
    const ji = i + wing;
    if (ji < n) {
      count++;
      asum = Math.fround(asum + a[off + ji]!);
    }
    out[i] = asum / count;
  }
}

export interface GofScratch {
  left: Float64Array;
  right: Float64Array;
  filtered: Float32Array;
}

export function gofScratch(nSamples: number): GofScratch {
  return {
    left: new Float64Array(nSamples),
    right: new Float64Array(nSamples),
    filtered: new Float32Array(nSamples),
  };
}

/**
 * strax natural_breaks_gof (normalize=False) of w[off, off+L) into gof[0, L):
 * 1 - (left + right) / total, optionally damped at high samples (split_low) using a moving
 * average of wing filterWingWidth // dt - 1 samples.
 */
export function naturalBreaksGof(
  w: Float32Array,
  off: number,
  L: number,
  dt: number,
  splitLow: boolean,
  filterWingWidth: number,
  gof: Float64Array,
  sc: GofScratch,
): void {
  ssdForward(w, off, L, sc.left);
  ssdBackward(w, off, L, sc.right);
  const tot = sc.left[L - 1]!;
  for (let i = 0; i < L; i++) gof[i] = 1 - (sc.left[i]! + sc.right[i]!) / tot;
  if (!splitLow) return;
  const n = Math.floor(filterWingWidth / dt) - 1;
  let fw: Float32Array, fo: number;
  if (n > 0) {
    symmetricMovingAverage(w, off, L, n, sc.filtered);
    fw = sc.filtered;
    fo = 0;
  } else {
    fw = w;
    fo = off;
  }
  const mx = maxF32(fw, fo, L);
  for (let i = 0; i < L; i++) gof[i] = gof[i]! * Math.fround(1 - Math.fround(fw[fo + i]! / mx));
}

/** numba/numpy max of a float array: NaN propagates. */
function maxF32(a: Float32Array, off: number, n: number): number {
  let m = a[off]!;
  for (let i = 1; i < n; i++) {
    const x = a[off + i]!;
    if (Number.isNaN(m)) return m;
    if (x > m || Number.isNaN(x)) m = x;
  }
  return m;
}

/** First index of the maximum; the first NaN wins (numpy/numba argmax). */
export function argmaxF64(a: Float64Array, n: number): number {
  let best = 0;
  let m = a[0]!;
  if (Number.isNaN(m)) return 0;
  for (let i = 1; i < n; i++) {
    const x = a[i]!;
    if (Number.isNaN(x)) return i;
    if (x > m) {
      m = x;
      best = i;
    }
  }
  return best;
}

export interface SplitContext {
  hits: HitletArrays;
  records: RecordArrays;
  prevRecord: Int32Array;
  nextRecord: Int32Array;
  adcToPe: ArrayLike<number>;
  sum: SumWaveformOptions;
}

export interface NaturalBreaksOptions {
  /** One threshold per peak of the current generation. */
  threshold: (peaks: PeakArrays) => Float64Array;
  splitLow: boolean;
  filterWingWidth: number;
  minArea: number;
  iterations: number;
}

/**
 * strax split_peaks(algorithm='natural_breaks'): returns the peaks, split where the goodness of
 * split exceeds the threshold, time-sorted (unsplit peaks before new pieces on equal time).
 * Sets max_goodness_of_split of every evaluated peak (in place).
 */
export function splitPeaksNaturalBreaks(
  peaks: PeakArrays,
  ctx: SplitContext,
  o: NaturalBreaksOptions,
): PeakArrays {
  return splitGeneration(
    peaks,
    ctx,
    o,
    o.iterations,
    gofScratch(peaks.nSamples),
    new Float64Array(peaks.nSamples),
  );
}

function splitGeneration(
  peaks: PeakArrays,
  ctx: SplitContext,
  o: NaturalBreaksOptions,
  doIter: number,
  sc: GofScratch,
  gof: Float64Array,
): PeakArrays {
  if (ctx.records.n === 0 || peaks.n === 0 || doIter === 0) return peaks;
  const thr = o.threshold(peaks);
  const origDt = ctx.records.dt[0]!;
  const isSplit = new Uint8Array(peaks.n);
  const newTime: number[] = [],
    newLen: number[] = [],
    newCh: number[] = [];
  for (let i = 0; i < peaks.n; i++) {
    if (peaks.area[i]! < o.minArea) continue;
    const L = peaks.length[i]!,
      pdt = peaks.dt[i]!;
    naturalBreaksGof(peaks.data, i * peaks.nSamples, L, pdt, o.splitLow, o.filterWingWidth, gof, sc);
    const m = argmaxF64(gof, L);
    const g = gof[m]!;
    if (g > thr[i]!) {
      isSplit[i] = 1;
      let prev = 0;
      for (const at of [m, L - 1]) {
        const len = Math.trunc(((at - prev) * pdt) / origDt);
        if (len <= 0) throw new Error('natural breaks splitting: attempt to create an invalid (empty) peak');
        newTime.push(peaks.time[i]! + prev * pdt);
        newLen.push(len);
        newCh.push(peaks.channel[i]!);
        prev = at;
      }
    }
    peaks.maxGoodnessOfSplit[i] = g;
  }
  if (newTime.length === 0) return peaks;

  let pieces = allocPeaks(peaks, newTime.length);
  for (let k = 0; k < newTime.length; k++) {
    pieces.time[k] = newTime[k]!;
    pieces.length[k] = newLen[k]!;
    pieces.channel[k] = newCh[k]!;
    pieces.dt[k] = origDt;
  }
  pieces.maxGap.fill(-1);
  pieces.maxDiff.fill(-1);
  pieces.minDiff.fill(-1);
  pieces.firstChannel.fill(-1);
  pieces.lastChannel.fill(-1);
  sumWaveform(
    pieces,
    ctx.hits,
    ctx.records,
    ctx.prevRecord,
    ctx.nextRecord,
    ctx.adcToPe,
    sumWaveformOptions(ctx.sum, undefined),
  );
  computeProperties(pieces, ctx.sum.nTopChannels);
  pieces = splitGeneration(pieces, ctx, o, doIter - 1, sc, gof);
  for (let k = 0; k < pieces.n; k++) {
    if (pieces.length[k] === 0) throw new Error('natural breaks splitting: a new piece has zero length');
  }
  const keep: number[] = [];
  for (let i = 0; i < peaks.n; i++) if (!isSplit[i]) keep.push(i);
  const all = concatPeaks(takePeaks(peaks, keep), pieces);
  return takePeaks(all, stableArgsort(all.time, all.n));
}

/** numpy.interp for one x (xp increasing): clamps outside, NaN passes through. */
export function interp(x: number, xp: readonly number[], fp: readonly number[]): number {
  const n = xp.length;
  if (Number.isNaN(x)) return x;
  if (n === 1) return fp[0]!;
  if (x < xp[0]!) return fp[0]!;
  if (x > xp[n - 1]!) return fp[n - 1]!;
  let j = 0;
  while (j < n - 1 && !(x < xp[j + 1]!)) j++;
  if (j === n - 1) return fp[j]!;
  if (xp[j] === x) return fp[j]!;
  const slope = (fp[j + 1]! - fp[j]!) / (xp[j + 1]! - xp[j]!);
  let r = slope * (x - xp[j]!) + fp[j]!;
  if (Number.isNaN(r)) {
    r = slope * (x - xp[j + 1]!) + fp[j + 1]!;
    if (Number.isNaN(r) && fp[j] === fp[j + 1]) r = fp[j]!;
  }
  return r;
}

/** A (log10 area, threshold) curve as straxen writes it: [[x0, y0], [x1, y1], ...]. */
export type GofCurve = readonly (readonly [number, number])[];

/**
 * straxen Peaklets.natural_breaks_threshold: an S2-likeness from the rise time
 * (-area_decile_from_midpoint[1]) blends the S1-like and S2-like curves of log10(area).
 * float32 where numpy keeps float32; interp in float64.
 */
export function naturalBreaksThreshold(
  peaks: PeakArrays,
  s1Curve: GofCurve,
  s2Curve: GofCurve,
): Float64Array {
  const xs1 = s1Curve.map((r) => r[0]),
    ys1 = s1Curve.map((r) => r[1]);
  const xs2 = s2Curve.map((r) => r[0]),
    ys2 = s2Curve.map((r) => r[1]);
  const out = new Float64Array(peaks.n);
  const nw = peaks.nWidths;
  for (let i = 0; i < peaks.n; i++) {
    const rise = -peaks.areaDecileFromMidpoint[i * nw + 1]!;
    const c = clip(rise, 1, 1e5);
    const l = Math.fround(Math.log10(Math.fround(c / 100)));
    const f = Math.fround(8 * l);
    const e = Math.fround(Math.exp(-f));
    const fs2 = Math.fround(1 / Math.fround(1 + e));
    const la = Math.fround(Math.log10(clip(peaks.area[i]!, 1, 1e7)));
    out[i] = fs2 * interp(la, xs2, ys2) + Math.fround(1 - fs2) * interp(la, xs1, ys1);
  }
  return out;
}

function clip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
