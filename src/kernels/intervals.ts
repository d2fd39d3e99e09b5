// Generic operations on time intervals [start, end) given as parallel Float64 arrays of
// offsets (see int64-time.ts): which things touch or sit inside which containers, the overlap
// of two sample ranges, and the grouping of intervals into extended windows. Same semantics as
// strax's touching_windows, fully_contained_in, split_by_containment, overlap_indices and
// find_peak_groups. Arrays hold exactly the rows meant (pass subarray(0, n) views of buffers).

import { stableArgsort } from './stable-sort.js';

export type Times = ArrayLike<number>;

function assertSorted(t: Times, what: string): void {
  for (let i = 1; i < t.length; i++) {
    if (t[i]! < t[i - 1]!)
      throw new Error(`${what} must be sorted by time (index ${i} is earlier than ${i - 1})`);
  }
}

function assertNonNegative(start: Times, end: Times, what: string): void {
  for (let i = 0; i < start.length; i++) {
    if (end[i]! < start[i]!)
      throw new Error(`${what} must have non-negative length (index ${i} ends before it starts)`);
  }
}

/**
 * Overlap of sample ranges [a1, a1+na) and [b1, b1+nb) (strax overlap_indices): writes
 * [aStart, aEnd, bStart, bEnd], indices inside a and inside b, into out; all zero when they do
 * not overlap. An out array rather than a returned tuple: hot loops call this per hit.
 */
