// Which neighbouring S2 peaklets to merge into one S2 (straxen MergedS2sVanilla 1.1.1,
// get_merge_instructions): gaps are closed smallest first while the merged S2 stays below an
// area- dependent gap threshold, a maximum duration and (optionally) a natural-break
// goodness-of-split threshold. The original is plain numpy, so the area sum is numpy's
// pairwise float32 sum and the log10 a float32.

import type { PeakArrays } from './peak-arrays.js';
import { stableArgsort } from './stable-sort.js';

/** (log10 area, value) points; the value is constant below the first and above the last point. */
export type ThresholdPoints = readonly (readonly [number, number])[];

export interface MergeInstructionOptions {
  gapThresholds: ThresholdPoints;
  /** Merged S2s may not last this long or longer [ns]. */
  maxDuration: number;
  /** Gaps above this are never closed [ns]. */
  maxGap: number;
  /** Merged S2s with a larger area are not made. */
  maxArea: number;
  /** Natural-break veto: a group whose best split beats this threshold is not merged. */
  gofThresholds: ThresholdPoints;
  naturalBreak: boolean;
}

/** Merge groups as [start, exclusive end) indices into the peaklets. */
export interface MergeGroups {
  start: Int32Array;
  end: Int32Array;
}

/** Linear interpolation in log10(area) between threshold points (straxen merge_s2_threshold). */
export function mergeS2Threshold(logArea: number, points: ThresholdPoints): number {
  for (let i = 0; i < points.length; i++) {
    const [a1, g1] = points[i]!;
    if (logArea < a1) {
      if (i === 0) return g1;
      const [a0, g0] = points[i - 1]!;
      return ((logArea - a0) * (g1 - g0)) / (a1 - a0) + g0;
    }
  }
  return points[points.length - 1]![1];
}

/** numpy's float32 add.reduce: pairwise summation with 8 partial sums (blocks of 128). */
export function pairwiseSumF32(a: Float32Array, start: number, n: number): number {
  const fr = Math.fround;
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s = fr(s + a[start + i]!);
    return s;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j++) r[j] = a[start + j]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = fr(r[j]! + a[start + i + j]!);
    let s = fr(fr(fr(r[0]! + r[1]!) + fr(r[2]! + r[3]!)) + fr(fr(r[4]! + r[5]!) + fr(r[6]! + r[7]!)));
    for (; i < n; i++) s = fr(s + a[start + i]!);
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return fr(pairwiseSumF32(a, start, n2) + pairwiseSumF32(a, start + n2, n - n2));
}

/**
 * Best natural-break goodness of split of the group of peaklets [s, e] (inclusive) that closing
 * gap g would form (straxen gof_at_gap): for every sample, 1 − (variance left of it + variance
 * right of it) / variance of the whole, times a factor that disfavours splitting at high samples.
 * Negative samples count as zero; times are relative to the start of peaklet g+1.
 */
export function gofAtGap(p: PeakArrays, g: number, s: number, e: number): number {
  const ns = p.nSamples;
  const tGap = p.time[g + 1]!;
  let total = 0;
  for (let k = s; k <= e; k++) total += p.length[k]!;
  if (total === 0) return NaN;
  const w = new Float64Array(total),
    wPerNs = new Float64Array(total),
    left = new Float64Array(total);
  // Cumulative weighted variance from the left.
  let sw = 0,
    swt = 0,
    swt2 = 0,
    wMax = -Infinity,
    m = 0;
  for (let k = s; k <= e; k++) {
    const len = p.length[k]!,
      dt = p.dt[k]!,
      t0 = p.time[k]! - tGap,
      base = k * ns;
    for (let i = 0; i < len; i++, m++) {
      const raw = p.data[base + i]!;
      const c = raw <= 0 ? 0 : raw;
      const t = t0 + dt * (i + 0.5);
      w[m] = c;
      const v = c / dt;
      wPerNs[m] = v;
      if (v > wMax) wMax = v;
      sw += c;
      swt += c * t;
      swt2 += c * t * t;
      left[m] = sw <= 0 ? 0 : swt2 - (swt * swt) / sw;
    }
  }
  const whole = left[total - 1]!;
  // From the right; sample m belongs to both sides. straxen divides by a zero `whole` (it
  // would raise); here that gives NaN, which never vetoes a merge.
  sw = 0;
  swt = 0;
  swt2 = 0;
  let best = -Infinity;
  m = total - 1;
  for (let k = e; k >= s; k--) {
    const len = p.length[k]!,
      dt = p.dt[k]!,
      t0 = p.time[k]! - tGap;
    for (let i = len - 1; i >= 0; i--, m--) {
      const c = w[m]!,
        t = t0 + dt * (i + 0.5);
      sw += c;
      swt += c * t;
      swt2 += c * t * t;
      const right = sw <= 0 ? 0 : swt2 - (swt * swt) / sw;
      let gof = 1 - (left[m]! + right) / whole;
      if (wMax > 0) gof *= 1 - wPerNs[m]! / wMax;
      if (Number.isNaN(gof)) return NaN; // numba's max propagates NaN
      if (gof > best) best = gof;
    }
  }
  return best;
}

