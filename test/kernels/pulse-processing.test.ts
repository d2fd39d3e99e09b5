import { describe, expect, it } from 'vitest';
import {
  checkOverlaps,
  cutOutsideHits,
  recordLinks,
  roundHalfEven,
  rowsBelowChannel,
  zeroOutOfBounds,
  type RawRecordColumns,
} from '../../src/kernels/pulse-processing.js';
import { integrate, rawToRecords } from '../oracles/pulse-processing.js';

// Times are float64 ns offsets from the kernels' base.
const T0 = 1_000_000;
const SPR = 5;

function raw(
  rows: { t: number; ch?: number; ri?: number; len?: number; data?: number[] }[],
): RawRecordColumns {
  const n = rows.length;
  const r: RawRecordColumns = {
    time: new Float64Array(n),
    length: new Int32Array(n),
    dt: new Int16Array(n),
    channel: new Int16Array(n),
    pulse_length: new Int32Array(n),
    record_i: new Int16Array(n),
    baseline: new Int16Array(n),
    data: new Int16Array(n * SPR),
  };
  rows.forEach((x, i) => {
    r.time[i] = T0 + x.t;
    r.length[i] = x.len ?? SPR;
    r.dt[i] = 10;
    r.channel[i] = x.ch ?? 0;
    r.record_i[i] = x.ri ?? 0;
    r.pulse_length[i] = 12;
    r.baseline[i] = 16000;
    r.data.set(x.data ?? [1, 2, 3, 4, 5], i * SPR);
  });
  return r;
}

describe('pulse processing kernels', () => {
  it('roundHalfEven matches Python round', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 0, -2, 2, 3]);
  });

  it('rawToRecords copies shared fields and selects rows', () => {
    const rr = raw([
      { t: 0, ch: 1 },
      { t: 100, ch: 600 },
      { t: 200, ch: 2 },
    ]);
    const rows = rowsBelowChannel(rr.channel, 494);
    expect(Array.from(rows!)).toEqual([0, 2]);
    const r = rawToRecords(rr, rows);
    expect(Array.from(r.channel)).toEqual([1, 2]);
    expect(r.time[1]).toBe(T0 + 200);
    expect(Array.from(r.baseline)).toEqual([16000, 16000]);
    expect(r.data.length).toBe(2 * SPR);
    expect(rowsBelowChannel(rr.channel, 1000)).toBeUndefined();
  });

  it('zeroOutOfBounds and integrate (half-to-even rounding of the baseline fraction)', () => {
    const r = rawToRecords(
      raw([
        { t: 0, len: 3 },
        { t: 50, len: 1 },
      ]),
    );
    zeroOutOfBounds(r.length, r.data);
    expect(Array.from(r.data)).toEqual([1, 2, 3, 0, 0, 1, 0, 0, 0, 0]);
    r.baseline[0] = 16000.5;
    r.baseline[1] = 16000.5;
    integrate(r);
    // 6 + round(1.5) = 8; 1 + round(0.5) = 1
    expect(Array.from(r.area)).toEqual([8, 1]);
    r.amplitude_bit_shift[0] = 1;
    integrate(r);
    expect(r.area[0]).toBe(14);
  });

  it('recordLinks joins consecutive fragments of a pulse per channel', () => {
    const rr = raw([
      { t: 0, ch: 0 },
      { t: 10, ch: 1 },
      { t: 50, ch: 0, ri: 1 },
      { t: 60, ch: 1, ri: 1 },
      { t: 100, ch: 0, ri: 2 },
      { t: 300, ch: 1, ri: 1 },
    ]);
    const { previous, next } = recordLinks(rr, SPR);
    expect(Array.from(previous)).toEqual([-1, -1, 0, 1, 2, -1]);
    expect(Array.from(next)).toEqual([2, 3, 4, -1, -1, -1]);
  });

  it('cutOutsideHits keeps extended windows, crossing into neighbouring fragments', () => {
    const rr = raw([
      { t: 0, data: [1, 2, 3, 4, 5] },
      { t: 50, ri: 1, data: [6, 7, 8, 9, 10] },
      { t: 100, ri: 2, len: 2, data: [11, 12, 0, 0, 0] },
    ]);
    // hit at samples [0,1) of record 1, left ext 2 → last 2 samples of record 0; right ext 6 → 2 samples of record 2
    const out = cutOutsideHits(
      rr,
      { left: Int16Array.of(0), right: Int16Array.of(1), recordI: Int32Array.of(1) },
      2,
      6,
    );
    expect(Array.from(out)).toEqual([0, 0, 0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0]);
    const none = cutOutsideHits(
      rr,
      { left: Int16Array.of(2), right: Int16Array.of(3), recordI: Int32Array.of(0) },
      0,
      0,
    );
    expect(Array.from(none)).toEqual([0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('checkOverlaps rejects a pulse starting before the previous one of its channel ended', () => {
    expect(() => checkOverlaps(raw([{ t: 0 }, { t: 50 }, { t: 20, ch: 1 }]))).not.toThrow();
    expect(() => checkOverlaps(raw([{ t: 0 }, { t: 49 }]))).toThrow(/channel 0/);
  });
});

describe('cutOutsideHits in any hit order', () => {
  for (const sorted of [false, true])
    it(`keeps the union of all windows whatever the order of hits (property${sorted ? ', hits in find_hits order' : ''})`, async () => {
      const fc = (await import('fast-check')).default;
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              rec: fc.integer({ min: 0, max: 2 }),
              left: fc.integer({ min: 0, max: 4 }),
              w: fc.integer({ min: 1, max: 3 }),
            }),
            { maxLength: 12 },
          ),
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 0, max: 7 }),
          (unsorted, le, re) => {
            // find_hits' order (by record, then left) takes cutOutsideHitsInPlace's run-by-run path
            const hs = sorted ? [...unsorted].sort((a, b) => a.rec - b.rec || a.left - b.left) : unsorted;
            const rr = raw([
              { t: 0, data: [1, 2, 3, 4, 5] },
              { t: 50, ri: 1, data: [6, 7, 8, 9, 10] },
              { t: 100, ri: 2, len: 4, data: [11, 12, 13, 14, 0] },
            ]);
            const hits = {
              left: Int16Array.from(hs.map((h) => h.left)),
              right: Int16Array.from(hs.map((h) => Math.min(h.left + h.w, 5))),
              recordI: Int32Array.from(hs.map((h) => h.rec)),
            };
            const got = cutOutsideHits(rr, hits, le, re);
            // brute force: a sample (record r, index k) is kept if some hit's window covers it
            const want = new Int16Array(15);
            const lens = [5, 5, 4];
            hs.forEach((h, i) => {
              const s = h.left - le,
                e = hits.right[i]! + re;
              for (let g = h.rec * 5 + s; g < h.rec * 5 + e; g++) {
                const r = Math.floor(g / 5),
                  k = g - r * 5;
                if (r < 0 || r > 2 || Math.abs(r - h.rec) > 1) continue;
                if (r === h.rec && k >= lens[r]!) continue;
                want[g] = rr.data[g]!;
              }
            });
            expect(Array.from(got)).toEqual(Array.from(want));
          },
        ),
      );
    });
});
