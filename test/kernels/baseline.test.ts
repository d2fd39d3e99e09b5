import { describe, expect, it } from 'vitest';
import { baseline, type BaselineColumns } from '../oracles/baseline.js';

function cols(
  rows: { data: number[]; length?: number; channel?: number; record_i?: number }[],
  spr = 6,
): BaselineColumns {
  const n = rows.length;
  const c: BaselineColumns = {
    length: new Int32Array(n),
    channel: new Int16Array(n),
    record_i: new Int16Array(n),
    baseline: new Float32Array(n),
    baseline_rms: new Float32Array(n),
    data: new Int16Array(n * spr),
  };
  rows.forEach((r, i) => {
    c.length[i] = r.length ?? r.data.length;
    c.channel[i] = r.channel ?? 0;
    c.record_i[i] = r.record_i ?? 0;
    c.data.set(r.data, i * spr);
  });
  return c;
}

describe('baseline', () => {
  it('subtracts the truncated mean of the first samples and flips', () => {
    const c = cols([{ data: [100, 101, 100, 101, 90, 80] }]);
    baseline(c, { baselineSamples: 4 });
    expect(c.baseline[0]).toBe(100.5);
    expect(c.baseline_rms[0]).toBe(0.5);
    expect(Array.from(c.data)).toEqual([0, -1, 0, -1, 10, 20]);
  });

  it('continuation records reuse the float32 baseline of the first fragment of their channel', () => {
    const c = cols([
      { data: [10, 10, 11, 5, 5, 5], channel: 1 },
      { data: [7, 7, 7, 7, 7, 7], channel: 2 },
      { data: [3, 4, 5, 6, 0, 0], channel: 1, record_i: 1, length: 4 },
    ]);
    baseline(c, { baselineSamples: 3 });
    const bl = Math.fround(31 / 3);
    expect(c.baseline[2]).toBe(bl);
    expect(c.baseline[0]).toBe(bl);
    expect(Array.from(c.data.subarray(12, 18))).toEqual([7, 6, 5, 4, 0, 0]);
    const sd = Math.sqrt(((10 - 31 / 3) ** 2 * 2 + (11 - 31 / 3) ** 2) / 3);
    expect(c.baseline_rms[2]).toBe(Math.fround(sd));
  });

  it('includes zero padding in the baseline window and leaves it zero', () => {
    const c = cols([{ data: [40, 40, 0, 0, 0, 0], length: 2 }]);
    baseline(c, { baselineSamples: 4 });
    expect(c.baseline[0]).toBe(20);
    expect(Array.from(c.data)).toEqual([-20, -20, 0, 0, 0, 0]);
  });

  it('a continuation without its first fragment is an error unless sloppy chunking is allowed', () => {
    const mk = () => cols([{ data: [1, 2, 3, 4, 5, 6], record_i: 1 }]);
    expect(() => baseline(mk())).toThrow(/missing 0th fragment/);
    const c = mk();
    baseline(c, { allowSloppyChunking: true, fallbackBaseline: 10 });
    expect(c.baseline[0]).toBe(10);
    expect(Number.isNaN(c.baseline_rms[0])).toBe(true);
    expect(Array.from(c.data)).toEqual([9, 8, 7, 6, 5, 4]);
  });

  it('without flip keeps raw minus baseline, wrapping to int16', () => {
    const c = cols([{ data: [0, 0, -32768, 5, 5, 5] }]);
    baseline(c, { baselineSamples: 2, flip: false });
    expect(c.data[2]).toBe(-32768);
    const f = cols([{ data: [-2, -2, 32767, 0, 0, 0] }]);
    baseline(f, { baselineSamples: 2 });
    expect(f.data[2]).toBe(32767); // -2 - 32767 = -32769 wraps
    const w = cols([{ data: [10, 10, -32768, 0, 0, 0] }]);
    baseline(w, { baselineSamples: 2 });
    expect(w.data[2]).toBe(((10 + 32768) << 16) >> 16);
  });
});
