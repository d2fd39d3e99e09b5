import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stableArgsort, stableOrder } from '../../src/kernels/stable-sort.js';

/** Reference: a stable comparison sort on (key, secondary, index). */
function reference(key: number[], sec?: number[]): number[] {
  return key.map((_, i) => i).sort((a, b) => key[a]! - key[b]! || (sec ? sec[a]! - sec[b]! : 0) || a - b);
}

describe('stableOrder (numpy mergesort argsort semantics)', () => {
  it('equals a stable reference sort for integer keys with a secondary key', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: -5, max: 500 })), {
          maxLength: 300,
        }),
        (rows) => {
          const key = rows.map((r) => r[0]),
            sec = rows.map((r) => r[1]);
          const got = Array.from(stableArgsort(Float64Array.from(key), key.length, Int16Array.from(sec)));
          expect(got).toEqual(reference(key, sec));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is stable on heavy ties and handles non-integer and huge keys', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 3 }),
            fc.double({ min: -1e6, max: 1e6, noNaN: true }),
            fc.constant(2 ** 60),
          ),
          { maxLength: 200 },
        ),
        (key) => {
          expect(Array.from(stableArgsort(Float64Array.from(key)))).toEqual(reference(key));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('puts NaN keys last, in index order, like numpy', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(NaN))), (v) => {
        const exp = [...v.keys()].sort((a, b) => {
          const na = Number.isNaN(v[a]!),
            nb = Number.isNaN(v[b]!);
          if (na || nb) return na && nb ? a - b : na ? 1 : -1;
          return v[a]! - v[b]! || a - b;
        });
        expect(Array.from(stableArgsort(v))).toEqual(exp);
        const sec = v.map((_, i) => (i * 7) % 3);
        const expSec = [...v.keys()].sort((a, b) => {
          const na = Number.isNaN(v[a]!),
            nb = Number.isNaN(v[b]!);
          if (na || nb) return na && nb ? a - b : na ? 1 : -1;
          return v[a]! - v[b]! || sec[a]! - sec[b]! || a - b;
        });
        expect(Array.from(stableArgsort(v, v.length, sec))).toEqual(expSec);
      }),
    );
  });

  it('takes the cheap paths: null when sorted, merge of few runs, packed sort of many', () => {
    expect(stableOrder(Float64Array.of(1, 2, 2, 3), 4)).toBeNull();
    const n = 5000;
    const fewRuns = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? i * 2 : (i - n / 2) * 2 + 1));
    expect(Array.from(stableOrder(fewRuns, n)!)).toEqual(reference(Array.from(fewRuns)));
    const many = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 1013);
    expect(Array.from(stableOrder(many, n)!)).toEqual(reference(Array.from(many)));
  });
});