/**
 * straxen _filter_s1_starts: drop leading type-0 members of each group (keeping at least two
 * members) and keep groups that then start with an S2. `ends` are inclusive on input.
 */
export function filterS1Starts(starts: Int32Array, types: Int8Array, ends: Int32Array): MergeGroups {
  const keepS: number[] = [],
    keepE: number[] = [];
  for (let i = 0; i < starts.length; i++) {
    let st = starts[i]!;
    const en = ends[i]!;
    while (types[st] !== 2) {
      if (en - st <= 1) break;
      st++;
    }
    if (types[st] === 2 && en - st >= 1) {
      keepS.push(st);
      keepE.push(en + 1);
    }
  }
  return { start: Int32Array.from(keepS), end: Int32Array.from(keepE) };
}

/** The merge groups for time-sorted, disjoint non-S1 peaklets. */
export function getMergeInstructions(p: PeakArrays, o: MergeInstructionOptions): MergeGroups {
  const n = p.n;
  const starts = p.time;
  const ends = new Float64Array(n);
  for (let i = 0; i < n; i++) ends[i] = starts[i]! + p.length[i]! * p.dt[i]!;
  const gaps = new Float64Array(Math.max(n - 1, 0));
  for (let i = 0; i + 1 < n; i++) gaps[i] = starts[i + 1]! - ends[i]!;
  const startIndex = new Int32Array(n),
    endIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    startIndex[i] = i;
    endIndex[i] = i;
  }

  const order = stableArgsort(gaps, gaps.length);
  for (let k = 0; k < order.length; k++) {
    const g = order[k]!;
    const s = startIndex[g]!,
      e = endIndex[g + 1]!;
    if (e < s) throw new Error('merged_s2s: inconsistent merge groups (left index beyond right)');
    const gap = gaps[g]!;
    if (gap > o.maxGap) break;
    const sumArea = pairwiseSumF32(p.area, s, e - s + 1);
    if (sumArea > o.maxArea) continue;
    // numpy's log10 of a float32 scalar is a float32.
    const logArea = Math.fround(Math.log10(sumArea));
    if (sumArea > 0 && gap > mergeS2Threshold(logArea, o.gapThresholds)) continue;
    if (ends[e]! - starts[s]! >= o.maxDuration) continue;
    if (o.naturalBreak && gofAtGap(p, g, s, e) > mergeS2Threshold(logArea, o.gofThresholds)) continue;
    const ns = startIndex[s]!,
      ne = endIndex[e]!;
    for (let i = s; i <= e; i++) {
      startIndex[i] = ns;
      endIndex[i] = ne;
    }
  }
  const uStart = uniqueSorted(startIndex),
    uEnd = uniqueSorted(endIndex);
  if (uStart.length !== uEnd.length)
    throw new Error('merged_s2s: inconsistent start and end merge instructions');
  return filterS1Starts(uStart, p.type, uEnd);
}

/** np.unique of small non-negative integers. */
function uniqueSorted(a: Int32Array): Int32Array {
  const sorted = Int32Array.from(a).sort();
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(sorted[i]!);
  return Int32Array.from(out);
}
