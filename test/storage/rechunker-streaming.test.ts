// The streaming rechunker: cuts are strax's for any target, while the rows it holds back stay
// few (those after the last gap; none while there is at most one gap), however large the
// target and long the run; remainders after a cut are not views on whole chunks.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Chunk } from '../../src/core/chunk.js';
import { Records } from '../../src/core/records.js';
import { intervalDtype } from '../../src/core/standard-dtypes.js';
import { Rechunker, type FileStep } from '../../src/storage/rechunker.js';
import { filesOf } from '../helpers/rechunk-files.js';
import { straxRechunk } from '../oracles/rechunk.js';

const EPOCH = 1_700_000_000_000_000_000n;
const ITEM = intervalDtype().itemsize;
const SPAN = 10_000_000n;

/** One chunk per spec: rows at 2000 ns steps (separated by gaps), chunk k covers [k·SPAN, (k+1)·SPAN). */
function chunks(
  rowsPer: number[],
  targetSizeMb: number,
  holes: boolean[] = [],
  lengths: number[] = [],
): Chunk[] {
  let row = 0;
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
        // Rows 2000 ns apart, 100 ns long unless given (over 300: no gap before the next row).
        length: Array.from({ length: n }, () => (lengths.length ? lengths[row++ % lengths.length]! : 10)),
        dt: Array.from({ length: n }, () => 10),
        channel: Array.from({ length: n }, () => 0),
      }),
    });
  });
}

function run(r: Rechunker, cs: Chunk[]): Chunk[] {
  const steps: FileStep[] = [];
  for (const c of cs) steps.push(...r.receive(c));
  steps.push(...r.flush());
  return filesOf(steps);
}

/** Rows of `steps` (complete files or not). */
const rowsIn = (steps: FileStep[]): number =>
  steps.reduce((n, s) => n + ('rows' in s ? s.rows.length : 0), 0);

const summary = (cs: Chunk[]): string[] =>
  cs.map((c) => `${c.start}-${c.end}:${Array.from(c.data.i64('time')).join(',')}`);

describe('Rechunker, streaming', () => {
  it('cuts as strax for any target, also with holes between chunks (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.boolean(), { maxLength: 25 }),
        (rowsPer, targetRows, holes) => {
          const target = (targetRows * ITEM) / 1e6;
          const got = run(new Rechunker(true), chunks(rowsPer, target, holes));
          expect(summary(got)).toEqual(summary(straxRechunk(chunks(rowsPer, target, holes), target * 1e6)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('cuts as strax where long rows leave stretches without gaps (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 120 }),
        fc.array(fc.constantFrom(10, 150, 350, 500, 5000), { minLength: 1, maxLength: 30 }),
        (rowsPer, targetRows, lengths) => {
          const target = (targetRows * ITEM) / 1e6;
          const got = run(new Rechunker(true), chunks(rowsPer, target, [], lengths));
          expect(summary(got)).toEqual(
            summary(straxRechunk(chunks(rowsPer, target, [], lengths), target * 1e6)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('holds back only the rows after the last gap, whatever the target (2000 MB here)', () => {
    const r = new Rechunker(true);
    let received = 0,
      out = 0,
      most = 0;
    for (const c of chunks(
      Array.from({ length: 400 }, () => 37),
      2000,
    )) {
      received += c.length;
      out += rowsIn(r.receive(c));
      most = Math.max(most, received - out, r.heldRowCount);
    }
    // Every row here starts after a gap: only the last one waits.
    expect(most).toBe(1);
    const rest = r.flush();
    expect(out + rowsIn(rest)).toBe(received);
    expect(rest[rest.length - 1]).toEqual({ end: true });
  });

  it('hands out a run without gaps as it comes (strax holds it whole: the cut can only come later)', () => {
    const r = new Rechunker(true);
    // Rows 2000 ns apart, 1990 ns long, chunks touching: no gap anywhere (as pulse_counts).
    let row = 0;
    const steps: FileStep[] = [];
    for (let k = 0; k < 3000; k++) {
      const n = k % 5;
      const start = EPOCH + BigInt(row) * 2000n;
      row += n;
      steps.push(
        ...r.receive(
          new Chunk({
            runId: '0',
            dataType: 'things',
            dataKind: 'things',
            start,
            end: EPOCH + BigInt(row) * 2000n,
            targetSizeMb: 200,
            data: Records.fromColumns(intervalDtype(), n, {
              time: Array.from({ length: n }, (_, i) => start + BigInt(i * 2000)),
              length: Array.from({ length: n }, () => 199),
              dt: Array.from({ length: n }, () => 10),
              channel: Array.from({ length: n }, () => 0),
            }),
          }),
        ),
      );
      expect(r.heldRowCount).toBe(0);
    }
    steps.push(...r.flush());
    const files = filesOf(steps);
    expect(files.length).toBe(1);
    expect(files[0]!.length).toBe(3000 * 2);
    expect(files[0]!.start).toBe(EPOCH);
    expect(files[0]!.end).toBe(EPOCH + BigInt(row) * 2000n);
  });

  it('does not keep a held remainder as a view on the whole received chunk', () => {
    const r = new Rechunker(true);
    const [chunk] = chunks([4000], 200);
    // One long row at the end without a gap before it: the last two rows wait.
    chunk!.data.i32('length')[3998] = 250;
    const steps = r.receive(chunk!);
    expect(rowsIn(steps)).toBe(3998);
    const held = (r as unknown as { held: Chunk[] }).held;
    expect(held.length).toBe(1);
    const time = held[0]!.data.i64('time');
    expect(time.length).toBe(2);
    expect(time.buffer.byteLength).toBeLessThanOrEqual(2 * time.byteLength + 4096);
  });
});
