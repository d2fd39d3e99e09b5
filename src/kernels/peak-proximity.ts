// Proximity of a peak to earlier large peaks in time and (x, y) space (straxen PeakProximity):
// a score that is high for peaks that look like the tail (delayed electrons, photoionisation)
// of a recent large S2, and counts of comparable peaks nearby in time.
// Times are Float64 offsets (exact integers); areas and positions float32 as stored.

import { touchingWindows } from './intervals.js';
import { stableArgsort } from './stable-sort.js';

export interface ProximityPeaks {
  time: Float64Array;
  endtime: Float64Array;
  centerTime: Float64Array;
  area: Float32Array;
  x: Float32Array;
  y: Float32Array;
  type: ArrayLike<number>;
}

export interface ProximityOptions {
  /** Peak types that count as nearby peaks. */
  types: readonly number[];
  /** Nearby peaks must have at least this fraction of the peak's area. */
  minAreaFraction: number;
  /** ns on either side. */
  window: number;
  /** Exponents of (area ratio, dt in ms, spatial density). */
  exponents: readonly [number, number, number];
  /** Scale of the half-Cauchy spatial density (cm at 1 PE). */
  sigma: number;
}

export interface ProximityResult {
  score: Float32Array;
  nCompetingLeft: Int32Array;
  nCompeting: Int32Array;
}

const f32 = Math.fround;

/** Half-Cauchy density (0 below 0, NaN for a non-positive scale). */
function halfCauchyPdf(x: number, scale: number): number {
  if (x < 0) return 0;
  if (scale <= 0) return NaN;
  const q = x / scale;
  return 2 / (Math.PI * scale * (1 + q * q));
}

/** Per peak, in input order: proximity score (float32 running sum) and competing counts. */
export function peakProximity(p: ProximityPeaks, o: ProximityOptions): ProximityResult {
  const n = p.time.length;
  const order = stableArgsort(p.centerTime);
  // Nearby candidates: the peaks of the counted types, in input (time) order.
  const typeSet = new Set(o.types);
  const near: number[] = [];
  for (let i = 0; i < n; i++) if (typeSet.has(p.type[i]!)) near.push(i);
  const m = near.length;
  const sStart = new Float64Array(m),
    sEnd = new Float64Array(m),
    sCt = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const i = near[k]!;
    sStart[k] = p.time[i]!;
    sEnd[k] = p.endtime[i]!;
    sCt[k] = p.centerTime[i]!;
  }
  // Containers around each peak's center time, in center-time order.
  const ct = new Float64Array(n);
  for (let j = 0; j < n; j++) ct[j] = p.centerTime[order[j]!]!;
  const before = new Float64Array(n),
    after = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    before[j] = ct[j]! - o.window;
    after[j] = ct[j]! + o.window;
  }
  const left = touchingWindows(sStart, sEnd, before, ct);
  const both = touchingWindows(sStart, sEnd, before, after);

  const score = new Float32Array(n);
  const nLeft = new Int32Array(n),
    nAll = new Int32Array(n);
  const [e0, e1, e2] = o.exponents;
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    const area = p.area[i]!;
    const xi = p.x[i]!,
      yi = p.y[i]!;
    // Score: sum over earlier nearby peaks, accumulated in float32.
    let acc = 0;
    if (area > 0) {
      for (let k = left.lo[j]!; k < left.hi[j]!; k++) {
        const c = near[k]!;
        const ca = p.area[c]!;
        const dt = (ct[j]! - sCt[k]!) / 1e6;
        if (dt <= 0 || ca <= 0) continue;
        if (ca < o.minAreaFraction * area) continue;
        const dx = f32(xi - p.x[c]!),
          dy = f32(yi - p.y[c]!);
        const dr = f32(Math.sqrt(f32(f32(dx * dx) + f32(dy * dy))));
        if (dr !== dr) continue;
        if (dr === 0) {
          acc = Infinity;
          continue;
        }
        const r = f32(ca / area);
        const sigma = o.sigma * Math.sqrt(1 / ca + 1 / area);
        const pdf = halfCauchyPdf(dr, sigma);
        acc = f32(acc + Math.pow(r, e0) * Math.pow(dt, e1) * Math.pow(pdf, e2));
      }
    }
    score[i] = acc;
    // Competing peaks: comparable nearby peaks on the left, and in total (incl. itself).
    const threshold = area * o.minAreaFraction;
    const dig = lowerBound(sCt, ct[j]!);
    let cl = 0,
      cr = 0;
    for (let k = both.lo[j]!; k < dig; k++) if (p.area[near[k]!]! > threshold) cl++;
    for (let k = dig; k < both.hi[j]!; k++) if (p.area[near[k]!]! > threshold) cr++;
    nLeft[i] = cl;
    nAll[i] = cl + cr;
  }
  return { score, nCompetingLeft: nLeft, nCompeting: nAll };
}

/** First index with a[i] >= v (numpy searchsorted, side left). */
function lowerBound(a: Float64Array, v: number): number {
  let lo = 0,
    hi = a.length;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
