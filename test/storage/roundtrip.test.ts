import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DType, type FieldSpec } from '../../src/core/dtype.js';
import { Records } from '../../src/core/records.js';
import { Chunk } from '../../src/core/chunk.js';
import { lineageHash } from '../../src/core/lineage.js';
import { PyFloat } from '../../src/core/python/float.js';
import type { DataKey, Lineage } from '../../src/core/storage-api.js';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { loadAll } from '../../src/storage/load-all.js';
import { readMetadata, metadataFileName } from '../../src/storage/metadata.js';
import { getSplits, Rechunker } from '../../src/storage/rechunker.js';
import { COMPRESSORS } from '../../src/storage/codecs/index.js';
import { tempDir } from '../helpers/tmp.js';
import { filesOf } from '../helpers/rechunk-files.js';

const EXTRA_TYPES = ['|i1', '|u1', '<i2', '<u2', '<i4', '<u4', '<i8', '<f4', '<f8', '|b1'];

/** Rows with time/length/dt and random extra fields; times sorted, with gaps. */
function makeRows(extra: FieldSpec[], n: number, seed: number, t0: bigint): Records {
  const dtype = DType.of([
    { name: 'time', type: '<i8' },
    { name: 'length', type: '<i4' },
    { name: 'dt', type: '<i2' },
    ...extra,
  ]);
  const r = Records.empty(dtype, n);
  let x = seed >>> 0;
  const rnd = (): number => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
  const t = r.i64('time'),
    len = r.i32('length'),
    dt = r.i16('dt');
  let now = t0;
  for (let i = 0; i < n; i++) {
    // Rows do not overlap, so a chunk may end at any row's start.
    const l = 1 + (rnd() % 50);
    t[i] = now;
    len[i] = l;
    dt[i] = 10;
    now += BigInt(l * 10 + (rnd() % 3000));
  }
  for (const f of extra) {
    const col = r.col(f.name);
    for (let k = 0; k < col.length; k++) {
      const v = rnd();
      if (col instanceof BigInt64Array) col[k] = BigInt(v) - 2n ** 31n;
      else if (col instanceof Float32Array || col instanceof Float64Array) col[k] = v / 7 - 1e8;
      else if (f.type === '|b1') col[k] = v & 1;
      else (col as Int32Array)[k] = v;
    }
  }
  return r;
}

function chunksOf(r: Records, cuts: number[], runId: string, t0: bigint, tEnd: bigint): Chunk[] {
  const t = r.i64('time');
  const bounds = [...new Set(cuts.map((c) => Math.min(c, r.length)))]
    .sort((a, b) => a - b)
    .filter((c) => c > 0 && c < r.length);
  const out: Chunk[] = [];
  let from = 0,
    start = t0;
  for (const c of [...bounds, r.length]) {
    // A chunk may end only where no row straddles: after every earlier row has ended.
    const end = c === r.length ? tEnd : t[c]!;
    const data = r.slice(from, c);
    out.push(new Chunk({ runId, dataType: 'things', dataKind: 'things', start, end, data }));
    from = c;
    start = end;
  }
  return out;
}

