import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { columnsToRows, rowsToColumns, type FieldSlot } from '../../src/core/row-layout.js';

/** Fields laid out one after another from random byte lengths, with gaps, in rows of itemsize. */
const layout = fc.record({
  lens: fc.array(fc.constantFrom(0, 1, 2, 3, 4, 6, 8, 12, 16, 17, 24, 220), { minLength: 1, maxLength: 6 }),
  gaps: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 6 }),
  tail: fc.integer({ min: 0, max: 5 }),
  n: fc.integer({ min: 0, max: 700 }),
  rowsOffset: fc.integer({ min: 0, max: 7 }),
  seed: fc.integer(),
});

function build(l: { lens: number[]; gaps: number[]; tail: number; n: number }): {
  itemsize: number;
  fields: { offset: number; bytes: number }[];
} {
  let offset = 0;
  const fields = l.lens.map((bytes, i) => {
    offset += l.gaps[i]!;
    const f = { offset, bytes };
    offset += bytes;
    return f;
  });
  return { itemsize: Math.max(1, offset + l.tail), fields };
}

/** Byte equality (vitest's deep equality is slow on large typed arrays). */
const same = (a: Uint8Array, b: Uint8Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

function fill(a: Uint8Array, seed: number): void {
  let x = seed >>> 0 || 1;
  for (let i = 0; i < a.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    a[i] = x & 255;
  }
}

describe('row layout: packed rows ↔ columns', () => {
  it('rowsToColumns takes each field byte for byte, whatever the alignment', () => {
    fc.assert(
      fc.property(layout, (l) => {
        const { itemsize, fields } = build(l);
        const store = new Uint8Array(l.rowsOffset + l.n * itemsize);
        fill(store, l.seed);
        const rows = store.subarray(l.rowsOffset);
        const slots: FieldSlot[] = fields.map((f) => ({ ...f, column: new Uint8Array(l.n * f.bytes) }));
        rowsToColumns(rows, itemsize, l.n, slots);
        for (const s of slots) {
          const want = new Uint8Array(l.n * s.bytes);
          for (let r = 0; r < l.n; r++)
            want.set(rows.subarray(r * itemsize + s.offset, r * itemsize + s.offset + s.bytes), r * s.bytes);
          expect(same(s.column, want)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('columnsToRows writes the fields back and leaves the other bytes alone', () => {
    fc.assert(
      fc.property(layout, (l) => {
        const { itemsize, fields } = build(l);
        const store = new Uint8Array(l.rowsOffset + l.n * itemsize);
        fill(store, l.seed);
        const rows = store.subarray(l.rowsOffset);
        const before = rows.slice();
        const slots: FieldSlot[] = fields.map((f) => ({ ...f, column: new Uint8Array(l.n * f.bytes) }));
        for (const s of slots) fill(s.column, l.seed + s.offset + 7);
        columnsToRows(rows, itemsize, l.n, slots);
        const want = before.slice();
        for (const s of slots)
          for (let r = 0; r < l.n; r++)
            want.set(s.column.subarray(r * s.bytes, (r + 1) * s.bytes), r * itemsize + s.offset);
        expect(same(rows, want)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps NaN payloads of float fields (integer moves only)', () => {
    const itemsize = 13,
      n = 300;
    const rows = new Uint8Array(n * itemsize);
    const dv = new DataView(rows.buffer);
    for (let r = 0; r < n; r++) {
      dv.setUint32(r * itemsize + 1, 0x7fa00000 + r, true);
      dv.setUint32(r * itemsize + 5, 0xfff00001 + r, true);
      dv.setUint32(r * itemsize + 9, 0x7ff80000, true);
    }
    const slots: FieldSlot[] = [
      { offset: 1, bytes: 4, column: new Uint8Array(4 * n) },
      { offset: 5, bytes: 8, column: new Uint8Array(8 * n) },
    ];
    rowsToColumns(rows, itemsize, n, slots);
    const back = new Uint8Array(n * itemsize);
    columnsToRows(back, itemsize, n, slots);
    for (let r = 0; r < n; r++)
      expect(back.subarray(r * itemsize + 1, r * itemsize + 13)).toEqual(
        rows.subarray(r * itemsize + 1, r * itemsize + 13),
      );
  });

  it('moves wide word-aligned fields (raw_records: 244-byte rows, waveform at 24) both ways', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.constantFrom(0, 4, 8),
        fc.integer(),
        (n, rowsOffset, seed) => {
          const itemsize = 244;
          const store = new Uint8Array(rowsOffset + n * itemsize);
          fill(store, seed);
          const rows = store.subarray(rowsOffset);
          const fields = [
            { offset: 0, bytes: 8 },
            { offset: 8, bytes: 4 },
            { offset: 14, bytes: 2 },
            { offset: 24, bytes: 220 },
          ];
          const slots: FieldSlot[] = fields.map((f) => ({ ...f, column: new Uint8Array(n * f.bytes) }));
          rowsToColumns(rows, itemsize, n, slots);
          const wave = slots[3]!.column;
          for (let r = 0; r < n; r++)
            expect(
              same(
                wave.subarray(r * 220, (r + 1) * 220),
                rows.subarray(r * itemsize + 24, (r + 1) * itemsize),
              ),
            ).toBe(true);
          const back = new Uint8Array(n * itemsize);
          columnsToRows(back, itemsize, n, slots);
          for (let r = 0; r < n; r++)
            for (const f of fields)
              expect(
                same(
                  back.subarray(r * itemsize + f.offset, r * itemsize + f.offset + f.bytes),
                  rows.subarray(r * itemsize + f.offset, r * itemsize + f.offset + f.bytes),
                ),
              ).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});
