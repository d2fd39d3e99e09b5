// Datasets for the engine tests: disjoint records and events over one run range, and chunk
// boundaries placed in the gaps between rows.

import fc from 'fast-check';
import { Records } from '../../src/core/records.js';
import { Context } from '../../src/core/context/context.js';
import type { StorageFrontend } from '../../src/core/storage-api.js';
import {
  CutBusyEvent,
  EVENT_DTYPE,
  RECORD_DTYPE,
  ToyEventSums,
  ToyEvents,
  ToyPeakPieces,
  ToyPeakSums,
  ToyPeaks,
  ToyRecords,
  ToySplitPeaks,
} from './engine-fixtures.js';

export const RUN_START = 1_765_000_000_000_000_000n;

export interface Dataset {
  records: Records;
  events: Records;
  start: bigint;
  end: bigint;
  /** Row indices before which a record chunk boundary goes (and likewise for events). */
  recordCuts: number[];
  eventCuts: number[];
}

interface RecSpec {
  gap: number;
  len: number;
  channel: number;
  area: number;
}
interface EvSpec {
  gap: number;
  dur: number;
}

export const datasetArb: fc.Arbitrary<Dataset> = fc
  .record({
    recs: fc.array(
      fc.record({
        gap: fc.integer({ min: 0, max: 3000 }),
        len: fc.integer({ min: 1, max: 20 }),
        channel: fc.integer({ min: 0, max: 7 }),
        area: fc.integer({ min: 0, max: 100 }),
      }),
      { maxLength: 120 },
    ),
    evs: fc.array(
      fc.record({ gap: fc.integer({ min: 0, max: 20000 }), dur: fc.integer({ min: 1, max: 20000 }) }),
      { maxLength: 20 },
    ),
    recordCutSeed: fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 8 }),
    eventCutSeed: fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 5 }),
    tail: fc.integer({ min: 0, max: 5000 }),
  })
  .map(({ recs, evs, recordCutSeed, eventCutSeed, tail }) =>
    build(recs, evs, recordCutSeed, eventCutSeed, tail),
  );

function build(recs: RecSpec[], evs: EvSpec[], rc: number[], ec: number[], tail: number): Dataset {
  const start = RUN_START;
  const records = Records.empty(RECORD_DTYPE, recs.length);
  let t = start;
  recs.forEach((r, i) => {
    t += BigInt(r.gap);
    records.i64('time')[i] = t;
    records.i32('length')[i] = r.len;
    records.i16('dt')[i] = 10;
    records.i16('channel')[i] = r.channel;
    records.f32('area')[i] = r.area;
    t += BigInt(r.len * 10);
  });
  const recEnd = t;
  const events = Records.empty(EVENT_DTYPE, evs.length);
  t = start;
  evs.forEach((e, i) => {
    t += BigInt(e.gap);
    events.i64('time')[i] = t;
    t += BigInt(e.dur);
    events.i64('endtime')[i] = t;
  });
  const end = (recEnd > t ? recEnd : t) + BigInt(tail);
  const cuts = (seed: number[], n: number): number[] =>
    [...new Set(seed.map((s) => (n === 0 ? 0 : s % (n + 1))))].sort((a, b) => a - b);
  return { records, events, start, end, recordCuts: cuts(rc, recs.length), eventCuts: cuts(ec, evs.length) };
}

/** Chunk boundaries: run start, a time in the gap before each cut row, run end. */
export function bounds(rows: Records, cuts: number[], start: bigint, end: bigint): bigint[] {
  const t = rows.i64('time');
  const ends = rows.dtype.has('endtime') ? rows.i64('endtime') : null;
  const out = [start];
  for (const c of cuts) {
    let b: bigint;
    if (c >= rows.length) b = end;
    else if (c === 0) b = start;
    else {
      const prevEnd = ends
        ? ends[c - 1]!
        : t[c - 1]! + BigInt(rows.i32('length')[c - 1]! * rows.i16('dt')[c - 1]!);
      b = (prevEnd + t[c]!) / 2n; // anywhere in the gap, both ends included
    }
    if (b > out[out.length - 1]! && b < end) out.push(b);
  }
  out.push(end);
  return out;
}

export function toyContext(
  ds: Dataset,
  storage: StorageFrontend[] = [],
  opts: { recordCuts?: number[]; eventCuts?: number[] } = {},
): Context {
  const ctx = new Context({ storage, options: { progressBar: false } });
  ctx.register(
    new ToyRecords(ds.records, bounds(ds.records, opts.recordCuts ?? ds.recordCuts, ds.start, ds.end)),
    new ToyEvents(ds.events, bounds(ds.events, opts.eventCuts ?? ds.eventCuts, ds.start, ds.end)),
    ToyPeaks,
    ToyPeakSums,
    ToyEventSums,
    ToySplitPeaks,
    ToyPeakPieces,
    CutBusyEvent,
  );
  return ctx;
}

export const bytesOf = (r: Records): string => Buffer.from(r.toBytes()).toString('hex');

/** A fixed, larger dataset (deterministic pseudo-random). */
export function fixedDataset(nRecords = 200, nEvents = 15, seed = 7): Dataset {
  let s = seed >>> 0;
  const rnd = (n: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const recs = Array.from({ length: nRecords }, () => ({
    gap: rnd(3000),
    len: 1 + rnd(20),
    channel: rnd(8),
    area: rnd(100),
  }));
  const evs = Array.from({ length: nEvents }, () => ({ gap: rnd(20000), dur: 1 + rnd(20000) }));
  return build(recs, evs, [17, 50, 51, 120, 199], [3, 9], 1234);
}
