import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DType } from '../../src/core/dtype.js';
import { Records } from '../../src/core/records.js';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';

const dtype = DType.of([
  { name: 'time', type: '<i8' },
  { name: 'area', type: '<f4' },
  { name: 'w', type: '<f8', shape: [3] },
]);

function make(n: number, area: number[], w: number[]): Records {
  return Records.fromColumns(dtype, n, { time: Array.from({ length: n }, (_, i) => BigInt(i)), area, w });
}

describe('compareRecords', () => {
  it('finds identical batches in agreement, whatever the values', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: false }), { minLength: 1, maxLength: 20 }), (xs) => {
        const w = xs.flatMap((x) => [x, x, x]);
        const ag = compareRecords(make(xs.length, xs, w), make(xs.length, xs, w));
        return ag.ok && ag.fields.every((f) => f.mismatched === 0);
      }),
    );
  });

  it('accepts floats within the relative tolerance and rejects beyond it', () => {
    const a = make(2, [100, 1], [1, 2, 3, 4, 5, 6]);
    const near = make(2, [100 * (1 + 5e-7), 1], [1, 2, 3, 4, 5, 6]);
    const far = make(2, [100, 1], [1, 2, 3, 4, 5, 6 * (1 + 1e-5)]);
    expect(compareRecords(a, near).ok).toBe(true);
    const ag = compareRecords(a, far);
    expect(ag.ok).toBe(false);
    expect(ag.fields.find((f) => f.field === 'w')).toMatchObject({
      mismatched: 1,
      firstMismatch: { row: 1 },
    });
    expect(formatAgreement(ag)).toContain('DISAGREE');
  });

  it('requires integers to be exact and row counts to match', () => {
    const a = make(2, [1, 1], [0, 0, 0, 0, 0, 0]);
    const b = a.take([0, 1]);
    b.i64('time')[1] = 7n;
    expect(compareRecords(a, b).fields.find((f) => f.field === 'time')!.mismatched).toBe(1);
    expect(compareRecords(a, a.slice(0, 1)).ok).toBe(false);
  });
});
