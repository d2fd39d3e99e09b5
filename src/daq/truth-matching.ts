// Compare reconstructed events with a simulation's ground truth: which simulated S1/S2 pairs
// were found as events (main S1 and main S2 on the simulated signals), and how the found
// areas relate to the simulated photon counts.

import type { Records } from '../core/records.js';

/** One simulated S2 (times in ns since the run start). */
export interface TruthS2 {
  t_s2: number;
  n_s2: number;
}

/** A truth-file entry; only interactions (entries with an S1) take part in the matching. */
export interface TruthEntryLike extends TruthS2 {
  kind: string;
  t_s1?: number;
  n_s1?: number;
  /** Further S2s of a multiple scatter. */
  extra_s2?: readonly TruthS2[];
}

export interface MatchOptions {
  /** Run start [ns since the epoch]: truth times are relative to it. */
  runStart: bigint;
  /** The simulated S1 time may lie this far outside the main S1 peak [ns]. */
  s1Tolerance?: number;
  /** The simulated S2 time may lie this far outside the main S2 peak [ns] (diffusion). */
  s2Tolerance?: number;
}

export interface RatioStats {
  n: number;
  mean: number;
  median: number;
  std: number;
  /** Standard error of the mean. */
  sem: number;
}

export interface MatchResult {
  /** Interactions (truth entries with an S1 and an S2). */
  interactions: number;
  /** Per interaction: index of the event that found it, or −1. */
  eventOf: Int32Array;
  /** Per interaction: an event contains its S2 time at all (found or not). */
  inAnEvent: Uint8Array;
  found: number;
  foundFraction: number;
  /** Main S1 area / simulated S1 photons over found pairs. */
  s1AreaPerPhoton: RatioStats;
  /** Main S2 area / simulated S2 photons (of every truth S2 of the interaction within it). */
  s2AreaPerPhoton: RatioStats;
}

function stats(values: number[]): RatioStats {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, median: NaN, std: NaN, sem: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sorted = [...values].sort((a, b) => a - b);
  const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { n, mean, median, std, sem: n > 1 ? std / Math.sqrt(n) : NaN };
}

/** Index of the event whose [time, endtime) holds t, or −1 (events sorted and disjoint). */
function eventAt(time: BigInt64Array, endtime: BigInt64Array, t: bigint): number {
  let lo = 0,
    hi = time.length;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  const e = lo - 1;
  return e >= 0 && t < endtime[e]! ? e : -1;
}

/** Interactions of a truth file, in file order. */
export function interactions(truth: readonly TruthEntryLike[]): TruthEntryLike[] {
  return truth.filter((t) => t.t_s1 !== undefined && t.n_s1 !== undefined && t.t_s2 !== undefined);
}

/**
 * Match interactions to events (event_basics rows: time, endtime, s1_time, s1_endtime,
 * s1_area, s2_time, s2_endtime, s2_area). A pair counts as found when the event holding its
 * S2 time has a main S1 on the simulated S1 time and a main S2 on one of its simulated S2s.
 */
export function matchTruth(truth: readonly TruthEntryLike[], events: Records, o: MatchOptions): MatchResult {
  const tol1 = BigInt(o.s1Tolerance ?? 100);
  const tol2 = BigInt(o.s2Tolerance ?? 1000);
  const inter = interactions(truth);
  const time = events.i64('time'),
    endtime = events.i64('endtime');
  const s1t = events.i64('s1_time'),
    s1e = events.i64('s1_endtime'),
    s1a = events.f32('s1_area');
  const s2t = events.i64('s2_time'),
    s2e = events.i64('s2_endtime'),
    s2a = events.f32('s2_area');
  const eventOf = new Int32Array(inter.length).fill(-1);
  const inAnEvent = new Uint8Array(inter.length);
  const r1: number[] = [],
    r2: number[] = [];
  inter.forEach((t, k) => {
    const e = eventAt(time, endtime, o.runStart + BigInt(t.t_s2));
    if (e < 0) return;
    inAnEvent[k] = 1;
    // A missing main S1/S2 has time −1 and never matches.
    if (s1t[e]! < 0 || s2t[e]! < 0) return;
    const ts1 = o.runStart + BigInt(t.t_s1!);
    if (ts1 < s1t[e]! - tol1 || ts1 >= s1e[e]! + tol1) return;
    let photons = 0;
    for (const s of [t, ...(t.extra_s2 ?? [])]) {
      const ts2 = o.runStart + BigInt(s.t_s2);
      if (ts2 >= s2t[e]! - tol2 && ts2 < s2e[e]! + tol2) photons += s.n_s2;
    }
    if (photons === 0) return;
    eventOf[k] = e;
    if (t.n_s1! > 0) r1.push(s1a[e]! / t.n_s1!);
    r2.push(s2a[e]! / photons);
  });
  const found = r2.length;
  return {
    interactions: inter.length,
    eventOf,
    inAnEvent,
    found,
    foundFraction: inter.length ? found / inter.length : NaN,
    s1AreaPerPhoton: stats(r1),
    s2AreaPerPhoton: stats(r2),
  };
}
