import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fullyContainedIn, overlapIndices, touchingWindows } from '../../src/kernels/interval-overlap.js';

const ov = (a1: number, na: number, b1: number, nb: number): number[] => {
  const o = new Int32Array(4);
  overlapIndices(a1, na, b1, nb, o);
  return Array.from(o);
};

/** Sorted, disjoint intervals from gaps and lengths. */
const intervals = (minLen: number) => fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: minLen, max: 15 })), { maxLength: 40 })
  .map((parts) => {
    let t = 0;
    const s: number[] = [], e: number[] = [];
    for (const [gap, len] of parts) { t += gap; s.push(t); e.push(t + len); t += len; }
    return { s: Float64Array.from(s), e: Float64Array.from(e) };
  });

describe('interval kernels', () => {
  it('overlap_indices as strax: partial, contained, disjoint, empty', () => {
    expect(ov(0, 10, 5, 10)).toEqual([5, 10, 0, 5]);
    expect(ov(5, 10, 0, 10)).toEqual([0, 5, 5, 10]);
    expect(ov(2, 3, 0, 10)).toEqual([0, 3, 2, 5]);
    expect(ov(0, 3, 10, 5)).toEqual([0, 0, 0, 0]);
    expect(ov(0, 0, 0, 5)).toEqual([0, 0, 0, 0]);
    expect(() => ov(0, -1, 0, 5)).toThrow(/negative/);
  });

  it('fully_contained_in and touching_windows agree with brute force on disjoint sorted intervals', () => {
    fc.assert(fc.property(intervals(0), intervals(1), (things, conts) => {
      const nA = things.s.length, nB = conts.s.length;
      const got = fullyContainedIn(things.s, things.e, nA, conts.s, conts.e, nB);
      for (let i = 0; i < nA; i++) {
        let want = -1;
        for (let j = 0; j < nB; j++) if (conts.s[j]! <= things.s[i]! && things.e[i]! <= conts.e[j]! && conts.e[j]! > things.s[i]!) { want = j; break; }
        expect(got[i]).toBe(want);
      }
      const tw = touchingWindows(things.s, things.e, nA, conts.s, conts.e, nB);
      for (let j = 0; j < nB && nA > 0; j++) {
        const touching: number[] = [];
        for (let i = 0; i < nA; i++) if (things.e[i]! > conts.s[j]! && things.s[i]! < conts.e[j]!) touching.push(i);
        if (touching.length) {
          expect(tw.left[j]).toBe(touching[0]);
          expect(tw.right[j]).toBe(touching[touching.length - 1]! + 1);
        } else expect(tw.right[j]! - tw.left[j]!).toBe(0);
      }
    }), { numRuns: 300 });
  });
});
