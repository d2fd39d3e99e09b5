// Saturation correction on hand-made records: two channels that do not saturate give the pulse
// shape; a third channel's pulse rises on that same shape times a known factor and is clipped
// where its ADC reached zero (the baselined data reaching the integer baseline). The expected
// waveform is the unclipped pulse, written down here from that construction, not from the kernel:
// straxen's rule (reference = up to 100 samples before the first clipped sample, scale = sum of
// the channel over the sum of the others there, samples from the first clipped one on replaced by
// the scaled model, truncated; a record whose apex no longer fits int16 is bit-shifted) gives it back.

import { describe, expect, it } from 'vitest';
import { allocHits, type HitletArrays, type RecordArrays } from '../../src/kernels/hit-arrays.js';
import { allocPeaks, type PeakArrays } from '../../src/kernels/peak-arrays.js';
import { peakSaturationCorrection } from '../../src/kernels/saturation.js';

const DT = 10;
const SPR = 30; // samples per record; each channel has two records covering the 60-sample peak
const N = 60;
const OPTIONS = {
  referenceLength: 100,
  minReferenceLength: 20,
  sum: { nTopChannels: 1, storeDataTop: false, storeDataStart: false },
};

/** The non-saturating channels: ADC per sample, and their gains (PE/ADC). */
const A0 = (k: number): number => 20 + 10 * k;
const A1 = (k: number): number => 10 + 4 * k;
const GAINS_OK = [0.5, 1.0];
/** Their sum in PE: 10 + 5k + 10 + 4k. */
const model = (k: number): number => 20 + 9 * k;

interface Scene {
  records: RecordArrays;
  peaks: PeakArrays;
  hitlets: HitletArrays;
  gains: Float64Array;
  /** The saturating channel's true (unclipped) ADC samples. */
  truth: number[];
  /** Index of its first clipped sample. */
  s0: number;
}

/** Channel 2 sees factor × model(k) ADC, clipped at trunc(baseline). */
function scene(factor: number, baseline: number, gain: number, peak = { length: N, dt: DT }): Scene {
  const truth = Array.from({ length: N }, (_, k) => factor * model(k));
  const clip = Math.trunc(baseline);
  const s0 = truth.findIndex((v) => v >= clip);
  const wave: Record<number, number[]> = {
    0: Array.from({ length: N }, (_, k) => A0(k)),
    1: Array.from({ length: N }, (_, k) => A1(k)),
    2: truth.map((v) => Math.min(v, clip)),
  };
  const n = 6;
  const records: RecordArrays = {
    n,
    samplesPerRecord: SPR,
    time: new Float64Array(n),
    length: new Int32Array(n),
    dt: new Int16Array(n),
    channel: new Int16Array(n),
    baseline: new Float32Array(n),
    amplitudeBitShift: new Int16Array(n),
    data: new Int16Array(n * SPR),
    area: new Int32Array(n),
  };
  const hitlets = allocHits(n);
  let j = 0;
  for (const part of [0, 1]) {
    for (const ch of [0, 1, 2]) {
      const samples = wave[ch]!.slice(part * SPR, (part + 1) * SPR);
      records.time[j] = part * SPR * DT;
      records.length[j] = SPR;
      records.dt[j] = DT;
      records.channel[j] = ch;
      records.baseline[j] = ch === 2 ? baseline : 16000;
      records.data.set(samples, j * SPR);
      records.area[j] = samples.reduce((a, b) => a + b, 0);
      // One hitlet per record, over all of it.
      hitlets.time[j] = records.time[j]!;
      hitlets.length[j] = SPR;
      hitlets.dt[j] = DT;
      hitlets.channel[j] = ch;
      hitlets.recordI[j] = j;
      hitlets.leftIntegration[j] = 0;
      hitlets.rightIntegration[j] = SPR;
      j++;
    }
  }
  const peaks = allocPeaks(
    { nChannels: 3, nSamples: 200, nWidths: 11, withDataTop: false, withDataStart: false },
    1,
  );
  peaks.time[0] = 0;
  peaks.length[0] = peak.length;
  peaks.dt[0] = peak.dt;
  peaks.channel[0] = -1;
  peaks.saturatedChannel[2] = 1;
  peaks.nSaturatedChannels[0] = 1;
  return { records, peaks, hitlets, gains: Float64Array.of(...GAINS_OK, gain), truth, s0 };
}

function correct(s: Scene): Int32Array | null {
  const none = new Int32Array(s.records.n).fill(-1);
  return peakSaturationCorrection(s.records, none, none, s.peaks, s.hitlets, s.gains, OPTIONS);
}

/** Channel 2's samples, both records joined. */
const channel2 = (r: RecordArrays): number[] => [
  ...r.data.subarray(2 * SPR, 3 * SPR),
  ...r.data.subarray(5 * SPR, 6 * SPR),
];

