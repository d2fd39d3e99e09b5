import { describe, expect, it } from 'vitest';
import { allocHits, type RecordArrays } from '../../src/kernels/hit-arrays.js';
import { allocPeaks } from '../../src/kernels/peak-arrays.js';
import { storeDownsampledWaveform, sumWaveform } from '../../src/kernels/sum-waveform.js';
import { findHitIntegrationBounds, integrateLoneHits } from '../../src/kernels/hit-integration.js';

const shape = { nChannels: 2, nSamples: 200, nWidths: 11, withDataTop: true, withDataStart: true };

function records(rows: { t: number; ch: number; data: number[]; baseline?: number }[]): RecordArrays {
  const n = rows.length,
    spr = 10;
  const r: RecordArrays = {
    n,
    samplesPerRecord: spr,
    time: new Float64Array(n),
    length: new Int32Array(n),
    dt: new Int16Array(n),
    channel: new Int16Array(n),
    baseline: new Float32Array(n),
    amplitudeBitShift: new Int16Array(n),
    data: new Int16Array(n * spr),
    area: new Int32Array(n),
  };
  rows.forEach((x, i) => {
    r.time[i] = x.t;
    r.length[i] = x.data.length;
    r.dt[i] = 10;
    r.channel[i] = x.ch;
    r.baseline[i] = x.baseline ?? 100.25;
    r.data.set(x.data, i * spr);
  });
  return r;
}

describe('sum waveform', () => {
  it('downsampling floors the length, sums blocks and drops the tail (L = 201 → 100 samples of 20 ns)', () => {
    const p = allocPeaks(shape, 1);
    p.length[0] = 201;
    p.dt[0] = 10;
    const buf = Float32Array.from({ length: 402 }, (_, i) => (i < 201 ? 1 : 0));
    storeDownsampledWaveform(p, 0, buf, true, true, buf);
    expect(p.length[0]).toBe(100);
    expect(p.dt[0]).toBe(20);
    expect(p.data[0]).toBe(2);
    expect(p.data[99]).toBe(2);
    expect(p.data[100]).toBe(0);
    expect(p.dataStart[199]).toBe(1);
  });

  it('sums hitlets in PE with the baseline fraction, per channel and top array, and flags saturation', () => {
    const r = records([
      { t: 0, ch: 0, data: [0, 5, 10, 5, 0] },
      { t: 20, ch: 1, data: [0, 100, 0], baseline: 100.5 }, // 100 reaches int(baseline): saturated
    ]);
    const h = allocHits(2);
    h.time.set([0, 20]);
    h.length.set([5, 3]);
    h.dt.set([10, 10]);
    h.channel.set([0, 1]);
    h.recordI.set([0, 1]);
    h.leftIntegration.set([0, 0]);
    h.rightIntegration.set([5, 3]);
    const p = allocPeaks(shape, 1);
    p.time[0] = 0;
    p.length[0] = 6;
    p.dt[0] = 10;
    const gains = Float64Array.of(0.5, 2);
    sumWaveform(p, { ...h, maxTime: h.maxTime }, r, Int32Array.of(-1, -1), Int32Array.of(-1, -1), gains, {
      nTopChannels: 1,
      storeDataTop: true,
      storeDataStart: false,
    });
    const a0 = [0.25, 5.25, 10.25, 5.25, 0.25].reduce((s, x) => s + x * 0.5, 0);
    const a1 = [0.5, 100.5, 0.5].reduce((s, x) => s + x * 2, 0);
    expect(p.areaPerChannel[0]).toBeCloseTo(a0, 5);
    expect(p.areaPerChannel[1]).toBeCloseTo(a1, 5);
    expect(p.area[0]).toBeCloseTo(a0 + a1, 4);
    expect(p.data[3]).toBeCloseTo(5.25 * 0.5 + 100.5 * 2, 4);
    expect(p.dataTop[3]).toBeCloseTo(5.25 * 0.5, 5);
    expect(Array.from(p.saturatedChannel.subarray(0, 2))).toEqual([0, 1]);
    expect(p.nSaturatedChannels[0]).toBe(1);
  });
});

describe('hit integration windows', () => {
  it('extend by (30, 200) ns, stop at excluded intervals, at the record, and at same-channel neighbours', () => {
    const r = records([{ t: 0, ch: 0, data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }]);
    const h = allocHits(2);
    h.time.set([40, 70]);
    h.length.set([1, 1]);
    h.dt.set([10, 10]);
    h.channel.set([0, 0]);
    h.recordI.set([0, 0]);
    h.left.set([4, 7]);
    h.right.set([5, 8]);
    integrateLoneHits(h, r, Float64Array.of(), Float64Array.of(), 30, 200, 1);
    expect(Array.from(h.leftIntegration)).toEqual([1, 7]);
    expect(Array.from(h.rightIntegration)).toEqual([7, 10]);
    expect(h.area[0]).toBeCloseTo(2 + 3 + 4 + 5 + 6 + 7 + 0.25 * 6, 5);
    const b = allocHits(1);
    b.time[0] = 40;
    b.length[0] = 1;
    b.dt[0] = 10;
    b.recordI[0] = 0;
    findHitIntegrationBounds(b, Float64Array.of(100), Float64Array.of(200), r, 30, 200, 1, true);
    expect([b.leftIntegration[0], b.rightIntegration[0]]).toEqual([1, 10]);
  });
});
