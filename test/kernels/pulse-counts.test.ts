import { describe, expect, it } from 'vitest';
import { countPulses, NO_PULSE_COUNTS, type PulseCountInput } from '../../src/kernels/pulse-counts.js';

// Times are float64 ns offsets from the kernels' base.
const T0 = 1_000_000;
/** Offset of epoch time 0 from that base. */
const EPOCH_ZERO = -1.765e18;

function input(
  rows: { t: number; ch: number; ri?: number; pl: number; area: number; bl?: number; rms?: number }[],
): PulseCountInput {
  const n = rows.length;
  const r: PulseCountInput = {
    time: new Float64Array(n),
    dt: new Int16Array(n),
    channel: new Int16Array(n),
    pulse_length: new Int32Array(n),
    record_i: new Int16Array(n),
    area: new Int32Array(n),
    baseline: new Float32Array(n),
    baseline_rms: new Float32Array(n),
  };
  rows.forEach((x, i) => {
    r.time[i] = T0 + x.t;
    r.dt[i] = 10;
    r.channel[i] = x.ch;
    r.pulse_length[i] = x.pl;
    r.record_i[i] = x.ri ?? 0;
    r.area[i] = x.area;
    r.baseline[i] = x.bl ?? 16000.5;
    r.baseline_rms[i] = x.rms ?? 2;
  });
  return r;
}

describe('countPulses', () => {
  it('counts pulses, lone pulses and areas; empty channels get NO_PULSE_COUNTS', () => {
    const c = countPulses(
      input([
        { t: 0, ch: 0, pl: 5, area: 10, bl: 15998.7 }, // lone (ends at 50 < 100)
        { t: 100, ch: 1, pl: 20, area: 20 }, // overlaps next row (ends 300 > 150)
        { t: 150, ch: 0, pl: 5, area: 30, bl: 15999.7 }, // starts before last end 300: not lone
        { t: 400, ch: 2, pl: 12, area: 40 }, // lone (ends 520 < 1000)
        { t: 1000, ch: 2, ri: 1, pl: 12, area: 5 }, // continuation of ... channel 2 in lone state
        { t: 2000, ch: 1, pl: 1, area: 7 }, // last row: next start = own time → not lone
      ]),
      4,
      EPOCH_ZERO,
    )!;
    expect(Array.from(c.pulse_count)).toEqual([2n, 2n, 1n, 0n]);
    expect(Array.from(c.lone_pulse_count)).toEqual([1n, 0n, 1n, 0n]);
    expect(Array.from(c.pulse_area)).toEqual([40n, 27n, 45n, 0n]);
    expect(Array.from(c.lone_pulse_area)).toEqual([10n, 0n, 45n, 0n]);
    expect(c.baseline_mean[0]).toBe(Math.trunc((Math.fround(15998.7) + Math.fround(15999.7)) / 2));
    expect(c.baseline_mean[3]).toBe(NO_PULSE_COUNTS);
    expect(Number.isNaN(c.baseline_rms_mean[3])).toBe(true);
    expect(c.baseline_rms_mean[1]).toBe(2);
  });

  it('no records → null, bad channel → error', () => {
    expect(countPulses(input([]), 3, EPOCH_ZERO)).toBeNull();
    expect(() => countPulses(input([{ t: 0, ch: 5, pl: 1, area: 1 }]), 3, EPOCH_ZERO)).toThrow(/channel 5/);
  });
});
