// Interval bookkeeping between time-sorted things and containers (strax processing/general.py):
// overlap of sample ranges, full containment, touching windows. Times are float64 ns offsets.

import { stableArgsortIndices } from './stable-sort.js';

/**
 * Overlap of sample ranges [a1, a1+na) and [b1, b1+nb): writes [aStart, aEnd, bStart, bEnd]
 * (indices inside a and inside b) into out; all zero when they do not overlap.
 */
export function overlapIndices(a1: number, na: number, b1: number, nb: number, out: Int32Array): void {
  if (na < 0 || nb < 0) throw new Error('overlap_indices: negative interval length');
  out[0] = 0; out[1] = 0; out[2] = 0; out[3] = 0;
  if (na === 0 || nb === 0) return;
  const s = a1 - b1;
  if (s <= -na) return;
  const bStart = Math.max(0, s);
  const bEnd = Math.min(nb, s + na);
  if (bStart >= bEnd) return;
  out[0] = Math.max(0, -s);
  out[1] = Math.min(na, -s + nb);
  out[2] = bStart;
  out[3] = bEnd;
}

/**
 * For each thing, the index of the container that fully contains it, or -1. Things and
 * containers sorted by start; containers assumed disjoint (the first candidate is taken).
 */
export function fullyContainedIn(
  aStart: Float64Array, aEnd: Float64Array, nA: number,
  bStart: Float64Array, bEnd: Float64Array, nB: number,
): Int32Array {
  const result = new Int32Array(nA).fill(-1);
  let bi = 0;
  for (let ai = 0; ai < nA; ai++) {
    const t = aStart[ai]!;
    while (bi < nB && bEnd[bi]! <= t) bi++;
    if (bi === nB) break;
    if (bStart[bi]! <= t && aEnd[ai]! <= bEnd[bi]!) result[ai] = bi;
  }
  return result;
}

/**
 * strax touching_windows: for each container, [first, last) indices of things that overlap it
 * by more than `window` ns. Things sorted by start; container ends visited in stable order.
 */
export function touchingWindows(
  thingStart: Float64Array, thingEnd: Float64Array, nThings: number,
  contStart: Float64Array, contEnd: Float64Array, nCont: number,
  window = 0,
): { left: Int32Array; right: Int32Array } {
  const left = new Int32Array(nCont), right = new Int32Array(nCont);
  if (nThings === 0 || nCont === 0) return { left, right };
  let li = 0;
  for (let i = 0; i < nCont; i++) {
    const t0 = contStart[i]! - window;
    while (li < nThings && thingEnd[li]! <= t0) li++;
    left[i] = li;
  }
  const order = stableArgsort(contEnd, nCont);
  let ri = 0;
  for (let k = 0; k < nCont; k++) {
    const i = order[k]!;
    const t1 = contEnd[i]! + window;
    while (ri < nThings && thingStart[ri]! < t1) ri++;
    right[i] = ri;
  }
  return { left, right };
}

/** Indices that stably sort values ascending (numpy mergesort argsort). */
export function stableArgsort(values: ArrayLike<number>, n: number = values.length): Int32Array {
  return stableArgsortIndices(values, n);
}

/** Stable order by (time, channel): strax sort_by_time on arrays with a channel field. */
export function argsortTimeChannel(time: Float64Array, channel: ArrayLike<number>, n: number): Int32Array {
  return stableArgsortIndices(time, n, channel);
}