describe('save → load round trip (property)', () => {
  it('random dtypes, rows, chunking and compressors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            type: fc.constantFrom(...EXTRA_TYPES),
            shape: fc.constantFrom<number[]>([], [3], [2, 2]),
            title: fc.option(fc.string({ maxLength: 12 })),
          }),
          { maxLength: 5 },
        ),
        fc.nat(400),
        fc.integer(),
        fc.array(fc.nat(400), { maxLength: 4 }),
        fc.constantFrom(...COMPRESSORS.filter((c) => c !== 'bz2')),
        fc.boolean(),
        async (specs, n, seed, cuts, compressor, rechunk) => {
          const extra = specs.map((s, i) => ({
            name: `f${i}x`,
            type: s.type,
            shape: s.shape,
            title: s.title,
          }));
          const t0 = 1765001000000000000n;
          const rows = makeRows(extra, n, seed, t0);
          const lastEnd = n ? rows.i64('time')[n - 1]! + 1000n : t0 + 5n;
          const chunks = chunksOf(rows, cuts, '000042', t0, lastEnd);
          const lineage: Lineage = { things: ['Things', '0.1.0', { a: new PyFloat(1), b: [1, 2] }] };
          const key: DataKey = {
            runId: '000042',
            dataType: 'things',
            lineage,
            lineageHash: lineageHash(lineage),
          };
          const dd = new DataDirectory(tempDir());
          const saver = await dd.saver(key, {
            runId: key.runId,
            dataType: 'things',
            dataKind: 'things',
            dtype: rows.dtype.toDescr(),
            lineage,
            lineageHash: key.lineageHash,
            compressor,
            chunkTargetSizeMb: 0.002,
            rechunk,
          });
          for (const c of chunks) await saver.save(c);
          await saver.close();
          const back = await loadAll(dd.path, '000042', 'things');
          expect(back.dtype.toDescr()).toBe(rows.dtype.toDescr());
          expect(Buffer.compare(Buffer.from(back.toBytes()), Buffer.from(rows.toBytes()))).toBe(0);
          const md = readMetadata(
            join(dd.path, `000042-things-${key.lineageHash}`, metadataFileName('things', key.lineageHash)),
          );
          expect(md.start).toBe(t0);
          expect(md.end).toBe(lastEnd);
          for (let i = 1; i < md.chunks.length; i++) expect(md.chunks[i]!.start).toBe(md.chunks[i - 1]!.end);
          const files = readdirSync(join(dd.path, `000042-things-${key.lineageHash}`)).filter((f) =>
            /-\d{6}$/.test(f),
          );
          expect(files.length).toBe(md.chunks.filter((c) => c.n > 0).length);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('rechunker', () => {
  it('joins small chunks up to the target size and splits only in gaps', () => {
    const t0 = 1_000_000_000n;
    const rows = makeRows([], 3000, 7, t0);
    const itemsize = rows.dtype.itemsize;
    const chunks = chunksOf(
      rows,
      Array.from({ length: 29 }, (_, i) => (i + 1) * 100),
      '1',
      t0,
      rows.i64('time')[2999]! + 1000n,
    ).map((c) => c.with({ targetSizeMb: (500 * itemsize) / 1e6 }));
    const rc = new Rechunker(true);
    const out = filesOf([...chunks.flatMap((c) => rc.receive(c)), ...rc.flush()]);
    expect(out.length).toBeLessThan(chunks.length);
    expect(out.reduce((s, c) => s + c.length, 0)).toBe(3000);
    for (const c of out.slice(0, -1)) expect(c.length).toBeGreaterThan(250);
    for (let i = 1; i < out.length; i++) expect(out[i]!.start).toBe(out[i - 1]!.end);
    const all = Records.concat(out.map((c) => c.data));
    expect(Buffer.compare(Buffer.from(all.toBytes()), Buffer.from(rows.toBytes()))).toBe(0);
  });
  it('without rechunking passes chunks through', () => {
    const rows = makeRows([], 10, 1, 0n);
    const c = new Chunk({ runId: '1', dataType: 'x', dataKind: 'x', start: 0n, end: 100000n, data: rows });
    expect(new Rechunker(false).receive(c)).toEqual([{ rows: c }, { end: true }]);
  });
  it('getSplits skips the first gap as strax does', () => {
    // Rows every 10 ns, 2 µs gaps before rows 100, 200, 300; target 120 rows.
    const dtype = DType.of([
      { name: 'time', type: '<i8' },
      { name: 'endtime', type: '<i8' },
    ]);
    const r = Records.empty(dtype, 400);
    const t = r.i64('time'),
      e = r.i64('endtime');
    let now = 0n;
    for (let i = 0; i < 400; i++) {
      if (i % 100 === 0 && i) now += 2000n;
      t[i] = now;
      e[i] = now + 5n;
      now += 10n;
    }
    expect(getSplits(r, 120 * dtype.itemsize)).toEqual([0, 200]);
    expect(getSplits(r, 90 * dtype.itemsize)).toEqual([0, 200, 300]);
  });
});
