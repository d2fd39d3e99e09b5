// Which peaks of an event are its main and alternate S1 and S2 (straxen EventBasicsVanilla),
// and the event quantities derived from them: drift times, delays, the largest S2s before and
// after the main S2 and the S2 area before it.
//
// Peaks are given per event as positions into a list of contained peaks (see
// splitByContainment): event e holds positions offsets[e] .. offsets[e+1]-1 and position q
// refers to peak indices[q]. "Local" indices (the *_index fields) are q − offsets[e].

export interface EventPeakColumns {
  /** Float64 offsets (exact integer ns). */
  time: Float64Array;
  centerTime: Float64Array;
  area: Float32Array;
  type: ArrayLike<number>;
  tightCoincidence: ArrayLike<number>;
}

export interface MainPeakOptions {
  /** Let S1s after the largest S2's start compete for main S1. */
  allowPostS2S1s: boolean;
  /** Order main and alternate S2 by time. */
  forceMainBeforeAlt: boolean;
  /** Alternate S2 must lie within 1.01 maximum drift times after the main S1. */
  forceAltS2InMaxDriftTime: boolean;
  s1MinCoincidence: number;
  /** ns */
  driftTimeMax: number;
}

/** Positions (into `indices`) of the chosen peaks per event, −1 if absent. */
export interface MainPeaks {
  s1: Int32Array;
  altS1: Int32Array;
  s2: Int32Array;
  altS2: Int32Array;
}

/** Candidates by area descending; equal areas put the later peak first and NaN counts as
 * the largest (numpy's stable ascending argsort, reversed). */
function byAreaDescending(cands: number[], area: Float32Array, indices: Int32Array): number[] {
  return cands.sort((qa, qb) => {
    const a = area[indices[qa]!]!,
      b = area[indices[qb]!]!;
    const na = a !== a,
      nb = b !== b;
    if (na || nb) {
      if (na && nb) return qb - qa;
      return na ? -1 : 1;
    }
    if (a !== b) return b - a;
    return qb - qa;
  });
}

export function selectMainPeaks(
  p: EventPeakColumns,
  indices: Int32Array,
  offsets: Int32Array,
  o: MainPeakOptions,
): MainPeaks {
  const nEv = offsets.length - 1;
  const out: MainPeaks = {
    s1: new Int32Array(nEv).fill(-1),
    altS1: new Int32Array(nEv).fill(-1),
    s2: new Int32Array(nEv).fill(-1),
    altS2: new Int32Array(nEv).fill(-1),
  };
  const altWindow = 1.01 * o.driftTimeMax;
  for (let e = 0; e < nEv; e++) {
    const q0 = offsets[e]!,
      q1 = offsets[e + 1]!;
    if (q1 === q0) throw new Error(`event ${e} contains no peaks`);
    const s2c: number[] = [];
    for (let q = q0; q < q1; q++) if (p.type[indices[q]!] === 2) s2c.push(q);
    let s2s = byAreaDescending(s2c, p.area, indices);
    const s1Latest = !o.allowPostS2S1s && s2s.length ? p.time[indices[s2s[0]!]!]! : Infinity;
    const s1c: number[] = [];
    for (let q = q0; q < q1; q++) {
      const i = indices[q]!;
      if (p.type[i] === 1 && p.time[i]! < s1Latest && p.tightCoincidence[i]! >= o.s1MinCoincidence)
        s1c.push(q);
    }
    const s1s = byAreaDescending(s1c, p.area, indices).slice(0, 2);
    if (o.forceAltS2InMaxDriftTime && s1s.length > 0 && s2s.length > 1) {
      const ct1 = p.centerTime[indices[s1s[0]!]!]!;
      s2s = s2s.filter((q, k) => {
        if (k === 0) return true;
        const ct = p.centerTime[indices[q]!]!;
        return ct > ct1 && ct - ct1 < altWindow;
      });
    }
    s2s = s2s.slice(0, 2);
    if (o.forceMainBeforeAlt && s2s.length === 2 && p.time[indices[s2s[1]!]!]! < p.time[indices[s2s[0]!]!]!) {
      s2s.reverse();
    }
    out.s1[e] = s1s[0] ?? -1;
    out.altS1[e] = s1s[1] ?? -1;
    out.s2[e] = s2s[0] ?? -1;
    out.altS2[e] = s2s[1] ?? -1;
  }
  return out;
}

/** Event quantities from the chosen peaks; NaN / −1 where they do not apply. */
export interface EventProperties {
  driftTime: Float32Array;
  altS1InteractionDriftTime: Float32Array;
  altS1Delay: Int32Array;
  altS2InteractionDriftTime: Float32Array;
  altS2Delay: Int32Array;
  /** Sum of the areas of the S2s before the main S2 (float32 running sum). */
  areaBeforeMainS2: Float32Array;
  /** Positions of the largest S2 before / after the main S2 (by center time), −1 if none. */
  largeS2Before: Int32Array;
  largeS2After: Int32Array;
}

export function eventProperties(
  p: EventPeakColumns,
  indices: Int32Array,
  offsets: Int32Array,
  m: MainPeaks,
): EventProperties {
  const nEv = offsets.length - 1;
  const out: EventProperties = {
    driftTime: new Float32Array(nEv).fill(NaN),
    altS1InteractionDriftTime: new Float32Array(nEv).fill(NaN),
    altS1Delay: new Int32Array(nEv).fill(-1),
    altS2InteractionDriftTime: new Float32Array(nEv).fill(NaN),
    altS2Delay: new Int32Array(nEv).fill(-1),
    areaBeforeMainS2: new Float32Array(nEv).fill(NaN),
    largeS2Before: new Int32Array(nEv).fill(-1),
    largeS2After: new Int32Array(nEv).fill(-1),
  };
  const ctOf = (q: number): number => p.centerTime[indices[q]!]!;
  for (let e = 0; e < nEv; e++) {
    const s1 = m.s1[e]!,
      s2 = m.s2[e]!,
      a1 = m.altS1[e]!,
      a2 = m.altS2[e]!;
    // Drift quantities need a main S1 and a main S2.
    if (s1 >= 0 && s2 >= 0) {
      out.driftTime[e] = ctOf(s2) - ctOf(s1);
      if (a1 >= 0) {
        out.altS1InteractionDriftTime[e] = ctOf(s2) - ctOf(a1);
        out.altS1Delay[e] = (ctOf(a1) - ctOf(s1)) | 0;
      }
      if (a2 >= 0) {
        out.altS2InteractionDriftTime[e] = ctOf(a2) - ctOf(s1);
        out.altS2Delay[e] = (ctOf(a2) - ctOf(s2)) | 0;
      }
    }
    if (s2 < 0) continue;
    const ct0 = ctOf(s2);
    let sumBefore = 0,
      bestBefore = -1,
      bestAfter = -1;
    for (let q = offsets[e]!; q < offsets[e + 1]!; q++) {
      const i = indices[q]!;
      const a = p.area[i]!;
      if (p.type[i] !== 2 || a !== a) continue;
      const ct = p.centerTime[i]!;
      if (ct > ct0) {
        if (bestAfter < 0 || a > p.area[indices[bestAfter]!]!) bestAfter = q;
      } else if (ct < ct0) {
        if (bestBefore < 0 || a > p.area[indices[bestBefore]!]!) bestBefore = q;
        sumBefore = Math.fround(sumBefore + a);
      }
    }
    out.areaBeforeMainS2[e] = sumBefore;
    out.largeS2Before[e] = bestBefore;
    out.largeS2After[e] = bestAfter;
  }
  return out;
}
