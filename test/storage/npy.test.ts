import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { DType } from '../../src/core/dtype.js';
import { Records } from '../../src/core/records.js';
import { decodeNpy, encodeNpy, parseNpyHeader, npyHeader } from '../../src/storage/npy.js';
import { REFERENCE, REFERENCE_RUNS, loadReferenceNpy, referenceNpyTypes } from '../helpers/reference.js';

describe('npy reader on the reference exports', () => {
  for (const run of REFERENCE_RUNS) {
    for (const type of referenceNpyTypes(run)) {
      it(`${run} ${type}: re-encoding reproduces numpy's bytes`, () => {
        const file = join(
          REFERENCE,
          run,
          'npy',
          existsHead(run, type) ? `${type}-head.npy.gz` : `${type}.npy.gz`,
        );
        const raw = gunzipSync(readFileSync(file));
        const { records } = loadReferenceNpy(run, type);
        const h = parseNpyHeader(raw);
        expect(records.length).toBe(h.shape[0]);
        const again = encodeNpy(records);
        // Header identical (padding names f<i>), data identical unless numpy padding bytes were non-zero.
        expect(Buffer.from(again.subarray(0, h.dataOffset)).toString('latin1')).toBe(
          Buffer.from(raw.subarray(0, h.dataOffset)).toString('latin1'),
        );
        const a = again.subarray(h.dataOffset),
          b = raw.subarray(h.dataOffset);
        expect(a.length).toBe(b.length);
        expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
      });
    }
  }
});

function existsHead(run: string, type: string): boolean {
  return !referenceNpyTypes(run).includes(type) || loadReferenceNpy(run, type).head;
}

describe('npy header versions', () => {
  const small = DType.of([
    { name: 'time', type: '<i8' },
    { name: 'x', type: '<f4', shape: [2, 3] },
  ]);
  it('writes version 1.0 for short headers, 64-byte aligned', () => {
    const h = npyHeader(small, 3);
    expect(h[6]).toBe(1);
    expect(h.length % 64).toBe(0);
    expect(h.toString('latin1')).toContain(
      "{'descr': [('time', '<i8'), ('x', '<f4', (2, 3))], 'fortran_order': False, 'shape': (3,), }",
    );
  });
  it('writes version 2.0 when the header exceeds 65535 bytes', () => {
    const long = DType.of([{ name: 'a', type: '<i8', title: 'x'.repeat(70000) }]);
    const h = npyHeader(long, 1);
    expect(h[6]).toBe(2);
    expect(h.length % 64).toBe(0);
    const r = Records.fromColumns(long, 1, { a: [42n] });
    expect(decodeNpy(encodeNpy(r)).i64('a')[0]).toBe(42n);
  });
  it('writes version 3.0 (utf-8) for titles beyond latin-1', () => {
    const d = DType.of([{ name: 'a', type: '<i2', title: 'Δt ≥ 0 ✓' }]);
    const h = npyHeader(d, 2);
    expect(h[6]).toBe(3);
    const back = decodeNpy(encodeNpy(Records.fromColumns(d, 2, { a: [1, -2] })));
    expect(back.dtype.fields[0]!.title).toBe('Δt ≥ 0 ✓');
    expect(Array.from(back.i16('a'))).toEqual([1, -2]);
  });
  it('rejects bad magic and truncation with a clear message', () => {
    expect(() => decodeNpy(Buffer.from('hello world, not numpy'), 'x.npy')).toThrow(/x.npy: not a .npy file/);
    const r = Records.fromColumns(small, 4, { time: [1, 2, 3, 4] });
    const bytes = encodeNpy(r);
    expect(() => decodeNpy(bytes.subarray(0, bytes.length - 5), 'y.npy')).toThrow(/y.npy: truncated data/);
  });
});

describe('npy round trip (property)', () => {
  const types = ['|i1', '|u1', '<i2', '<u2', '<i4', '<u4', '<i8', '<f4', '<f8', '|b1'];
  it('random dtypes and rows survive encode → decode', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            type: fc.constantFrom(...types),
            shape: fc.constantFrom<number[]>([], [3], [2, 2]),
            pad: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.nat(20),
        fc.integer(),
        (specs, n, seed) => {
          const fields = specs.flatMap((s, i) => {
            const out = [{ name: `c${i}`, type: s.type, shape: s.shape }];
            if (s.pad) out.push({ name: '', type: '|V3', shape: [] });
            return out;
          });
          const dtype = DType.of(fields);
          const r = Records.empty(dtype, n);
          const bytes = r.toBytes();
          let x = seed >>> 0;
          for (const f of dtype.fields) {
            if (f.name === '') continue;
            for (let row = 0; row < n; row++)
              for (let k = 0; k < DType.fieldBytes(f); k++) {
                x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
                let v = x >>> 24;
                if (f.type === '|b1') v &= 1;
                if ((f.type === '<f4' && k % 4 === 3) || (f.type === '<f8' && k % 8 === 7)) v &= 0x3f; // finite, no NaN
                bytes[row * dtype.itemsize + f.offset + k] = v;
              }
          }
          const rec = Records.fromBytes(dtype, bytes);
          const back = decodeNpy(encodeNpy(rec));
          expect(back.dtype.toDescr()).toBe(dtype.toDescr());
          expect(Buffer.compare(Buffer.from(back.toBytes()), Buffer.from(bytes))).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
