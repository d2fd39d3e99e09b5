import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocHits, type HitArrays } from '../../src/kernels/hit-arrays.js';
import { clipTimes, findPeaks } from '../../src/kernels/peak-building.js';

const SHAPE = { nChannels: 8, nSamples: 200, nWidths: 11, withDataTop: false, withDataStart: false };
const OPTS = {
  gapThreshold: 700,
  leftExtension: 30,
  rightExtension: 200,
  minArea: 0,
  minChannels: 2,
  maxDuration: 10_000_000,
};

function hitsFrom(rows: { t: number; len: number; ch: number; area: number }[]): HitArrays {
  const sorted = [...rows].sort((a, b) => a.t - b.t || a.ch - b.ch);
  const h = allocHits(sorted.length);
  sorted.forEach((r, i) => {
    h.time[i] = r.t;
    h.length[i] = r.len;
    h.dt[i] = 10;
    h.channel[i] = r.ch;
    h.area[i] = r.area;
  });
  return h;
}

/** Reference clustering: split where the next hit starts >= gap after the running end. */
function clusters(h: HitArrays): number[][] {
  const out: number[][] = [];
  let end = -Infinity;
  for (let i = 0; i < h.n; i++) {
    if (out.length === 0 || h.time[i]! - end >= OPTS.gapThreshold) out.push([]);
    out[out.length - 1]!.push(i);
    end = Math.max(out[out.length - 1]!.length === 1 ? -Infinity : end, h.time[i]! + 10 * h.length[i]!);
  }
  return out;
}

const hitRows = fc.array(
  fc.record({
    t: fc.integer({ min: 0, max: 400 }).map((x) => x * 10),
    len: fc.integer({ min: 1, max: 5 }),
    ch: fc.integer({ min: 0, max: 7 }),
    area: fc.integer({ min: 1, max: 200 }),
  }),
  { maxLength: 60 },
);

describe('find_peaks', () => {
  it('makes one peak per gap-separated cluster with at least two channels, covering its hits', () => {
    fc.assert(
      fc.property(
        hitRows.map((rows) => rows.map((r, i) => ({ ...r, t: r.t + 1000 * Math.floor(i / 3) }))),
        (rows) => {
          const h = hitsFrom(rows);
          const gains = new Float64Array(8).fill(0.5);
          const p = findPeaks(h, gains, SHAPE, OPTS);
          const want = clusters(h).filter((c) => new Set(c.map((i) => h.channel[i])).size >= 2);
          expect(p.n).toBe(want.length);
          want.forEach((c, k) => {
            const t0 = Math.min(...c.map((i) => h.time[i]!));
            const t1 = Math.max(...c.map((i) => h.time[i]! + 10 * h.length[i]!));
            expect(p.time[k]).toBe(t0 - 30);
            expect(p.length[k]).toBe((t1 - t0 + 230) / 10);
            expect(p.nHits[k]).toBe(c.length);
            expect(p.channel[k]).toBe(-1);
            const area = c.reduce((s, i) => s + h.area[i]! * 0.5, 0);
            expect(p.area[k]).toBeCloseTo(area, 3);
            let apc = 0;
            for (let ch = 0; ch < 8; ch++) apc += p.areaPerChannel[k * 8 + ch]!;
            expect(apc).toBeCloseTo(area, 3);
          });
          for (let k = 1; k < p.n; k++)
            expect(p.time[k]!).toBeGreaterThanOrEqual(p.time[k - 1]! + p.length[k - 1]! * 10);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps every peak when a chunk has more than fit at first (the arrays grow)', () => {
    // 500 two-channel clusters far apart: 500 peaks, past the first 64 rows and several growths.
    const rows = Array.from({ length: 500 }, (_, i) => [
      { t: i * 10_000, len: 2, ch: 1, area: 10 },
      { t: i * 10_000 + 10, len: 2, ch: 2, area: 20 },
    ]).flat();
    const p = findPeaks(hitsFrom(rows), new Float64Array(8).fill(1), SHAPE, OPTS);
    expect(p.n).toBe(500);
    for (let i = 0; i < 500; i++) {
      expect(p.time[i]).toBe(i * 10_000 - OPTS.leftExtension);
      expect(p.nHits[i]).toBe(2);
      expect(p.area[i]).toBe(30);
      expect(p.areaPerChannel[i * 8 + 1]).toBe(10);
      expect(p.areaPerChannel[i * 8 + 2]).toBe(20);
    }
  });

  it('a new peak starts at a gap of exactly the threshold (>=), not one below', () => {
    const gains = new Float64Array(8).fill(1);
    const mk = (gap: number) =>
      hitsFrom([
        { t: 0, len: 1, ch: 0, area: 10 },
        { t: 0, len: 1, ch: 1, area: 10 },
        { t: 10 + gap, len: 1, ch: 0, area: 10 },
        { t: 10 + gap, len: 1, ch: 1, area: 10 },
      ]);
    expect(findPeaks(mk(700), gains, SHAPE, OPTS).n).toBe(2);
    expect(findPeaks(mk(690), gains, SHAPE, OPTS).n).toBe(1);
    expect(findPeaks(mk(690), gains, SHAPE, OPTS).maxGap[0]).toBe(690);
  });

  it('single-channel clusters are dropped; zero-area channels do not count', () => {
    const gains = Float64Array.from([1, 0, 1, 1, 1, 1, 1, 1]);
    const h = hitsFrom([
      { t: 0, len: 2, ch: 0, area: 10 },
      { t: 20, len: 2, ch: 0, area: 10 },
      { t: 30, len: 1, ch: 1, area: 5 },
    ]);
    expect(findPeaks(h, gains, SHAPE, OPTS).n).toBe(0);
  });

  it('splits at max_duration, counting the left extension twice as strax does', () => {
    const gains = new Float64Array(8).fill(1);
    const rows = [];
    for (let i = 0; i < 20; i++) rows.push({ t: i * 500, len: 1, ch: i % 2, area: 10 });
    const p = findPeaks(hitsFrom(rows), gains, SHAPE, { ...OPTS, maxDuration: 2000 });
    // next.time - (first.time - 30) + 10 + 30 + 200 > 2000  <=>  next.time - first.time > 1730
    expect(Array.from(p.time.subarray(0, p.n))).toEqual([-30, 1970, 3970, 5970, 7970]);
  });

  it('refuses inconsistent settings with a clear message', () => {
    const h = hitsFrom([{ t: 0, len: 1, ch: 0, area: 1 }]);
    expect(() => findPeaks(h, new Float64Array(8), SHAPE, { ...OPTS, gapThreshold: 200 })).toThrow(
      /gap_threshold/,
    );
    expect(() =>
      findPeaks(hitsFrom([{ t: 0, len: 1, ch: 7, area: 1 }]), new Float64Array(3), SHAPE, OPTS),
    ).toThrow(/more channels/);
  });

  it('clip keeps length when moving the start, floors the length at the end', () => {
    const t = Float64Array.of(-50, 100),
      len = Int32Array.of(10, 10),
      dt = Int32Array.of(10, 10);
    clipTimes(t, len, dt, 2, 0, 195);
    expect(Array.from(t)).toEqual([0, 100]);
    expect(Array.from(len)).toEqual([10, 9]);
  });
});
