import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Records } from '../../src/core/records.js';
import { interactions, matchTruth, type TruthEntryLike } from '../../src/daq/truth-matching.js';
import { REFERENCE_RUNS, referenceDataDir, runNumber } from '../helpers/reference.js';
import { runEventChain } from '../plugins/event-chain.js';
import { loadNpy, timeRange } from '../plugins/event-chain-fixtures.js';

function truthOf(run: string): TruthEntryLike[] {
  return JSON.parse(
    readFileSync(join(referenceDataDir(run), `${runNumber(run)}-truth.json`), 'utf8'),
  ) as TruthEntryLike[];
}

describe('simulated S1/S2 pairs found as events (physics check)', () => {
  for (const run of REFERENCE_RUNS) {
    it(`${run}: straxts finds as many pairs as straxen, with the same area response`, async () => {
      const truth = truthOf(run);
      const runStart = timeRange(run, 'raw_records').start;
      const ours = matchTruth(truth, (await runEventChain(run)).eventBasics, { runStart });
      // The bounds come from straxen's own event_basics of the same run.
      const ref = matchTruth(truth, loadNpy(run, 'event_basics'), { runStart });
      if (process.env.SHOW_AGREEMENT)
        console.log(
          run,
          JSON.stringify({ ours, ref }, (_k, v) => (ArrayBuffer.isView(v) ? undefined : v)),
        );
      expect(ours.interactions).toBe(interactions(truth).length);
      // The matching must find something, or the comparison below is empty.
      expect(ref.found).toBeGreaterThan(0);
      expect(ours.found).toBeGreaterThanOrEqual(ref.found);
      for (const key of ['s1AreaPerPhoton', 's2AreaPerPhoton'] as const) {
        expect(ours[key].n).toBeGreaterThanOrEqual(ref[key].n);
        expect(Math.abs(ours[key].mean - ref[key].mean)).toBeLessThanOrEqual(ref[key].sem);
        expect(Math.abs(ours[key].median - ref[key].median)).toBeLessThanOrEqual(ref[key].sem);
      }
    });
  }
});

describe('matchTruth rules', () => {
  const run0 = 1_000_000_000n;
  // Two events: the first with S1 [100, 200) and S2 [5000, 8000); the second has no main S1.
  const dtype = loadNpy('run012100', 'event_basics').dtype;
  const rows = (): Records =>
    Records.fromColumns(dtype, 2, {
      time: [run0, run0 + 100_000n],
      endtime: [run0 + 10_000n, run0 + 110_000n],
      s1_time: [run0 + 100n, -1n],
      s1_endtime: [run0 + 200n, -1n],
      s1_area: [30, NaN],
      s2_time: [run0 + 5000n, run0 + 105_000n],
      s2_endtime: [run0 + 8000n, run0 + 106_000n],
      s2_area: [600, 50],
    });
  it('needs both the main S1 and the main S2 on the simulated signals', () => {
    const truth: TruthEntryLike[] = [
      {
        kind: 'event',
        t_s1: 120,
        n_s1: 100,
        t_s2: 5500,
        n_s2: 1000,
        extra_s2: [
          { t_s2: 7000, n_s2: 200 },
          { t_s2: 9500, n_s2: 50 },
        ],
      },
      { kind: 'event', t_s1: 100_050, n_s1: 10, t_s2: 105_100, n_s2: 80 },
      { kind: 'event', t_s1: 50_000, n_s1: 10, t_s2: 60_000, n_s2: 80 },
      { kind: 'single_electron', t_s2: 5200, n_s2: 28 },
    ];
    const r = matchTruth(truth, rows(), { runStart: run0 });
    expect(r.interactions).toBe(3);
    expect(Array.from(r.eventOf)).toEqual([0, -1, -1]);
    expect(Array.from(r.inAnEvent)).toEqual([1, 1, 0]);
    expect(r.foundFraction).toBeCloseTo(1 / 3);
    expect(r.s1AreaPerPhoton.mean).toBeCloseTo(0.3);
    // S2s at 5500 and 7000 lie in the main S2; the one at 9500 is beyond the 1 µs tolerance.
    expect(r.s2AreaPerPhoton.mean).toBeCloseTo(600 / 1200);
  });
  it('rejects a main S1 that is not the simulated one', () => {
    const truth: TruthEntryLike[] = [{ kind: 'event', t_s1: 700, n_s1: 100, t_s2: 5500, n_s2: 1000 }];
    expect(matchTruth(truth, rows(), { runStart: run0 }).found).toBe(0);
    expect(matchTruth(truth, rows(), { runStart: run0, s1Tolerance: 600 }).found).toBe(1);
  });
});