export function overlapIndices(a1: number, na: number, b1: number, nb: number, out: Int32Array): void {
  if (na < 0 || nb < 0) throw new Error('overlap_indices: negative interval length');
  out[0] = 0;
  out[1] = 0;
  out[2] = 0;
  out[3] = 0;
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

export interface WindowIndices {
  /** First thing touching container i. */
  lo: Int32Array;
  /** One past the last thing touching container i. */
  hi: Int32Array;
}

/**
 * For each container, the index range [lo, hi) of things that reach to within `window` of it
 * (strax touching_windows): lo skips things ending at or before container.start − window,
 * hi stops at the first thing starting at or after container.end + window. Things and
 * containers must be sorted by start; containers may overlap. check = false skips the input
 * checks, as straxen does where it calls the bare _touching_windows (record ranges).
 */
export function touchingWindows(
  thingStart: Times,
  thingEnd: Times,
  contStart: Times,
  contEnd: Times,
  window = 0,
  check = true,
): WindowIndices {
  if (check) checkSortedNonNegative(thingStart, thingEnd, contStart, contEnd);
  const nc = contStart.length,
    n = thingStart.length;
  const lo = new Int32Array(nc),
    hi = new Int32Array(nc);
  if (n === 0 || nc === 0) return { lo, hi };
  let left = 0;
  for (let i = 0; i < nc; i++) {
    const t0 = contStart[i]! - window;
    while (left < n && thingEnd[left]! <= t0) left++;
    lo[i] = left;
  }
  // Container ends need not be sorted: visit them in (stable) end order.
  const order = stableArgsort(contEnd);
  let right = 0;
  for (let k = 0; k < nc; k++) {
    const i = order[k]!;
    const t1 = contEnd[i]! + window;
    while (right < n && thingStart[right]! < t1) right++;
    hi[i] = right;
  }
  return { lo, hi };
}

function checkSortedNonNegative(thingStart: Times, thingEnd: Times, contStart: Times, contEnd: Times): void {
  assertSorted(thingStart, 'things');
  assertSorted(contStart, 'containers');
  assertNonNegative(thingStart, thingEnd, 'things');
  assertNonNegative(contStart, contEnd, 'containers');
}

function containerOf(thingStart: Times, thingEnd: Times, contStart: Times, contEnd: Times): Int32Array {
  const n = thingStart.length,
    nc = contStart.length;
  const out = new Int32Array(n).fill(-1);
  let c = 0;
  for (let i = 0; i < n; i++) {
    // Containers ending at or before this thing's start can hold no later thing either.
    while (c < nc && contEnd[c]! <= thingStart[i]!) c++;
    if (c === nc) break;
    if (contStart[c]! <= thingStart[i]! && thingEnd[i]! <= contEnd[c]!) out[i] = c;
  }
  return out;
}

/**
 * Index of the container holding each thing entirely (start >= container start and
 * end <= container end), or −1 (strax fully_contained_in). Both sorted by start; containers
 * should not overlap (with overlaps only the first candidate container is tested).
 */
export function fullyContainedIn(
  thingStart: Times,
  thingEnd: Times,
  contStart: Times,
  contEnd: Times,
): Int32Array {
  checkSortedNonNegative(thingStart, thingEnd, contStart, contEnd);
  return containerOf(thingStart, thingEnd, contStart, contEnd);
}

export interface Containment {
  /** Thing indices of all contained things, grouped by container, in time order. */
  indices: Int32Array;
  /** Things of container c are indices[offsets[c] .. offsets[c+1]). Length nContainers + 1. */
  offsets: Int32Array;
}

/** The things each container holds entirely (strax split_by_containment); position k within
 * a container's group is the thing's index "in the container". */
export function splitByContainment(
  thingStart: Times,
  thingEnd: Times,
  contStart: Times,
  contEnd: Times,
): Containment {
  checkSortedNonNegative(thingStart, thingEnd, contStart, contEnd);
  const which = containerOf(thingStart, thingEnd, contStart, contEnd);
  const nc = contStart.length;
  const offsets = new Int32Array(nc + 1);
  let total = 0;
  for (let i = 0; i < which.length; i++) {
    const c = which[i]!;
    if (c >= 0) {
      offsets[c + 1]!++;
      total++;
    }
  }
  for (let c = 0; c < nc; c++) offsets[c + 1]! += offsets[c]!;
  const indices = new Int32Array(total);
  const fill = offsets.slice(0, nc);
  for (let i = 0; i < which.length; i++) {
    const c = which[i]!;
    if (c >= 0) indices[fill[c]!++] = i;
  }
  return { indices, offsets };
}

export interface GroupOptions {
  /** A gap of at least this much after the latest end so far starts a new group. */
  gapThreshold: number;
  leftExtension: number;
  rightExtension: number;
  /** A group is closed early rather than grow past this duration (strax default 1e9 ns). */
  maxDuration?: number;
}

const INT32_MAX = 2147483647;

/**
 * Group sorted intervals separated by gaps >= gapThreshold into windows
 * [first start − left, latest end + right) (strax find_peak_groups, i.e. find_peaks on
 * one-ns "hits"). Every interval must have a positive length below 2^31 ns.
 */
export function groupIntervals(
  start: Times,
  end: Times,
  o: GroupOptions,
): { start: Float64Array; end: Float64Array } {
  const L = o.leftExtension,
    R = o.rightExtension,
    G = o.gapThreshold;
  const maxDuration = o.maxDuration ?? 1e9;
  if (!(G > L + R)) throw new Error(`gap threshold ${G} must exceed left + right extension (${L + R})`);
  if (!(L + maxDuration + R < 429496729400))
    throw new Error('max duration too large: peak lengths would overflow');
  assertSorted(start, 'intervals');
  const n = start.length;
  const outStart: number[] = [],
    outEnd: number[] = [];
  let inGroup = false,
    t0 = 0,
    maxEnd = 0;
  for (let i = 0; i < n; i++) {
    const len = end[i]! - start[i]!;
    if (!(len > 0 && len <= INT32_MAX))
      throw new Error(`interval ${i} has invalid length ${len} for grouping`);
    const t1 = start[i]! + len;
    if (!inGroup) {
      t0 = start[i]! - L;
      maxEnd = t1;
      inGroup = true;
    } else if (t1 > maxEnd) maxEnd = t1;
    let close = i === n - 1;
    if (!close) {
      const nextLen = end[i + 1]! - start[i + 1]!;
      close = start[i + 1]! - maxEnd >= G || start[i + 1]! - t0 + nextLen + L + R > maxDuration;
    }
    if (close) {
      inGroup = false;
      outStart.push(t0);
      outEnd.push(t0 + Math.trunc(maxEnd - t0 + R));
    }
  }
  return { start: Float64Array.from(outStart), end: Float64Array.from(outEnd) };
}

/** Clip each value into [lo, hi] (numpy clip). */
export function clipInPlace(values: Float64Array, lo: number, hi: number): Float64Array {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    values[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return values;
}
