// Peaklet fields derived from the hitlets: tight coincidence (straxen get_tight_coin), apex
// timing features (straxen Peaklets.add_hit_features) and n_hits (touching hitlets).

import type { PeakArrays } from './peak-arrays.js';
import type { HitletArrays } from './hit-arrays.js';
import { fullyContainedIn, touchingWindows } from './intervals.js';
import { stableArgsort } from './stable-sort.js';

/**
 * Number of distinct channels with a hit apex within [-left, +right] ns of each peak's maximum.
 * The hit pointer carries over between peaks as in straxen (earlier hits are never revisited).
 */
export function tightCoincidence(
  hitMaxTimes: Float64Array,
  hitChannels: ArrayLike<number>,
  peakMaxTimes: Float64Array,
  left: number,
  right: number,
  chStart: number,
  chEnd: number,
): Int16Array {
  const n = hitMaxTimes.length;
  const out = new Int16Array(peakMaxTimes.length);
  const seen = new Uint8Array(chEnd - chStart + 1);
  let k = 0;
  for (let p = 0; p < peakMaxTimes.length; p++) {
    seen.fill(0);
    const t = peakMaxTimes[p]!;
    let count = 0;
    // Python's `for k in range(k, n)` leaves k at the last visited index when it runs out.
    for (let j = k; j < n; j++) {
      k = j;
      const d = hitMaxTimes[j]! - t;
      if (-left <= d && d <= right) {
        const c = hitChannels[j]! - chStart;
        if (!seen[c]) {
          seen[c] = 1;
          count++;
        }
      }
      if (d > right) break;
    }
    out[p] = count;
  }
  return out;
}

/** Time of each peak's highest `data` sample (first maximum over the whole field). */
export function peakMaxTimes(p: PeakArrays): Float64Array {
  const out = new Float64Array(p.n);
  const ns = p.nSamples;
  for (let i = 0; i < p.n; i++) {
    const off = i * ns;
    let best = 0,
      m = p.data[off]!;
    if (!Number.isNaN(m)) {
      for (let s = 1; s < ns; s++) {
        const x = p.data[off + s]!;
        if (Number.isNaN(x)) {
          best = s;
          break;
        }
        if (x > m) {
          m = x;
          best = s;
        }
      }
    }
    out[i] = p.time[i]! + best * p.dt[i]!;
  }
  return out;
}

/** Tight coincidence of peaklets from time-sorted hitlets (apexes sorted stably first). */
export function peakletTightCoincidence(
  p: PeakArrays,
  hitlets: HitletArrays,
  left: number,
  right: number,
  chStart: number,
  chEnd: number,
): void {
  const order = stableArgsort(hitlets.maxTime, hitlets.n);
  const t = new Float64Array(hitlets.n),
    ch = new Int16Array(hitlets.n);
  for (let i = 0; i < order.length; i++) {
    t[i] = hitlets.maxTime[order[i]!]!;
    ch[i] = hitlets.channel[order[i]!]!;
  }
  p.tightCoincidence.set(tightCoincidence(t, ch, peakMaxTimes(p), left, right, chStart, chEnd));
}

/**
 * max_diff / min_diff of consecutive apex times and first/last channel (in apex order) of the
 * hitlets fully contained in each peaklet; -1 where undefined.
 */
export function addHitFeatures(
  p: PeakArrays,
  hitlets: HitletArrays,
  hitEnd: Float64Array,
  peakEnd: Float64Array,
): void {
  p.maxDiff.fill(-1);
  p.minDiff.fill(-1);
  p.firstChannel.fill(-1);
  p.lastChannel.fill(-1);
  const which = fullyContainedIn(
    hitlets.time.subarray(0, hitlets.n),
    hitEnd.subarray(0, hitlets.n),
    p.time.subarray(0, p.n),
    peakEnd.subarray(0, p.n),
  );
  // Container indices of contained hitlets never decrease (both sides sorted), so each
  // peaklet's hitlets form one stretch once uncontained ones are skipped.
  const buf = new Float64Array(hitlets.n);
  const mt = hitlets.maxTime,
    ch = hitlets.channel;
  let k = 0;
  while (k < hitlets.n) {
    const c = which[k]!;
    if (c === -1) {
      k++;
      continue;
    }
    let m = 0;
    // In stable apex order, the first hitlet is the earliest minimum and the last one the
    // latest maximum.
    let minT = Infinity,
      maxT = -Infinity,
      first = -1,
      last = -1;
    for (; k < hitlets.n; k++) {
      const w = which[k]!;
      if (w === -1) continue;
      if (w !== c) break;
      const t = mt[k]!;
      buf[m++] = t;
      if (t < minT) {
        minT = t;
        first = k;
      }
      if (t >= maxT) {
        maxT = t;
        last = k;
      }
    }
    if (m >= 2) {
      const sorted = buf.subarray(0, m).sort();
      let mx = -Infinity,
        mn = Infinity;
      for (let q = 1; q < m; q++) {
        const d = sorted[q]! - sorted[q - 1]!;
        if (d > mx) mx = d;
        if (d < mn) mn = d;
      }
      p.maxDiff[c] = mx;
      p.minDiff[c] = mn;
    }
    p.firstChannel[c] = ch[first]!;
    p.lastChannel[c] = ch[last]!;
  }
}

/** n_hits: hitlets overlapping each peaklet by at least 1 ns. */
export function countTouchingHits(
  p: PeakArrays,
  hitlets: HitletArrays,
  hitEnd: Float64Array,
  peakEnd: Float64Array,
): void {
  const tw = touchingWindows(
    hitlets.time.subarray(0, hitlets.n),
    hitEnd.subarray(0, hitlets.n),
    p.time.subarray(0, p.n),
    peakEnd.subarray(0, p.n),
  );
  for (let i = 0; i < p.n; i++) p.nHits[i] = tw.hi[i]! - tw.lo[i]!;
}
