import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocPeaks, type PeakArrays } from '../../src/kernels/peak-arrays.js';
import {
  filterS1Starts,
  getMergeInstructions,
  gofAtGap,
  mergeS2Threshold,
  pairwiseSumF32,
  type ThresholdPoints,
} from '../../src/kernels/s2-merging.js';

const GAPS: ThresholdPoints = [
  [1.74, 5020.0],
  [2.13, 4180.0],
  [2.51, 3260.0],
  [2.9, 3250.0],
  [3.29, 3040.0],
  [3.68, 2670.0],
  [4.07, 2310.0],
  [4.46, 2050.0],
  [4.85, 1890.0],
];
const GOF: ThresholdPoints = [
  [2.5, 1.0],
  [5.625, 0.4],
];
const SHAPE = { nChannels: 4, nSamples: 200, nWidths: 11, withDataTop: false, withDataStart: false };

/** Peaklets with bump-shaped waveforms: [gap to the previous end, length, height, type]. */
function peaklets(spec: readonly (readonly [number, number, number, number])[]): PeakArrays {
  const p = allocPeaks(SHAPE, spec.length);
  let t = 0;
  spec.forEach(([gap, len, h, type], i) => {
    t += gap;
    p.time[i] = t;
    p.length[i] = len;
    p.dt[i] = 10;
    p.type[i] = type;
    let a = 0;
    for (let s = 0; s < len; s++) {
      const v = Math.fround(h * Math.exp(-(((s + 0.5 - len / 2) / (len / 4 + 0.5)) ** 2)));
      p.data[i * 200 + s] = v;
      a = Math.fround(a + v);
    }
    p.area[i] = a;
    t += len * 10;
  });
  return p;
}

describe('merge thresholds', () => {
  it('are constant outside the points and interpolate linearly between them', () => {
    expect(mergeS2Threshold(0, GAPS)).toBe(5020);
    expect(mergeS2Threshold(9, GAPS)).toBe(1890);
    expect(mergeS2Threshold(2.13, GAPS)).toBe(4180);
    fc.assert(
      fc.property(fc.double({ min: 1.74, max: 4.85, noNaN: true }), (x) => {
        const g = mergeS2Threshold(x, GAPS);
        return g <= 5020 && g >= 1890;
      }),
    );
  });

  it('numpy pairwise float32 sums equal the sequential sum below 8 terms and stay close above', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -1e4, max: 1e4, noNaN: true }), { maxLength: 400 }), (xs) => {
        const a = Float32Array.from(xs);
        let seq = 0,
          exact = 0,
          mag = 0;
        for (const x of a) {
          seq = Math.fround(seq + x);
          exact += x;
          mag += Math.abs(x);
        }
        const s = pairwiseSumF32(a, 0, a.length);
        if (a.length < 8) return s === seq;
        return Math.abs(s - exact) <= mag * a.length * 2 ** -23 + 1e-30;
      }),
    );
  });
});

describe('S1 start filtering', () => {
  it('trims leading type-0 members but keeps at least two, and needs an S2 to start', () => {
    const types = Int8Array.from([0, 2, 0, 0, 0, 2, 2, 0, 2, 0, 2]);
    // groups (inclusive ends): [0,2] → [1,2]; [3,5] → [4,5]→ type 0 at 4 with 2 members: dropped;
    // [6,6] single: dropped; [7,10] → [8,10]
    const r = filterS1Starts(Int32Array.from([0, 3, 6, 7]), types, Int32Array.from([2, 5, 6, 10]));
    expect(Array.from(r.start)).toEqual([1, 8]);
    expect(Array.from(r.end)).toEqual([3, 11]);
  });
});

describe('natural-break goodness of split at a gap', () => {
  it('is high for two separated blobs and at most 1', () => {
    const p = peaklets([
      [0, 20, 5, 2],
      [3000, 20, 5, 2],
    ]);
    const g = gofAtGap(p, 0, 0, 1);
    expect(g).toBeGreaterThan(0.5);
    expect(g).toBeLessThanOrEqual(1);
  });

  it('is lower when a small blob sits next to a big one than for two equal blobs', () => {
    const equal = gofAtGap(
      peaklets([
        [0, 20, 5, 2],
        [500, 20, 5, 2],
      ]),
      0,
      0,
      1,
    );
    const tail = gofAtGap(
      peaklets([
        [0, 20, 50, 2],
        [500, 2, 1, 2],
      ]),
      0,
      0,
      1,
    );
    expect(tail).toBeLessThan(equal);
  });
});

describe('merge instructions', () => {
  const opts = {
    gapThresholds: GAPS,
    maxDuration: 30000,
    maxGap: 5020,
    maxArea: 10 ** 4.85,
    gofThresholds: GOF,
    naturalBreak: true,
  };

  it('merge a small S2 tail into its S2 but never across a large gap', () => {
    const p = peaklets([
      [0, 50, 20, 2],
      [200, 5, 1, 2],
      [20000, 50, 20, 2],
    ]);
    const g = getMergeInstructions(p, { ...opts, naturalBreak: false });
    expect(Array.from(g.start)).toEqual([0]);
    expect(Array.from(g.end)).toEqual([2]);
  });

  it('give ordered, disjoint groups of ≥ 2 members that start with an S2 and respect the limits', () => {
    const piece = fc.tuple(
      fc.integer({ min: 0, max: 8000 }),
      fc.integer({ min: 1, max: 200 }),
      fc.float({ min: Math.fround(0.01), max: 50, noNaN: true }),
      fc.constantFrom(0, 2),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 2, maxLength: 30 }), fc.boolean(), (spec, nb) => {
        const p = peaklets(spec);
        const g = getMergeInstructions(p, { ...opts, naturalBreak: nb });
        let prevEnd = 0;
        for (let k = 0; k < g.start.length; k++) {
          const s = g.start[k]!,
            e = g.end[k]!;
          if (s < prevEnd || e - s < 2 || p.type[s] !== 2) return false;
          const dur = p.time[e - 1]! + p.length[e - 1]! * 10 - p.time[s]!;
          if (dur >= 30000) return false;
          for (let i = s; i + 1 < e; i++)
            if (p.time[i + 1]! - (p.time[i]! + p.length[i]! * 10) > 5020) return false;
          prevEnd = e;
        }
        return true;
      }),
    );
  });
});
