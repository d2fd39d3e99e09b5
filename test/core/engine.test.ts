import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { endtimes, type Chunk } from '../../src/core/chunk.js';
import { Records } from '../../src/core/records.js';
import { bytesOf, datasetArb, toyContext, type Dataset } from './engine-data.js';
import { PEAK_DTYPE, nearSums } from './engine-fixtures.js';

async function chunksOf(
  ds: Dataset,
  target: string,
  opts: Parameters<typeof toyContext>[2] = {},
  workers = 1,
): Promise<Chunk[]> {
  const ctx = toyContext(ds, [], opts);
  ctx.setContextConfig({ workers });
  const out: Chunk[] = [];
  for await (const c of ctx.getIter('001', target)) out.push(c);
  return out;
}

function checkChunks(cs: Chunk[], ds: Dataset): void {
  expect(cs[0]!.start).toBe(ds.start);
  expect(cs[cs.length - 1]!.end).toBe(ds.end);
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if (i > 0) expect(c.start).toBe(cs[i - 1]!.end);
    const t = c.data.i64('time'),
      e = endtimes(c.data);
    for (let k = 0; k < c.length; k++) {
      expect(t[k]! >= c.start && e[k]! <= c.end).toBe(true);
      if (k > 0) expect(t[k]! >= t[k - 1]!).toBe(true);
    }
  }
}

const concat = (cs: Chunk[]): string => cs.map((c) => bytesOf(c.data)).join('');

/** Expected peak_sums from the whole run at once. */
const expectedSums = (ds: Dataset, window: bigint): Records => nearSums(toPeaks(ds.records), window);

function toPeaks(p: Records): Records {
  const out = Records.empty(PEAK_DTYPE, p.length);
  out.i64('time').set(p.i64('time'));
  out.i64('endtime').set(endtimes(p));
  out.i16('channel').set(p.i16('channel'));
  for (let i = 0; i < p.length; i++) out.f32('area')[i] = p.f32('area')[i]! * 2;
  return out;
}

describe('engine: chunked processing', () => {
  it('peaks: one per record, chunks contiguous, rows inside their chunk, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, async (ds) => {
        const cs = await chunksOf(ds, 'peaks');
        checkChunks(cs, ds);
        expect(concat(cs)).toBe(bytesOf(toPeaks(ds.records)));
      }),
      { numRuns: 40 },
    );
  });

  it('overlap window: peak_sums equal the whole-run computation for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, async (ds) => {
        const cs = await chunksOf(ds, 'peak_sums');
        checkChunks(cs, ds);
        expect(concat(cs)).toBe(bytesOf(expectedSums(ds, 500n)));
      }),
      { numRuns: 60 },
    );
  });

  it("two data kinds: event_sums (loop plugin) are independent of both inputs' chunking", async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, async (ds) => {
        const a = await chunksOf(ds, 'event_sums');
        const b = await chunksOf(ds, 'event_sums', { recordCuts: [], eventCuts: [] });
        checkChunks(a, ds);
        expect(concat(a)).toBe(concat(b));
        // brute force: peaks fully inside each event
        const ev = ds.events,
          pk = toPeaks(ds.records);
        const all = a.flatMap((c) => Array.from({ length: c.length }, (_, i) => c.data.row(i)));
        expect(all.length).toBe(ev.length);
        for (let i = 0; i < ev.length; i++) {
          const t0 = ev.i64('time')[i]!,
            t1 = ev.i64('endtime')[i]!;
          let n = 0,
            s = 0;
          for (let j = 0; j < pk.length; j++) {
            if (pk.i64('time')[j]! >= t0 && pk.i64('endtime')[j]! <= t1) {
              n++;
              s += pk.f32('area')[j]!;
            }
          }
          expect(all[i]!['n_peaks']).toBe(n);
          expect(all[i]!['area_sum']).toBe(s);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('multi-output and down-chunking plugins keep every row exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, async (ds) => {
        const big = await chunksOf(ds, 'big_peaks');
        const small = await chunksOf(ds, 'small_peaks');
        checkChunks(big, ds);
        const nb = big.reduce((s, c) => s + c.length, 0),
          ns = small.reduce((s, c) => s + c.length, 0);
        expect(nb + ns).toBe(ds.records.length);
        const pieces = await chunksOf(ds, 'peak_pieces');
        checkChunks(pieces, ds);
        for (const c of pieces) expect(c.length).toBeLessThanOrEqual(3);
        expect(concat(pieces)).toBe(bytesOf(toPeaks(ds.records)));
      }),
      { numRuns: 30 },
    );
  });

  it('one and two worker threads give byte-identical output, in order', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, async (ds) => {
        const one = await chunksOf(ds, 'peak_sums', {}, 1);
        const two = await chunksOf(ds, 'peak_sums', {}, 2);
        expect(two.map((c) => [c.start, c.end])).toEqual(one.map((c) => [c.start, c.end]));
        expect(concat(two)).toBe(concat(one));
        const mo1 = await chunksOf(ds, 'small_peaks', {}, 1);
        const mo2 = await chunksOf(ds, 'small_peaks', {}, 2);
        expect(concat(mo2)).toBe(concat(mo1));
      }),
      { numRuns: 20 },
    );
  });
});
