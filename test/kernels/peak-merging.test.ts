import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocPeaks, type PeakArrays } from '../../src/kernels/peak-arrays.js';
import {
  addLoneHits,
  gcdOf,
  mergePeaks,
  replaceMergedPlan,
  type LoneHitArrays,
} from '../../src/kernels/peak-merging.js';

const SHAPE = { nChannels: 3, nSamples: 200, nWidths: 11, withDataTop: false, withDataStart: false };

/** Disjoint peaks: [gap to the previous end, length, dt, samples value]. */
function peaks(spec: readonly (readonly [number, number, number, number])[]): PeakArrays {
  const p = allocPeaks(SHAPE, spec.length);
  let t = 0;
  spec.forEach(([gap, len, dt, v], i) => {
    t += gap;
    p.time[i] = t;
    p.length[i] = len;
    p.dt[i] = dt;
    p.channel[i] = -1;
    for (let s = 0; s < len; s++) p.data[i * 200 + s] = v;
    p.area[i] = Math.fround(len * v);
    p.areaPerChannel[i * 3 + (i % 3)] = p.area[i]!;
    p.nHits[i] = i + 1;
    p.maxDiff[i] = -1;
    p.minDiff[i] = 5 + i;
    p.tightCoincidence[i] = 10 + i;
    p.firstChannel[i] = i;
    p.lastChannel[i] = 100 + i;
    t += len * dt;
  });
  return p;
}

const hits = (rows: [number, number, number, number][]): LoneHitArrays => ({
  n: rows.length,
  time: Float64Array.from(rows, (r) => r[0]),
  length: Int32Array.from(rows, (r) => r[1]),
  dt: Int16Array.from(rows, () => 10),
  channel: Int16Array.from(rows, (r) => r[2]),
  area: Float32Array.from(rows, (r) => r[3]),
});

describe('merge_peaks', () => {
  it("keeps the waveform (zeros in gaps), sums areas and takes the brightest member's coincidence", () => {
    const p = peaks([
      [0, 3, 10, 1],
      [20, 2, 10, 4],
      [10, 4, 10, 2],
    ]);
    const m = mergePeaks(p, [0], [3], 3000);
    expect(m.n).toBe(1);
    expect(m.time[0]).toBe(0);
    expect(m.dt[0]).toBe(10);
    expect(m.length[0]).toBe(3 + 2 + 2 + 1 + 4);
    expect(Array.from(m.data.subarray(0, 12))).toEqual([1, 1, 1, 0, 0, 4, 4, 0, 2, 2, 2, 2]);
    expect(m.area[0]).toBe(3 + 8 + 8);
    expect(Array.from(m.areaPerChannel.subarray(0, 3))).toEqual([3, 8, 8]);
    expect(m.nHits[0]).toBe(6);
    expect(m.tightCoincidence[0]).toBe(11);
    expect(m.maxDiff[0]).toBe(0); // starts at 0, so members' −1 never shows
    expect(m.minDiff[0]).toBe(5);
    expect(m.maxGap[0]).toBe(-1);
    expect(Number.isNaN(m.maxGoodnessOfSplit[0]!)).toBe(true);
    expect([m.firstChannel[0], m.lastChannel[0]]).toEqual([0, 102]);
  });

  it('upsamples coarser members to the common dt and downsamples beyond 200 samples', () => {
    const p = peaks([
      [0, 150, 10, 1],
      [100, 50, 20, 2],
    ]);
    const m = mergePeaks(p, [0], [2], 3000);
    // span 150·10 + 100 + 50·20 = 2600 ns = 260 samples of 10 ns → factor 2, 130 samples of 20 ns
    expect(m.dt[0]).toBe(20);
    expect(m.length[0]).toBe(130);
    expect(m.data[0]).toBe(2); // two 10-ns samples of 1
    expect(m.data[129]).toBe(2); // two 10-ns halves (1 each) of a 20-ns sample of 2
    expect(gcdOf(Int32Array.from([20, 30, 50]))).toBe(10);
  });

  it('conserves area and never lengthens the group (property)', () => {
    const spec = fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom(10, 20, 30),
        fc.integer({ min: 0, max: 50 }),
      ),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(spec, (s) => {
        const p = peaks(s);
        const m = mergePeaks(p, [0], [p.n], 100000);
        let area = 0;
        for (let i = 0; i < p.n; i++) area = Math.fround(area + p.area[i]!);
        const end = p.time[p.n - 1]! + p.length[p.n - 1]! * p.dt[p.n - 1]!;
        return m.area[0] === area && m.time[0]! + m.length[0]! * m.dt[0]! <= end && m.length[0]! <= 200;
      }),
    );
  });

  it('refuses overlapping peaks and waveforms beyond the buffer', () => {
    const p = peaks([
      [0, 10, 10, 1],
      [0, 10, 10, 1],
    ]);
    p.time[1] = 50;
    expect(() => mergePeaks(p, [0], [2], 3000)).toThrow(/overlap/);
    expect(() =>
      mergePeaks(
        peaks([
          [0, 100, 10, 1],
          [0, 100, 10, 1],
        ]),
        [0],
        [2],
        150,
      ),
    ).toThrow(/buffer/);
  });
});

describe('add_lone_hits', () => {
  it('adds only fully contained hits, as a delta at their first sample', () => {
    const p = peaks([
      [0, 10, 10, 1],
      [1000, 10, 10, 1],
    ]);
    const gains = [2, 3, 0.5];
    // peaks cover [0, 100) and [1100, 1200); the third and fifth hits stick out
    addLoneHits(
      p,
      hits([
        [15, 3, 1, 7],
        [85, 1, 0, 1],
        [95, 3, 2, 4],
        [1150, 2, 2, 8],
        [1195, 1, 2, 8],
      ]),
      gains,
      -1,
      false,
      false,
    );
    expect(p.area[0]).toBe(10 + 21 + 2);
    expect(p.data[1]).toBe(1 + 21);
    expect(p.data[8]).toBe(1 + 2);
    expect(p.areaPerChannel[1]).toBe(21);
    expect(p.area[1]).toBe(10 + 4);
    expect(p.data[200 + 5]).toBe(1 + 4);
  });

  it('requires time-sorted inputs', () => {
    const p = peaks([[0, 10, 10, 1]]);
    expect(() =>
      addLoneHits(
        p,
        hits([
          [50, 1, 0, 1],
          [10, 1, 0, 1],
        ]),
        [1, 1, 1],
        -1,
        false,
        false,
      ),
    ).toThrow(/sorted/);
  });
});

describe('replace_merged plan', () => {
  it('drops peaklets touching a merged peak and puts the merged peak in their place', () => {
    const os = Float64Array.from([0, 100, 200, 300, 400]),
      oe = Float64Array.from([50, 150, 250, 350, 450]);
    const plan = replaceMergedPlan(
      os,
      oe,
      5,
      Float64Array.from([100, 400]),
      Float64Array.from([250, 450]),
      2,
    );
    expect(Array.from(plan)).toEqual([0, -1, 3, -2]);
    expect(Array.from(replaceMergedPlan(os, oe, 5, new Float64Array(0), new Float64Array(0), 0))).toEqual([
      0, 1, 2, 3, 4,
    ]);
  });
});
