import { describe, expect, it } from 'vitest';
import { softwareHeVeto, type HeVetoOptions } from '../../src/kernels/he-veto.js';
import type { RecordColumns } from '../../src/kernels/pulse-processing.js';

// Times are float64 ns offsets from the kernels' base.
const T0 = 1_000_000;

/** Records (10 samples of 10 ns) given as [time offset ns, channel, area ADC]. */
function records(rows: [number, number, number][]): RecordColumns {
  const n = rows.length;
  const r: RecordColumns = {
    time: new Float64Array(n),
    length: new Int32Array(n).fill(10),
    dt: new Int16Array(n).fill(10),
    channel: new Int16Array(n),
    pulse_length: new Int32Array(n).fill(10),
    record_i: new Int16Array(n),
    area: new Int32Array(n),
    reduction_level: new Uint8Array(n),
    baseline: new Float32Array(n),
    baseline_rms: new Float32Array(n),
    amplitude_bit_shift: new Int16Array(n),
    data: new Int16Array(n * 4),
  };
  rows.forEach(([t, ch, a], i) => {
    r.time[i] = T0 + t;
    r.channel[i] = ch;
    r.area[i] = a;
  });
  return r;
}

function scenario(): RecordColumns {
  const rows: [number, number, number][] = [];
  for (let ch = 0; ch < 120; ch++) rows.push([0, ch, 1000]); // 120 000 PE over 120 PMTs
  rows.push([200_000, 5, 100]); // small pulse in the veto window
  for (let ch = 0; ch < 20; ch++) rows.push([500_000, ch, 1000]); // 20 000 PE: passes the veto
  rows.push([800_000, 7, 100]);
  rows.push([2_000_000, 8, 100]); // beyond the region's length
  return records(rows);
}

const opts: HeVetoOptions = {
  areaThreshold: 100_000,
  vetoLength: 3_000_000,
  vetoRes: 1000,
  passVetoExtend: 3,
  passVetoFraction: 0.05,
  maxVetoValue: null,
};
const toPe = new Float64Array(494).fill(1);

describe('softwareHeVeto', () => {
  it('vetoes records after a large peak except around later large signals', () => {
    const r = scenario();
    const { kept, vetoed, veto } = softwareHeVeto(r, toPe, T0 + 5_000_000_000, opts);
    // region length = floor(3e6 / 3001) = 999 coarse samples; pass windows [0,4) and [497,504)
    expect(Array.from(veto.left)).toEqual([4, 504]);
    expect(Array.from(veto.right)).toEqual([497, 999]);
    expect(Array.from(veto.time)).toEqual([T0 + 4000, T0 + 504_000]);
    expect(Array.from(veto.dt)).toEqual([1000, 1000]);
    expect(Array.from(veto.area)).toEqual([493, 495]);
    expect(Array.from(veto.threshold)).toEqual([1, 1]);
    expect(Array.from(vetoed.time)).toEqual([T0 + 200_000, T0 + 800_000]);
    expect(kept.time.length).toBe(r.time.length - 2);
  });

  it('with max_veto_value only signals above that absolute area pass', () => {
    const { vetoed, veto } = softwareHeVeto(scenario(), toPe, T0 + 5_000_000_000, {
      ...opts,
      maxVetoValue: 50_000,
    });
    expect(Array.from(veto.left)).toEqual([4]);
    expect(Array.from(veto.right)).toEqual([999]);
    expect(vetoed.time.length).toBe(1 + 20 + 1);
  });

  it('no veto below the area or channel threshold, and the chunk end bounds the window', () => {
    const few = records(Array.from({ length: 99 }, (_, ch) => [0, ch, 5000] as [number, number, number]));
    expect(softwareHeVeto(few, toPe, T0 + 5_000_000_000, opts).veto.time.length).toBe(0);
    const { veto } = softwareHeVeto(scenario(), toPe, T0 + 1_500_000, opts);
    // region length = floor(1.5e6 / 3001) = 499: the signal at coarse sample 500 is not scanned
    expect(Array.from(veto.left)).toEqual([4]);
    expect(Array.from(veto.right)).toEqual([499]);
    expect(() => softwareHeVeto(scenario(), toPe, T0, { ...opts, vetoRes: 40000 })).toThrow(/16-bit/);
  });
});
