// float32Text (the text of float32 values in CSV, JSON lines and microstrax's JSON): the shortest
// decimal that reads back as the same float32, whatever the search order.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { float32Text } from '../../src/storage/text-export.js';

/** The definition, digit count by digit count from 1. */
function shortestByDefinition(x: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = Number(x.toPrecision(p));
    if (Math.fround(s) === x) return String(s);
  }
  return String(x);
}

describe('float32Text', () => {
  it('is the shortest round-tripping decimal for any float32', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true }), (x) => {
        const text = float32Text(x);
        expect(text).toBe(shortestByDefinition(x));
        expect(Math.fround(Number(text)) === x).toBe(true); // -0 reads back as 0, equal as numbers
      }),
      { numRuns: 20000 },
    );
  });

  it('handles integers near 2^24 and beyond, tiny and special values', () => {
    for (const x of [
      0,
      -0,
      1,
      16777215,
      16777216,
      16777218,
      2 ** 30,
      1e10,
      3.4028234663852886e38,
      1.401298464324817e-45,
      0.1,
      -2.5,
    ])
      expect(float32Text(Math.fround(x))).toBe(shortestByDefinition(Math.fround(x)));
    expect(float32Text(Math.fround(2 ** 30))).toBe('1073741800');
    expect(float32Text(Math.fround(0.1))).toBe('0.1');
    expect([NaN, Infinity, -Infinity].map(float32Text)).toEqual(['NaN', 'Infinity', '-Infinity']);
  });
});
