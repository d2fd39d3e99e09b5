import { describe, expect, it } from 'vitest';
import { allocPeaks } from '../../src/kernels/peak-arrays.js';
import {
  argmaxF64,
  gofScratch,
  interp,
  naturalBreaksGof,
  naturalBreaksThreshold,
  symmetricMovingAverage,
} from '../../src/kernels/peak-splitting.js';

describe('natural breaks', () => {
  it("moving average keeps strax's quirk: sample 0 never leaves the window", () => {
    const out = new Float32Array(5);
    symmetricMovingAverage(Float32Array.of(1, 2, 3, 4, 5), 0, 5, 1, out);
    expect(Array.from(out)).toEqual([1.5, 2, 2.5, 3.25, Math.fround(10 / 3)]);
  });

  it('goodness of split is ~1 between two separated blobs and low inside one blob', () => {
    const w = new Float32Array(40);
    for (let i = 5; i < 10; i++) w[i] = 10;
    for (let i = 30; i < 35; i++) w[i] = 10;
    const gof = new Float64Array(40);
    naturalBreaksGof(w, 0, 40, 10, false, 0, gof, gofScratch(40));
    const m = argmaxF64(gof, 40);
    expect(m).toBeGreaterThanOrEqual(10);
    expect(m).toBeLessThanOrEqual(30);
    expect(gof[m]!).toBeGreaterThan(0.9);
    const one = new Float32Array(20);
    for (let i = 5; i < 15; i++) one[i] = 10 - Math.abs(i - 10);
    naturalBreaksGof(one, 0, 20, 10, true, 70, gof, gofScratch(20));
    expect(gof[argmaxF64(gof, 20)]!).toBeLessThan(0.5);
  });

  it('split_low damps the goodness of split at the waveform maximum to zero', () => {
    const w = Float32Array.from({ length: 30 }, (_, i) => (i < 15 ? i : 30 - i));
    const gof = new Float64Array(30);
    naturalBreaksGof(w, 0, 30, 40, true, 70, gof, gofScratch(30)); // 70 // 40 - 1 = 0: no filter
    expect(gof[15]).toBe(0);
  });

  it('argmax returns the first maximum, and the first NaN like numpy', () => {
    expect(argmaxF64(Float64Array.of(1, 3, 3, 2), 4)).toBe(1);
    expect(argmaxF64(Float64Array.of(1, NaN, 5, NaN), 4)).toBe(1);
  });

  it('interp clamps outside the table and interpolates linearly inside (numpy.interp)', () => {
    expect(interp(0, [0.5, 6], [1, 0.4])).toBe(1);
    expect(interp(7, [0.5, 6], [1, 0.4])).toBe(0.4);
    expect(interp(6, [0.5, 6], [1, 0.4])).toBe(0.4);
    expect(interp(3.25, [0.5, 6], [1, 0.4])).toBeCloseTo(0.7, 12);
    expect(interp(NaN, [0, 1], [0, 1])).toBeNaN();
  });

  it('threshold follows the S1 curve for fast peaks and the S2 curve for slow ones', () => {
    const p = allocPeaks(
      { nChannels: 2, nSamples: 200, nWidths: 11, withDataTop: false, withDataStart: false },
      2,
    );
    p.area.set([1000, 1000]);
    p.areaDecileFromMidpoint[1] = -1; // rise time 1 ns: S1-like
    p.areaDecileFromMidpoint[11 + 1] = -100000; // very slow: S2-like
    const thr = naturalBreaksThreshold(
      p,
      [
        [0.5, 1.0],
        [6.0, 0.4],
      ],
      [
        [2.5, 1.0],
        [5.625, 0.4],
      ],
    );
    expect(thr[0]).toBeCloseTo(interp(3, [0.5, 6], [1, 0.4]), 6);
    expect(thr[1]).toBeCloseTo(interp(3, [2.5, 5.625], [1, 0.4]), 6);
  });
});
