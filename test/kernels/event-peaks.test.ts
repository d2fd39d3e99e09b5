import { describe, expect, it } from 'vitest';
import { eventProperties, selectMainPeaks, type EventPeakColumns } from '../../src/kernels/event-peaks.js';

interface P {
  t: number;
  ct?: number;
  area: number;
  type: number;
  tc?: number;
}

function cols(rows: P[]): EventPeakColumns {
  return {
    time: Float64Array.from(rows, (r) => r.t),
    centerTime: Float64Array.from(rows, (r) => r.ct ?? r.t + 100),
    area: Float32Array.from(rows, (r) => r.area),
    type: Int8Array.from(rows, (r) => r.type),
    tightCoincidence: Int16Array.from(rows, (r) => r.tc ?? 3),
  };
}

const OPTS = {
  allowPostS2S1s: false,
  forceMainBeforeAlt: false,
  forceAltS2InMaxDriftTime: true,
  s1MinCoincidence: 2,
  driftTimeMax: 1000,
};

/** One event holding all rows. */
function one(rows: P[], opts = OPTS) {
  const c = cols(rows);
  const indices = Int32Array.from(rows.keys());
  const offsets = Int32Array.of(0, rows.length);
  const m = selectMainPeaks(c, indices, offsets, opts);
  return { m, p: eventProperties(c, indices, offsets, m) };
}

describe('selectMainPeaks', () => {
  it('takes the largest S1 before the main S2 and the largest S2s', () => {
    const { m, p } = one([
      { t: 0, area: 50, type: 1 },
      { t: 10, area: 80, type: 1 },
      { t: 500, area: 1000, type: 2 },
      { t: 700, area: 300, type: 2 },
      { t: 800, area: 90, type: 1 },
    ]);
    expect([m.s1[0], m.altS1[0], m.s2[0], m.altS2[0]]).toEqual([1, 0, 2, 3]);
    expect(p.driftTime[0]).toBe(490);
    expect(p.altS1Delay[0]).toBe(-10);
    expect(p.altS2Delay[0]).toBe(200);
    expect(p.altS2InteractionDriftTime[0]).toBe(690);
  });
  it('breaks area ties towards the later peak, and puts NaN areas first', () => {
    expect(
      one([
        { t: 0, area: 50, type: 1 },
        { t: 10, area: 50, type: 1 },
        { t: 100, area: 9, type: 2 },
      ]).m.s1[0],
    ).toBe(1);
    expect(
      one([
        { t: 0, area: 50, type: 2 },
        { t: 10, area: NaN, type: 2 },
      ]).m.s2[0],
    ).toBe(1);
  });
  it('needs tight coincidence for S1s and an alt S2 within 1.01 drift times of the main S1', () => {
    const { m } = one([
      { t: 0, area: 500, type: 1, tc: 1 },
      { t: 5, area: 40, type: 1 },
      { t: 200, area: 1000, type: 2 },
      { t: 2000, area: 900, type: 2 },
      { t: 900, area: 100, type: 2 },
    ]);
    expect(m.s1[0]).toBe(1);
    expect(m.altS1[0]).toBe(-1);
    expect([m.s2[0], m.altS2[0]]).toEqual([2, 4]);
  });
  it('without a main S1 keeps the two largest S2s but gives no drift quantities', () => {
    const { m, p } = one([
      { t: 0, area: 100, type: 2 },
      { t: 9000, area: 900, type: 2 },
    ]);
    expect([m.s1[0], m.s2[0], m.altS2[0]]).toEqual([-1, 1, 0]);
    expect(p.driftTime[0]).toBeNaN();
    expect(p.altS2Delay[0]).toBe(-1);
    expect(p.largeS2Before[0]).toBe(0);
    expect(p.areaBeforeMainS2[0]).toBe(100);
  });
  it('orders main and alt S2 by time only when asked', () => {
    const rows = [
      { t: 0, area: 10, type: 1 },
      { t: 100, area: 100, type: 2 },
      { t: 300, area: 900, type: 2 },
    ];
    expect(one(rows).m.s2[0]).toBe(2);
    expect(one(rows, { ...OPTS, forceMainBeforeAlt: true }).m.s2[0]).toBe(1);
  });
  it('sums S2 areas before the main S2 in float32 and finds the largest S2 on either side', () => {
    const { p } = one([
      { t: 0, area: 0.1, type: 2 },
      { t: 10, area: 0.2, type: 2 },
      { t: 20, area: 5, type: 1 },
      { t: 50, area: 100, type: 2 },
      { t: 80, area: 3, type: 2 },
      { t: 90, area: 7, type: 2 },
    ]);
    expect(p.areaBeforeMainS2[0]).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect([p.largeS2Before[0], p.largeS2After[0]]).toEqual([1, 5]);
  });
  it('refuses an event without peaks', () => {
    const c = cols([]);
    expect(() => selectMainPeaks(c, new Int32Array(0), Int32Array.of(0, 0), OPTS)).toThrow(/no peaks/);
  });
});
