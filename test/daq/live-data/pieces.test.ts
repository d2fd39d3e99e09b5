// Cutting a run into the DAQ's pieces (main chunk, overlap, main chunk, ...): every record in
// exactly one piece, the one its start time falls in, times relative to the run start, and a
// run that ends the way the DAQReader can read it.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Records } from '../../../src/core/records.js';
import { rawRecordDtype } from '../../../src/core/standard-dtypes.js';
import { livePieces, type LivePiece } from '../../../src/daq/live-data/index.js';
import { endTimes, sortByTimeAndChannel } from '../../../src/plugins/raw_records/daq-overlap.js';
import { streamOf } from './helpers.js';

const T0 = 1_765_400_000_000_000_000n;

function rowsAt(rel: readonly { t: number; len: number }[]): Records {
  const r = Records.empty(rawRecordDtype(), rel.length);
  rel.forEach((x, i) => {
    r.i64('time')[i] = T0 + BigInt(x.t);
    r.i32('length')[i] = x.len;
    r.i16('dt')[i] = 10;
    r.i16('channel')[i] = i % 500;
  });
  return sortByTimeAndChannel(r);
}

async function collect(batches: Records[], chunk: number, overlap: number): Promise<LivePiece[]> {
  const out: LivePiece[] = [];
  for await (const p of livePieces([streamOf(...batches)], {
    runStart: T0,
    dtype: rawRecordDtype(),
    chunkDuration: chunk,
    overlapDuration: overlap,
  }))
    out.push(p);
  return out;
}

describe('livePieces', () => {
  it('property: every record once, in the piece of its start time; the run ends readable', async () => {
    const row = fc.record({
      t: fc.integer({ min: 0, max: 50_000 }).map((x) => x * 10),
      len: fc.integer({ min: 1, max: 110 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 200 }),
        fc.integer({ min: 1000, max: 200_000 }),
        fc.integer({ min: 1000, max: 50_000 }),
        fc.integer({ min: 1, max: 5 }),
        async (rows, chunk, overlap, nBatches) => {
          const all = rowsAt(rows);
          const step = Math.ceil(all.length / nBatches) || 1;
          const batches = Array.from({ length: nBatches }, (_, k) => all.slice(k * step, (k + 1) * step));
          const pieces = await collect(batches, chunk, overlap);
          let n = 0;
          pieces.forEach((p, k) => {
            expect(p.kind).toBe(k % 2 === 0 ? 'main' : 'overlap');
            expect(p.chunkI).toBe(Math.floor(k / 2));
            const start = p.chunkI * (chunk + overlap) + (p.kind === 'main' ? 0 : chunk);
            expect(p.window).toEqual([start, start + (p.kind === 'main' ? chunk : overlap)]);
            for (const t of p.rows.i64('time')) {
              expect(t).toBeGreaterThanOrEqual(BigInt(p.window[0]));
              expect(t).toBeLessThan(BigInt(p.window[1]));
            }
            n += p.rows.length;
          });
          expect(n).toBe(all.length);
          const last = pieces[pieces.length - 1]!;
          expect(last.kind).toBe('main');
          expect(last.chunkI).toBeGreaterThanOrEqual(1);
          const maxEnd = Math.max(0, ...pieces.flatMap((p) => Array.from(endTimes(p.rows))));
          expect(maxEnd).toBeLessThanOrEqual(last.window[1]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a record before the run start is refused', async () => {
    const r = rowsAt([{ t: 100, len: 5 }]);
    r.i64('time')[0] = T0 - 10n;
    await expect(collect([r], 1e9, 1e8)).rejects.toThrow(/before the run start/);
  });
});
