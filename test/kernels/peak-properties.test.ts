import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocPeaks } from '../../src/kernels/peak-arrays.js';
import { computeProperties, desiredFractions } from '../../src/kernels/peak-properties.js';

const shape = { nChannels: 4, nSamples: 200, nWidths: 11, withDataTop: false, withDataStart: false };

describe('peak properties', () => {
  it('the 21 area fractions are the exact float64 values numpy makes', () => {
    expect(Array.from(desiredFractions(11))).toEqual([
      0.0, 0.04999999999999999, 0.09999999999999998, 0.14999999999999997, 0.19999999999999996, 0.25, 0.3,
      0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.8500000000000001, 0.9, 0.95, 1.0,
    ]);
  });

  it('a flat waveform has its median in the middle and widths proportional to the fraction', () => {
    const p = allocPeaks(shape, 1);
    p.length[0] = 100;
    p.dt[0] = 10;
    p.time[0] = 1000;
    p.data.fill(1, 0, 100);
    p.area[0] = 100;
    p.areaPerChannel.set([30, 20, 25, 25]);
    computeProperties(p, 2);
    expect(p.medianTime[0]).toBe(500);
    expect(p.width[10]).toBe(1000);
    expect(p.width[5]).toBe(500);
    expect(p.areaDecileFromMidpoint[0]).toBe(-500);
    expect(p.centerTime[0]).toBe(1000 + Math.trunc((49.5 + 0.5) * 10));
    expect(p.areaFractionTop[0]).toBe(Math.fround(0.5));
  });

  it('non-positive area gives zero widths and NaN top fraction; empty data centre at the start', () => {
    const p = allocPeaks(shape, 1);
    p.length[0] = 10;
    p.dt[0] = 10;
    p.time[0] = 50;
    computeProperties(p, 2);
    expect(Array.from(p.width.subarray(0, 11))).toEqual(new Array(11).fill(0));
    expect(p.areaFractionTop[0]).toBeNaN();
    expect(p.centerTime[0]).toBe(50);
  });

  it('widths grow with the fraction and the centre stays inside the peak', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (w) => {
          const p = allocPeaks(shape, 1);
          p.length[0] = w.length;
          p.dt[0] = 10;
          p.time[0] = 0;
          p.data.set(w);
          p.area[0] = w.reduce((s, x) => Math.fround(s + x), 0);
          computeProperties(p, 0);
          for (let j = 1; j < 11; j++) expect(p.width[j]!).toBeGreaterThanOrEqual(p.width[j - 1]! - 1e-3);
          expect(p.centerTime[0]!).toBeGreaterThanOrEqual(0);
          expect(p.centerTime[0]!).toBeLessThanOrEqual(w.length * 10);
        },
      ),
      { numRuns: 200 },
    );
  });
});
