// Cutting an overlap folder (straxen's DAQReader._load_chunk for _pre/_post): properties that
// make the two chunks fit together, and straxen's exact numbers for the break and the
// artificial deadtime.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Records } from '../../../src/core/records.js';
import { rawRecordDtype } from '../../../src/core/standard-dtypes.js';
import {
  ARTIFICIAL_DEADTIME_CHANNEL,
  cutOverlap,
  endTimes,
  sortByTimeAndChannel,
  startTimes,
} from '../../../src/plugins/raw_records/daq-overlap.js';

const S = { minGap: 1000, recordLength: 110, dtMax: 10 };
const WINDOW = [2_000_000, 2_500_000] as const;

function records(rows: readonly { t: number; len: number; ch?: number }[]): Records {
  const r = Records.empty(rawRecordDtype(), rows.length);
  rows.forEach((x, i) => {
    r.i64('time')[i] = BigInt(x.t);
    r.i32('length')[i] = x.len;
    r.i16('dt')[i] = 10;
    r.i16('channel')[i] = x.ch ?? i % 7;
  });
  return sortByTimeAndChannel(r);
}

const cutBoth = (r: Records, lookBack = 110 * 984) => ({
  post: cutOverlap(r, WINDOW, 'post', S, lookBack),
  pre: cutOverlap(r, WINDOW, 'pre', S, lookBack),
});

describe('cutOverlap', () => {
  it('quiet end: everything stays in the chunk before, cut 1 µs before the end', () => {
    const r = records([
      { t: 2_000_100, len: 50 },
      { t: 2_400_000, len: 110 },
    ]);
    const { post, pre } = cutBoth(r);
    expect(post.breakTime).toBe(2_499_000);
    expect(pre.breakTime).toBe(2_499_000);
    expect(post.rows.length).toBe(2);
    expect(pre.rows.length).toBe(0);
    expect(post.deadtime).toBeNull();
  });

  it('empty overlap: the same cut', () => {
    const { post, pre } = cutBoth(records([]));
    expect([post.breakTime, pre.breakTime, post.rows.length, pre.rows.length]).toEqual([
      2_499_000, 2_499_000, 0, 0,
    ]);
  });

  it('busy end: cut at the first record after a 1 µs gap (records of the chunk before may reach 1.1 µs in)', () => {
    const r = records([
      { t: 2_000_500, len: 110 }, // ends 2_001_600: not a gap yet (not_before = start + 1100)
      { t: 2_002_000, len: 110 }, // 400 ns after: no break
      { t: 2_003_100, len: 110 }, // ends 2_004_200
      { t: 2_005_200, len: 110 }, // exactly 1000 ns after 2_004_200: the break
      { t: 2_499_500, len: 10 },
    ]);
    const { post, pre } = cutBoth(r);
    expect(post.breakTime).toBe(2_005_200);
    expect(post.rows.length).toBe(3);
    expect(pre.rows.length).toBe(2);
  });

  it('no safe break: artificial deadtime as straxen (channel 799, dt 10, from 1.1 µs before the cut)', () => {
    // Back-to-back 1.1 µs records over the whole overlap, overlapping each other.
    const rows = [];
    for (let t = WINDOW[0]; t < WINDOW[1]; t += 1000) rows.push({ t, len: 110, ch: 3 });
    const r = records(rows);
    const { post, pre } = cutBoth(r);
    const cut = WINDOW[1] - 1000;
    expect(post.breakTime).toBe(cut);
    expect(pre.breakTime).toBe(cut);
    expect(post.deadtime).toEqual([cut - 1100, WINDOW[1]]);
    // pre: only the deadtime after the cut
    expect(pre.rows.length).toBe(1);
    expect(pre.rows.row(0)).toMatchObject({
      time: BigInt(cut),
      length: 100,
      dt: 10,
      channel: ARTIFICIAL_DEADTIME_CHANNEL,
    });
    // post: the records ending by the cut, plus the deadtime before it, sorted
    const kept = Array.from(endTimes(r)).filter((e) => e <= cut).length;
    expect(post.rows.length).toBe(kept + 1);
    const dead = post.rows.filter(
      Array.from(post.rows.i16('channel'), (c) => c === ARTIFICIAL_DEADTIME_CHANNEL),
    );
    expect(dead.row(0)).toMatchObject({ time: BigInt(cut - 1100), length: 110, dt: 10 });
    const t = startTimes(post.rows);
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThanOrEqual(t[i - 1]!);
    // Records across and after the cut are lost: that is the deadtime.
    expect(kept).toBeLessThan(r.length);
  });

  it('a single record reaching the end: no break (one record is never split off)', () => {
    const { post, pre } = cutBoth(records([{ t: 2_498_500, len: 100 }]));
    expect(post.deadtime).not.toBeNull();
    expect(pre.rows.row(0)).toMatchObject({ channel: ARTIFICIAL_DEADTIME_CHANNEL });
  });

  it('property: post and pre split the overlap at one time, each record on exactly one side', () => {
    const row = fc.record({
      t: fc.integer({ min: WINDOW[0], max: WINDOW[1] - 1 }).map((x) => x - (x % 10)),
      len: fc.integer({ min: 1, max: 110 }),
      ch: fc.integer({ min: 0, max: 493 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 300 }), (rows) => {
        const r = records(rows);
        const { post, pre } = cutBoth(r);
        expect(post.breakTime).toBe(pre.breakTime);
        const cut = post.breakTime;
        expect(cut).toBeGreaterThan(WINDOW[0]);
        expect(cut).toBeLessThan(WINDOW[1]);
        const postEnds = endTimes(post.rows);
        for (const e of postEnds) expect(e).toBeLessThanOrEqual(cut);
        for (const t of startTimes(pre.rows)) expect(t).toBeGreaterThanOrEqual(cut);
        if (post.deadtime === null) {
          // Nothing lost, nothing doubled: post is a prefix and pre the rest.
          expect(post.rows.length + pre.rows.length).toBe(r.length);
          const joined = Records.concat([post.rows, pre.rows]);
          expect(Buffer.from(joined.toBytes()).equals(Buffer.from(r.toBytes()))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
