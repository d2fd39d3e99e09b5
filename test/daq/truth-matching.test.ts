import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interactions, matchTruth, type TruthEntryLike } from '../../src/daq/truth-matching.js';
import { REFERENCE_RUNS, referenceDataDir, runNumber } from '../helpers/reference.js';
import { runEventChain } from '../plugins/event-chain.js';
import { loadNpy, timeRange } from '../plugins/event-chain-fixtures.js';

function truthOf(run: string): TruthEntryLike[] {
  return JSON.parse(readFileSync(join(referenceDataDir(run), `${runNumber(run)}-truth.json`), 'utf8')) as TruthEntryLike[];
}

describe('simulated S1/S2 pairs found as events (physics check)', () => {
  for (const run of REFERENCE_RUNS) {
    it(`${run}: straxts finds as many pairs as straxen, with the same area response`, () => {
      const truth = truthOf(run);
      const runStart = timeRange(run, 'raw_records').start;
      const ours = matchTruth(truth, runEventChain(run).eventBasics, { runStart });
      // The bounds come from straxen's own event_basics of the same run.
      const ref = matchTruth(truth, loadNpy(run, 'event_basics'), { runStart });
      if (process.env.SHOW_AGREEMENT) console.log(run, JSON.stringify({ ours, ref }, (_k, v) => (ArrayBuffer.isView(v) ? undefined : v)));
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
