import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findHits, type HitfinderInput } from '../../src/kernels/hitfinder.js';

// Times are float64 ns offsets from the kernels' base.
const T0 = 1_000_000;

function recs(
  rows: {
    data: number[];
    length?: number;
    channel?: number;
    time?: number;
    baseline?: number;
    rms?: number;
  }[],
  spr = 8,
): HitfinderInput {
  const n = rows.length;
  const r: HitfinderInput = {
    time: new Float64Array(n),
    length: new Int32Array(n),
    dt: new Int16Array(n),
    channel: new Int16Array(n),
    baseline: new Float32Array(n),
    baseline_rms: new Float32Array(n),
    data: new Int16Array(n * spr),
  };
  rows.forEach((row, i) => {
    r.time[i] = row.time ?? T0 + i * spr * 10;
    r.length[i] = row.length ?? row.data.length;
    r.dt[i] = 10;
    r.channel[i] = row.channel ?? 0;
    r.baseline[i] = row.baseline ?? 16000;
    r.baseline_rms[i] = row.rms ?? 2;
    (r.data as Int16Array).set(row.data, i * spr);
  });
  return r;
}

describe('findHits', () => {
  it('finds intervals at or above threshold, ending at the record end', () => {
    const r = recs([{ data: [0, 0, 15, 30, 30, 3, 16, 16], baseline: 16000.25 }]);
    const h = findHits(r, [15]);
    expect(Array.from(h.left)).toEqual([2, 6]);
    expect(Array.from(h.right)).toEqual([5, 8]);
    expect(Array.from(h.length)).toEqual([3, 2]);
    expect(Array.from(h.area)).toEqual([75 + 3 * 0.25, 32 + 2 * 0.25]);
    expect(Array.from(h.height)).toEqual([30.25, 16.25]);
    // first sample reaching the maximum
    expect(h.maxTime[0]).toBe(T0 + 30);
    expect(h.time[0]).toBe(T0 + 20);
    expect(h.time[1]).toBe(T0 + 60);
    expect(Array.from(h.threshold)).toEqual([15, 15]);
    expect(Array.from(h.recordI)).toEqual([0, 0]);
    expect(Array.from(h.leftIntegration)).toEqual([0, 0]);
  });

  it('ignores samples beyond length and never crosses records', () => {
    const r = recs([
      { data: [0, 0, 0, 0, 0, 20, 20, 20], length: 8 },
      { data: [20, 20, 0, 0, 0, 0, 50, 50], length: 4 },
    ]);
    const h = findHits(r, 15);
    expect(Array.from(h.recordI)).toEqual([0, 1]);
    expect(Array.from(h.left)).toEqual([5, 0]);
    expect(Array.from(h.right)).toEqual([8, 2]);
  });

  it('uses per-channel thresholds and baseline_rms * min_height_over_noise', () => {
    const r = recs([
      { data: [10, 0, 0, 0, 0, 0, 0, 0], channel: 0 },
      { data: [10, 0, 0, 0, 0, 0, 0, 0], channel: 1 },
      { data: [10, 0, 0, 0, 0, 0, 0, 0], channel: 2, rms: 6 },
    ]);
    const h = findHits(r, [10, 11, 5], [0, 0, 2]);
    expect(Array.from(h.recordI)).toEqual([0]);
    const h2 = findHits(r, 5, [0, 0, 1.5]);
    expect(Array.from(h2.recordI)).toEqual([0, 1, 2]);
    expect(h2.threshold[2]).toBe(9);
  });

  it('rejects channels without a threshold', () => {
    const r = recs([{ data: [0, 0, 0, 0, 0, 0, 0, 0], channel: 3 }]);
    expect(() => findHits(r, [15, 15])).toThrow(/channel 3/);
  });

  it('keeps every hit when there are many more than two per record (the buffer grows)', () => {
    // Four hits in each 8-sample record: twice the room the buffer starts with, grown twice.
    const rows = Array.from({ length: 300 }, (_, i) => ({
      data: [20, 0, 21, 0, 22, 0, 23, 0],
      channel: i % 3,
    }));
    const h = findHits(recs(rows), 15);
    expect(h.time.length).toBe(1200);
    for (let k = 0; k < 1200; k++) {
      expect(h.recordI[k]).toBe(Math.floor(k / 4));
      expect(h.left[k]).toBe(2 * (k % 4));
      expect(h.height[k]).toBe(20 + (k % 4));
      expect(h.channel[k]).toBe(Math.floor(k / 4) % 3);
    }
  });

  it('empty input gives no hits', () => {
    expect(findHits(recs([]), 15).time.length).toBe(0);
  });

  it('hits cover exactly the samples at or above threshold', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            data: fc.array(fc.integer({ min: -5, max: 40 }), { minLength: 8, maxLength: 8 }),
            length: fc.integer({ min: 0, max: 8 }),
          }),
          { maxLength: 20 },
        ),
        fc.integer({ min: 1, max: 30 }),
        (rows, thr) => {
          const r = recs(rows);
          const h = findHits(r, thr);
          let above = 0;
          rows.forEach((row) => {
            for (let i = 0; i < row.length; i++) if (row.data[i]! >= thr) above++;
          });
          let covered = 0;
          for (let k = 0; k < h.left.length; k++) {
            const ri = h.recordI[k]!;
            const row = rows[ri]!;
            for (let i = h.left[k]!; i < h.right[k]!; i++) expect(row.data[i]!).toBeGreaterThanOrEqual(thr);
            if (h.left[k]! > 0) expect(row.data[h.left[k]! - 1]!).toBeLessThan(thr);
            if (h.right[k]! < row.length) expect(row.data[h.right[k]!]!).toBeLessThan(thr);
            covered += h.length[k]!;
          }
          expect(covered).toBe(above);
        },
      ),
    );
  });
});
