import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Chunk, endtimes } from '../../src/core/chunk.js';
import { Records } from '../../src/core/records.js';
import { intervalDtype } from '../../src/core/standard-dtypes.js';
import { Rechunker, gapIndices, type FileStep } from '../../src/storage/rechunker.js';
import { filesOf } from '../helpers/rechunk-files.js';
import { straxRechunk } from '../oracles/rechunk.js';

const EPOCH = 1_700_000_000_000_000_000n;

/** Rows of (start offset, length) with dt 10 from `base`, sorted by time. */
function rows(spec: [number, number][], base: bigint): Records {
  const sorted = [...spec].sort((a, b) => a[0] - b[0]);
  return Records.fromColumns(intervalDtype(), sorted.length, {
    time: sorted.map(([t]) => base + BigInt(t)),
    length: sorted.map(([, l]) => l),
    dt: sorted.map(() => 10),
    channel: sorted.map(() => 0),
  });
}

const chunkSpecs = fc.array(
  fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 30 })), { maxLength: 30 }),
  { minLength: 1, maxLength: 8 },
);

function toChunks(specs: [number, number][][], targetSizeMb: number): Chunk[] {
  // Chunk k holds rows in [k·1e6, (k+1)·1e6) ns; each spec unit is 1000 ns of start offset.
  return specs.map((spec, k) => {
    const start = EPOCH + BigInt(k) * 1_000_000n;
    return new Chunk({
      runId: '0',
      dataType: 'things',
      dataKind: 'things',
      start,
      end: start + 1_000_000n,
      targetSizeMb,
      data: rows(
        spec.map(([t, l]) => [t * 1000, l]),
        start,
      ),
    });
  });
}

const summary = (cs: Chunk[]): string[] =>
  cs.map((c) => `${c.start}-${c.end}:${Array.from(c.data.i64('time')).join(',')}`);

describe('Rechunker', () => {
  it('cuts exactly where joining every chunk into the cache would (property)', () => {
    fc.assert(
      fc.property(chunkSpecs, fc.integer({ min: 1, max: 40 }), (specs, rowsPerFile) => {
        const target = (rowsPerFile * intervalDtype().itemsize) / 1e6;
        const r = new Rechunker(true);
        const steps: FileStep[] = [];
        for (const c of toChunks(specs, target)) steps.push(...r.receive(c));
        steps.push(...r.flush());
        const got = filesOf(steps);
        expect(summary(got)).toEqual(summary(straxRechunk(toChunks(specs, target))));
      }),
      { numRuns: 150 },
    );
  });

  it('gapIndices and endtimes agree with BigInt arithmetic, also for rows far apart', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 62n }), fc.integer({ min: 0, max: 1000 })), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.boolean(),
        (spec, near) => {
          const recs = Records.fromColumns(intervalDtype(), spec.length, {
            time: spec
              .map(([t]) => (near ? EPOCH + (t % 100_000n) : t))
              .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
            length: spec.map(([, l]) => l),
            dt: spec.map(() => 10),
            channel: spec.map(() => 0),
          });
          const t = recs.i64('time'),
            len = recs.i32('length');
          const want = Array.from(t, (x, i) => x + BigInt(len[i]! * 10));
          expect(Array.from(endtimes(recs))).toEqual(want);
          const gaps: number[] = [];
          let maxEnd = want[0]!;
          for (let i = 1; i < t.length; i++) {
            if (want[i - 1]! > maxEnd) maxEnd = want[i - 1]!;
            if (t[i]! - maxEnd > 1000n) gaps.push(i);
          }
          expect(gapIndices(recs, 1000n)).toEqual(gaps);
        },
      ),
      { numRuns: 200 },
    );
  });
});
