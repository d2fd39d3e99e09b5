import { describe, expect, it } from 'vitest';
import { DType } from '../../src/core/dtype.js';
import { Records } from '../../src/core/records.js';

describe('DType.aligned', () => {
  it('aligns like numpy: padding after 1- and 2-byte fields, row size a multiple of 8', () => {
    const d = DType.of([
      { name: 'a', type: '<i8' },
      { name: 'b', type: '|i1' },
      { name: 'c', type: '<f4', shape: [3] },
      { name: 'd', type: '<i2' },
      { name: 'e', type: '|b1' },
    ]).aligned();
    expect(d.toDescr()).toBe(
      "[('a', '<i8'), ('b', '|i1'), ('', '|V3'), ('c', '<f4', (3,)), ('d', '<i2'), ('e', '|b1'), ('', '|V5')]",
    );
    expect(d.itemsize).toBe(32);
  });
});

describe('Records.gather', () => {
  it('picks rows from several batches by field name into another dtype; missing fields stay zero', () => {
    const a = Records.fromColumns(
      DType.of([
        { name: 'x', type: '<i8' },
        { name: 'y', type: '<f4', shape: [2] },
      ]),
      2,
      {
        x: [1n, 2n],
        y: [1, 2, 3, 4],
      },
    );
    const b = Records.fromColumns(DType.of([{ name: 'x', type: '<i8' }]), 1, { x: [7n] });
    const out = Records.gather(a.dtype.aligned(), [a, b], Uint8Array.of(1, 0, 0), Int32Array.of(0, 1, 0));
    expect(Array.from(out.i64('x'))).toEqual([7n, 2n, 1n]);
    expect(Array.from(out.f32('y'))).toEqual([0, 0, 3, 4, 1, 2]);
  });
});
