import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fullyContainedIn,
  groupIntervals,
  overlapIndices,
  splitByContainment,
  touchingWindows,
} from '../../src/kernels/intervals.js';

/** Sorted, disjoint intervals from (gap, length) pairs. */
const disjoint = (minLen: number) =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: minLen, max: 40 })), { maxLength: 40 })
    .map((parts) => {
      const s: number[] = [],
        e: number[] = [];
      let t = 0;
      for (const [gap, len] of parts) {
        t += gap;
        s.push(t);
        e.push(t + len);
        t += len;
      }
      return { s: Float64Array.from(s), e: Float64Array.from(e) };
    });

/** Sorted starts with arbitrary lengths (may overlap). */
const overlapping = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 60 })), { maxLength: 40 })
  .map((parts) => {
    const s: number[] = [],
      e: number[] = [];
    let t = 0;
    for (const [gap, len] of parts) {
      t += gap;
      s.push(t);
      e.push(t + len);
    }
    return { s: Float64Array.from(s), e: Float64Array.from(e) };
  });

describe('overlapIndices', () => {
  const ov = (a1: number, na: number, b1: number, nb: number): number[] => {
    const o = new Int32Array(4).fill(-7);
    overlapIndices(a1, na, b1, nb, o);
    return Array.from(o);
  };
  it('gives the overlap within a and within b as strax overlap_indices: partial, contained, disjoint, empty', () => {
    expect(ov(0, 10, 5, 10)).toEqual([5, 10, 0, 5]);
    expect(ov(5, 10, 0, 10)).toEqual([0, 5, 5, 10]);
    expect(ov(2, 3, 0, 10)).toEqual([0, 3, 2, 5]);
    expect(ov(0, 10, -3, 5)).toEqual([0, 2, 3, 5]);
    expect(ov(0, 10, 8, 5)).toEqual([8, 10, 0, 2]);
    expect(ov(0, 10, 10, 5)).toEqual([0, 0, 0, 0]);
    expect(ov(0, 3, 10, 5)).toEqual([0, 0, 0, 0]);
    expect(ov(0, 0, 0, 5)).toEqual([0, 0, 0, 0]);
  });
  it('rejects a negative length', () => {
    expect(() => ov(0, -1, 0, 5)).toThrow(/negative/);
  });
});

describe('touchingWindows', () => {
  it('gives, for disjoint things, exactly the things reaching within the window of each container', () => {
    fc.assert(
      fc.property(disjoint(1), overlapping, fc.integer({ min: -5, max: 5 }), (things, cont, w) => {
        const { lo, hi } = touchingWindows(things.s, things.e, cont.s, cont.e, w);
        for (let i = 0; i < cont.s.length; i++) {
          const expLo = things.e.filter((e) => e <= cont.s[i]! - w).length;
          const expHi = things.s.filter((s) => s < cont.e[i]! + w).length;
          expect([lo[i], hi[i]]).toEqual([expLo, expHi]);
        }
      }),
    );
  });
  it('returns zeros when either side is empty', () => {
    const r = touchingWindows(
      new Float64Array(0),
      new Float64Array(0),
      Float64Array.of(1, 2),
      Float64Array.of(3, 4),
    );
    expect([...r.lo, ...r.hi]).toEqual([0, 0, 0, 0]);
  });
  it('rejects unsorted things unless told not to check', () => {
    expect(() =>
      touchingWindows(Float64Array.of(5, 1), Float64Array.of(6, 2), Float64Array.of(0), Float64Array.of(9)),
    ).toThrow(/sorted/);
    expect(() =>
      touchingWindows(
        Float64Array.of(5, 1),
        Float64Array.of(6, 2),
        Float64Array.of(0),
        Float64Array.of(9),
        0,
        false,
      ),
    ).not.toThrow();
  });
});

