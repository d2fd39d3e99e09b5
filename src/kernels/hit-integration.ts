// Integration windows of hits (strax find_hit_integration_bounds) and the re-integration of
// lone hits (strax integrate_lone_hits). Windows are record-relative sample indices.

import type { BoundedHits, HitArrays, RecordArrays } from './hit-arrays.js';

/**
 * Sets leftIntegration / rightIntegration of time-sorted hits: extend by (left, right) ns,
 * never into an excluded interval (time-sorted, disjoint), never over the next same-channel hit
 * or what the previous same-channel hit integrates, and (unless allowed) never beyond the
 * hit's own record. time, length and area are not changed. epochZero: the offset of
 * absolute time 0 (strax's bound when no interval precedes a hit).
 */
export function findHitIntegrationBounds(
  hits: BoundedHits,
  exclTime: Float64Array,
  exclEnd: Float64Array,
  records: RecordArrays,
  leftExt: number,
  rightExt: number,
  nChannels: number,
  allowBeyondRecords: boolean,
  epochZero = 0,
): void {
  const n = hits.n;
  if (n === 0) return;
  const lo = new Float64Array(n),
    hi = new Float64Array(n);
  const lastHit = new Int32Array(nChannels).fill(-1);
  const nInt = exclTime.length;
  let ii = 0;
  for (let k = 0; k < n; k++) {
    const t = hits.time[k]!;
    let l = t - leftExt;
    let h = t + hits.length[k]! * hits.dt[k]! + rightExt;
    while (ii < nInt && exclTime[ii]! < t) ii++;
    const prevEnd = ii !== 0 ? exclEnd[ii - 1]! : epochZero; // strax: 0 ns since the epoch
    const nextStart = ii !== nInt ? exclTime[ii]! : Infinity;
    if (allowBeyondRecords) {
      if (prevEnd > l) l = prevEnd;
      if (nextStart < h) h = nextStart;
    } else {
      const r = hits.recordI[k]!;
      const rt = records.time[r]!;
      const re = rt + records.length[r]! * records.dt[r]!;
      l = Math.max(prevEnd, rt, l);
      h = Math.min(nextStart, re, h);
    }
    const ch = hits.channel[k]!;
    const j = lastHit[ch]!;
    if (j !== -1) {
      if (t < hi[j]!) hi[j] = t;
      if (hi[j]! > l) l = hi[j]!;
    }
    lastHit[ch] = k;
    lo[k] = l;
    hi[k] = h;
  }
  for (let k = 0; k < n; k++) {
    const r = hits.recordI[k]!;
    const t0 = records.time[r]!,
      dt = records.dt[r]!;
    hits.leftIntegration[k] = Math.floor((lo[k]! - t0) / dt);
    hits.rightIntegration[k] = Math.floor((hi[k]! - t0) / dt);
  }
}

/**
 * Lone-hit area in ADC x samples: the record's samples over the hit's integration window (kept
 * inside its record) plus the baseline's fractional part per sample.
 */
export function integrateLoneHits(
  lone: BoundedHits & Pick<HitArrays, 'area'>,
  records: RecordArrays,
  peakTime: Float64Array,
  peakEnd: Float64Array,
  leftExt: number,
  rightExt: number,
  nChannels: number,
  epochZero = 0,
): void {
  findHitIntegrationBounds(lone, peakTime, peakEnd, records, leftExt, rightExt, nChannels, false, epochZero);
  const spr = records.samplesPerRecord;
  for (let k = 0; k < lone.n; k++) {
    const r = lone.recordI[k]!;
    const start = lone.leftIntegration[k]!,
      end = lone.rightIntegration[k]!;
    const [s, e] = pySlice(start, end, spr);
    let sum = 0;
    const base = r * spr;
    for (let i = s; i < e; i++) sum += records.data[base + i]!;
    const b = records.baseline[r]!;
    lone.area[k] = sum + (b - Math.floor(b)) * (end - start);
  }
}

/** Python slice bounds [start:end] on a sequence of length n. */
export function pySlice(start: number, end: number, n: number): [number, number] {
  const s = start < 0 ? Math.max(0, start + n) : Math.min(start, n);
  let e = end < 0 ? Math.max(0, end + n) : Math.min(end, n);
  if (e < s) e = s;
  return [s, e];
}
