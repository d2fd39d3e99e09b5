// The rechunker's memory budget: within it, cuts are strax's; above it, the budget acts as the
// target; long runs of small chunks and remainders after a cut do not pile up memory.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Chunk } from '../../src/core/chunk.js';
import { Records } from '../../src/core/records.js';
import { intervalDtype } from '../../src/core/standard-dtypes.js';
import { CHUNK_SPLIT_GAP_NS, Rechunker, getSplits } from '../../src/storage/rechunker.js';

const EPOCH = 1_700_000_000_000_000_000n;
const ITEM = intervalDtype().itemsize;
const SPAN = 10_000_000n;

/** One chunk per spec: rows at 2000 ns steps (separated by gaps), chunk k covers [k·SPAN, (k+1)·SPAN). */
function chunks(rowsPer: number[], targetSizeMb: number, holes: boolean[] = []): Chunk[] {
  return rowsPer.map((n, k) => {
    const start = EPOCH + BigInt(k) * SPAN;
    // A hole: the chunk ends well before the next one starts (chunks need not touch).
    const end = start + (holes[k] ? SPAN / 2n : SPAN);
    return new Chunk({
      runId: '0',
      dataType: 'things',
      dataKind: 'things',
      start,
      end,
      targetSizeMb,
      data: Records.fromColumns(intervalDtype(), n, {
        time: Array.from({ length: n }, (_, i) => start + BigInt(i * 2000)),
        length: Array.from({ length: n }, () => 10),
        dt: Array.from({ length: n }, () => 10),
        channel: Array.from({ length: n }, () => 0),
      }),
    });
  });
}

/** strax's algorithm as written, for a given target. */
function naive(cs: Chunk[], targetBytes: number): Chunk[] {
  let cache: Chunk | null = null;
  const out: Chunk[] = [];
  for (const chunk of cs) {
    let c: Chunk = cache ? Chunk.concatenate([cache, chunk]) : chunk;
    const splits = getSplits(c.data, targetBytes, CHUNK_SPLIT_GAP_NS);
    for (let k = 1; k < splits.length; k++) {
      const [left, right] = c.split(
        c.data.i64('time')[splits[k]! - splits[k - 1]!]! - CHUNK_SPLIT_GAP_NS / 2n,
        false,
      );
      out.push(left);
      c = right;
    }
    cache = c;
  }
  if (cache) out.push(cache);
  return out;
}

function run(r: Rechunker, cs: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  for (const c of cs) out.push(...r.receive(c));
  out.push(...r.flush());
  return out;
}

const summary = (cs: Chunk[]): string[] =>
  cs.map((c) => `${c.start}-${c.end}:${Array.from(c.data.i64('time')).join(',')}`);

describe('Rechunker memory budget', () => {
  it('cuts as strax with the budget as target when the budget is below the target, as strax otherwise (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 2, max: 80 }),
        fc.integer({ min: 2, max: 80 }),
        fc.array(fc.boolean(), { maxLength: 25 }),
        (rowsPer, targetRows, budgetRows, holes) => {
          const target = (targetRows * ITEM) / 1e6,
            budget = (budgetRows * ITEM) / 1e6;
          const got = run(new Rechunker(true, budget), chunks(rowsPer, target, holes));
          expect(summary(got)).toEqual(
            summary(naive(chunks(rowsPer, target, holes), Math.min(target, budget) * 1e6)),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps at most a budget of rows (plus one incoming chunk) waiting, however long the run', () => {
    const budgetRows = 500;
    const r = new Rechunker(true, (budgetRows * ITEM) / 1e6);
    let maxWaiting = 0,
      received = 0,
      written = 0;
    for (const c of chunks(
      Array.from({ length: 400 }, () => 37),
      2000,
    )) {
      received += c.length;
      for (const w of r.receive(c)) written += w.length;
      maxWaiting = Math.max(maxWaiting, received - written);
    }
    for (const w of r.flush()) written += w.length;
    expect(written).toBe(received);
    expect(maxWaiting).toBeLessThanOrEqual(budgetRows + 1 + 37);
  });

  it('holds a long run of small chunks in few objects', () => {
    const r = new Rechunker(true, 1e6);
    const held = (): number => (r as unknown as { pending: Chunk[] }).pending.length;
    let most = 0;
    for (const c of chunks(
      Array.from({ length: 3000 }, (_, k) => k % 5),
      200,
    )) {
      expect(r.receive(c)).toEqual([]);
      most = Math.max(most, held());
    }
    // Each held chunk is longer than the next two together: logarithmic in the rows received.
    expect(most).toBeLessThanOrEqual(30);
    const [all] = r.flush();
    expect(all!.length).toBe(3000 * 2);
    expect(all!.start).toBe(EPOCH);
    expect(all!.end).toBe(EPOCH + 3000n * SPAN);
  });

  it('does not keep a cut-off remainder as a view on the whole received chunk', () => {
    const r = new Rechunker(true, (400 * ITEM) / 1e6);
    const [chunk] = chunks([4000], 200);
    const out = r.receive(chunk!);
    expect(out.length).toBeGreaterThan(5);
    const pending = (r as unknown as { pending: Chunk[] }).pending;
    expect(pending.length).toBe(1);
    const time = pending[0]!.data.i64('time');
    expect(time.length).toBeLessThan(800);
    // At most a small multiple of its own rows stays allocated, not the 4000 rows received.
    expect(time.buffer.byteLength).toBeLessThanOrEqual(2 * time.byteLength + 4096);
    expect(time.buffer.byteLength).toBeLessThan(chunk!.data.i64('time').byteLength / 2);
  });
});