describe('containment', () => {
  it('splitByContainment and fullyContainedIn agree with a brute-force search', () => {
    fc.assert(
      fc.property(overlapping, disjoint(0), (things, cont) => {
        const which = fullyContainedIn(things.s, things.e, cont.s, cont.e);
        const { indices, offsets } = splitByContainment(things.s, things.e, cont.s, cont.e);
        expect(offsets.length).toBe(cont.s.length + 1);
        for (let i = 0; i < things.s.length; i++) {
          const c = [...cont.s.keys()].find(
            (k) => cont.s[k]! <= things.s[i]! && things.e[i]! <= cont.e[k]! && cont.e[k]! > things.s[i]!,
          );
          expect(which[i]).toBe(c ?? -1);
        }
        for (let c = 0; c < cont.s.length; c++) {
          const expected = [...which.keys()].filter((i) => which[i] === c);
          expect(Array.from(indices.subarray(offsets[c]!, offsets[c + 1]!))).toEqual(expected);
        }
      }),
    );
  });
  it('keeps empty containers in place and drops straddling things', () => {
    // containers [0,10) [10,20) [30,40); things: inside first, straddling 8-12, inside third
    const r = splitByContainment(
      Float64Array.of(1, 8, 31),
      Float64Array.of(5, 12, 39),
      Float64Array.of(0, 10, 30),
      Float64Array.of(10, 20, 40),
    );
    expect(Array.from(r.offsets)).toEqual([0, 1, 1, 2]);
    expect(Array.from(r.indices)).toEqual([0, 2]);
  });
  it('rejects negative lengths', () => {
    expect(() =>
      fullyContainedIn(Float64Array.of(5), Float64Array.of(4), Float64Array.of(0), Float64Array.of(9)),
    ).toThrow(/non-negative/);
  });
});

describe('groupIntervals', () => {
  it('joins intervals closer than the gap threshold into extended, disjoint windows', () => {
    fc.assert(
      fc.property(
        disjoint(1),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        (iv, L, R) => {
          const G = L + R + 1;
          const g = groupIntervals(iv.s, iv.e, { gapThreshold: G, leftExtension: L, rightExtension: R });
          // Expected grouping: a new group whenever the gap to the latest end reaches G.
          const exp: [number, number][] = [];
          for (let i = 0; i < iv.s.length; i++) {
            if (i === 0 || iv.s[i]! - iv.e[i - 1]! >= G) exp.push([iv.s[i]! - L, iv.e[i]! + R]);
            else exp[exp.length - 1]![1] = Math.max(exp[exp.length - 1]![1], iv.e[i]! + R);
          }
          expect(Array.from(g.start)).toEqual(exp.map((x) => x[0]));
          expect(Array.from(g.end)).toEqual(exp.map((x) => x[1]));
          for (let k = 1; k < g.start.length; k++) expect(g.start[k]!).toBeGreaterThan(g.end[k - 1]!);
        },
      ),
    );
  });
  it('closes a group early rather than exceed the maximum duration', () => {
    const s = Float64Array.from({ length: 10 }, (_, i) => i * 10),
      e = s.map((x) => x + 5);
    const g = groupIntervals(s, e, {
      gapThreshold: 50,
      leftExtension: 0,
      rightExtension: 0,
      maxDuration: 30,
    });
    expect(g.start.length).toBeGreaterThan(1);
    for (let k = 0; k < g.start.length; k++) expect(g.end[k]! - g.start[k]!).toBeLessThanOrEqual(30);
  });
  it('refuses zero-length intervals and a gap threshold inside the extensions', () => {
    expect(() =>
      groupIntervals(Float64Array.of(1), Float64Array.of(1), {
        gapThreshold: 10,
        leftExtension: 1,
        rightExtension: 1,
      }),
    ).toThrow(/length/);
    expect(() =>
      groupIntervals(Float64Array.of(1), Float64Array.of(2), {
        gapThreshold: 2,
        leftExtension: 1,
        rightExtension: 1,
      }),
    ).toThrow(/gap threshold/);
  });
});
