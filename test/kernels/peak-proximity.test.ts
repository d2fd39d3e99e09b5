import { describe, expect, it } from 'vitest';
import { peakProximity, type ProximityPeaks } from '../../src/kernels/peak-proximity.js';

const OPTS = {
  types: [2],
  minAreaFraction: 0.2,
  window: 10_000_000,
  exponents: [1, -1, 1] as [number, number, number],
  sigma: 20,
};

function peaks(rows: { t: number; area: number; x: number; y: number; type?: number }[]): ProximityPeaks {
  return {
    time: Float64Array.from(rows, (r) => r.t),
    endtime: Float64Array.from(rows, (r) => r.t + 1000),
    centerTime: Float64Array.from(rows, (r) => r.t + 500),
    area: Float32Array.from(rows, (r) => r.area),
    x: Float32Array.from(rows, (r) => r.x),
    y: Float32Array.from(rows, (r) => r.y),
    type: Int8Array.from(rows, (r) => r.type ?? 2),
  };
}

describe('peakProximity', () => {
  it('scores a small peak after a large S2 by area ratio / dt(ms) × half-Cauchy density', () => {
    const r = peakProximity(
      peaks([
        { t: 0, area: 1000, x: 0, y: 0 },
        { t: 2_000_000, area: 100, x: 3, y: 4 },
      ]),
      OPTS,
    );
    const sigma = 20 * Math.sqrt(1 / 1000 + 1 / 100);
    const pdf = 2 / (Math.PI * sigma * (1 + (5 / sigma) ** 2));
    expect(r.score[1]).toBe(Math.fround((1000 / 100 / 2) * pdf));
    // Nothing precedes the first peak.
    expect(r.score[0]).toBe(0);
  });
  it('gives +inf at zero distance, skips pairs without a position, and 0 for non-positive areas', () => {
    const r = peakProximity(
      peaks([
        { t: 0, area: 1000, x: 1, y: 1 },
        { t: 10_000, area: 500, x: NaN, y: 0 },
        { t: 1_000_000, area: 300, x: 1, y: 1 },
        { t: 2_000_000, area: 0, x: 5, y: 5 },
      ]),
      OPTS,
    );
    expect(r.score[1]).toBe(0);
    expect(r.score[2]).toBe(Infinity);
    expect(r.score[3]).toBe(0);
  });
  it('ignores peaks that are too small, too far or not of a counted type', () => {
    const r = peakProximity(
      peaks([
        { t: 0, area: 10, x: 0, y: 0 },
        { t: 1000, area: 5000, x: 0, y: 0, type: 1 },
        { t: 20_000_000, area: 1000, x: 0, y: 0 },
        { t: 21_000_000, area: 100, x: 1, y: 0 },
      ]),
      OPTS,
    );
    // Peak 3 sees only peak 2 (peak 0 is outside the window, peak 1 is an S1).
    expect(r.score[3]).toBeGreaterThan(0);
    expect(r.score[2]).toBe(0); // peak 0 is below 0.2 of its area
  });
  it('counts comparable S2s within the window, itself included', () => {
    const r = peakProximity(
      peaks([
        { t: 0, area: 100, x: 0, y: 0 },
        { t: 1_000_000, area: 15, x: 0, y: 0 },
        { t: 2_000_000, area: 100, x: 0, y: 0 },
        { t: 3_000_000, area: 50, x: 0, y: 0, type: 1 },
      ]),
      OPTS,
    );
    // The S1 (area 50, threshold 10) is not counted itself but sees all three S2s on its left.
    expect(Array.from(r.nCompetingLeft)).toEqual([0, 1, 1, 3]);
    expect(Array.from(r.nCompeting)).toEqual([2, 3, 2, 3]);
  });
  it('returns one row per peak, in input order, for input not sorted by center time', () => {
    const p = peaks([
      { t: 0, area: 1000, x: 0, y: 0 },
      { t: 100, area: 200, x: 1, y: 0 },
    ]);
    p.centerTime[0] = 900; // the first peak's center is after the second's
    const r = peakProximity(p, OPTS);
    // Peak 0 is centred after peak 1, which has exactly 20 % of its area: peak 1 counts for it.
    const sigma = 20 * Math.sqrt(1 / 200 + 1 / 1000);
    const pdf = 2 / (Math.PI * sigma * (1 + (1 / sigma) ** 2));
    expect(r.score[0]).toBe(Math.fround((0.2 / (300 / 1e6)) * pdf));
    expect(r.score[1]).toBe(0); // peak 0 is centred later: dt < 0
    // With unsorted center times the left/right split follows numpy's binary search.
    expect(Array.from(r.nCompetingLeft)).toEqual([1, 0]);
    expect(Array.from(r.nCompeting)).toEqual([1, 2]);
  });
});