describe('peak saturation correction', () => {
  it('rebuilds the clipped samples as the scaled pulse shape, in its records and in the peak', () => {
    // factor 2, clipped at 700: 40 + 18k reaches 700 at k = 37, so 37 reference samples.
    // The peak arrives downsampled (30 samples of 20 ns) and is rebuilt at 10 ns.
    const s = scene(2, 700.5, 0.25, { length: 30, dt: 20 });
    expect(s.s0).toBe(37);
    const before = channel2(s.records);
    expect(before.slice(37).every((v) => v === 700)).toBe(true);

    expect(Array.from(correct(s)!)).toEqual([0]);
    expect(channel2(s.records)).toEqual(s.truth);
    // Each record's area is the sum of its (new) samples; the first record had nothing clipped.
    expect(s.records.area[2]).toBe(s.truth.slice(0, 30).reduce((a, b) => a + b, 0));
    expect(s.records.area[5]).toBe(s.truth.slice(30).reduce((a, b) => a + b, 0));
    expect([s.records.amplitudeBitShift[2], s.records.amplitudeBitShift[5]]).toEqual([0, 0]);
    // The other channels are untouched.
    expect(Array.from(s.records.data.subarray(0, 3))).toEqual([A0(0), A0(1), A0(2)]);

    expect([s.peaks.length[0], s.peaks.dt[0]]).toEqual([60, 10]);
    // Per sample in PE: data plus the baseline's fraction, times the gain.
    const pe = (v: number, gain: number, frac: number) => (v + frac) * gain;
    const ch2 = s.truth.reduce((a, v) => a + pe(v, 0.25, 0.5), 0);
    expect(s.peaks.areaPerChannel[2]).toBeCloseTo(ch2, 2);
    const ch0 = Array.from({ length: N }, (_, k) => pe(A0(k), 0.5, 0)).reduce((a, b) => a + b, 0);
    const ch1 = Array.from({ length: N }, (_, k) => pe(A1(k), 1, 0)).reduce((a, b) => a + b, 0);
    expect(s.peaks.area[0]).toBeCloseTo(ch0 + ch1 + ch2, 1);
    expect(s.peaks.data[45]).toBeCloseTo(
      pe(A0(45), 0.5, 0) + pe(A1(45), 1, 0) + pe(s.truth[45]!, 0.25, 0.5),
      3,
    );
  });

  it('bit-shifts a record whose rebuilt apex passes int16, keeping its full area', () => {
    // factor 60, clipped at 16000: 1200 + 540k reaches 16000 at k = 28; the second record's apex,
    // 60 × model(59) = 33060, needs one bit of shift (floor(log2(33060) - 14) = 1).
    const s = scene(60, 16000.25, 0.01);
    expect(s.s0).toBe(28);
    correct(s);
    const [first, second] = [s.truth.slice(0, 30), s.truth.slice(30)];
    expect(Array.from(s.records.data.subarray(2 * SPR, 3 * SPR))).toEqual(first);
    expect(s.records.amplitudeBitShift[2]).toBe(0);
    expect(s.records.area[2]).toBe(first.reduce((a, b) => a + b, 0));
    expect(Array.from(s.records.data.subarray(5 * SPR, 6 * SPR))).toEqual(second.map((v) => v >> 1));
    expect(s.records.amplitudeBitShift[5]).toBe(1);
    expect(s.records.area[5]).toBe(second.reduce((a, b) => a + b, 0));
    // The peak reads the shifted record back at twice its stored values.
    const want =
      first.reduce((a, v) => a + (v + 0.25) * 0.01, 0) +
      second.reduce((a, v) => a + (2 * (v >> 1) + 0.25) * 0.01, 0);
    expect(s.peaks.areaPerChannel[2]).toBeCloseTo(want, 2);
  });

  it('leaves a pulse alone when too few reference samples precede the clipping (an S1)', () => {
    // factor 2, clipped at 300: 40 + 18k reaches 300 at k = 15 < 20 reference samples.
    const s = scene(2, 300.5, 0.25);
    expect(s.s0).toBe(15);
    const before = channel2(s.records);
    expect(Array.from(correct(s)!)).toEqual([0]);
    expect(channel2(s.records)).toEqual(before);
  });

  it('leaves a pulse alone when its own reference samples are below 1 PE (the model alone does not do)', () => {
    // gain 0.001: 2 × model(k) × 0.001 stays below 1 PE before the clipping; the model is above.
    const s = scene(2, 700.5, 0.001);
    const before = channel2(s.records);
    correct(s);
    expect(channel2(s.records)).toEqual(before);
  });

  it('leaves a pulse alone when it carries more PE than the other channels before the clipping', () => {
    // factor 2 with gain 1: the channel has twice the PE of the model in the reference region.
    const s = scene(2, 700.5, 1);
    const before = channel2(s.records);
    correct(s);
    expect(channel2(s.records)).toEqual(before);
  });

  it('does nothing without saturated channels, and says so with an empty list', () => {
    const s = scene(2, 700.5, 0.25);
    s.peaks.nSaturatedChannels[0] = 0;
    const before = channel2(s.records);
    expect(Array.from(correct(s)!)).toEqual([]);
    expect(channel2(s.records)).toEqual(before);
    expect([s.peaks.length[0], s.peaks.dt[0]]).toEqual([N, DT]);
  });
});
