import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { timeOffsets, timesFromOffsets } from '../../src/core/int64-time.js';

describe('int64 time offsets', () => {
  it('round-trips epoch nanoseconds exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
        fc.array(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), { maxLength: 50 }),
        (base, offs) => {
          const times = BigInt64Array.from(offs.map((o) => base + BigInt(o)));
          const back = timeOffsets(times, base);
          expect(Array.from(back)).toEqual(offs.map((o) => o + 0));
          expect(Array.from(timesFromOffsets(back, base))).toEqual(Array.from(times));
        },
      ),
    );
  });

  it('handles carries across the 32-bit word boundary', () => {
    const base = 1765001000000000000n;
    const offs = [0, 1, 4294967295, 4294967296, -1, -4294967297, 5e9 + 7];
    const t = timesFromOffsets(offs, base);
    expect(Array.from(t)).toEqual(offs.map((o) => base + BigInt(o)));
  });
});
