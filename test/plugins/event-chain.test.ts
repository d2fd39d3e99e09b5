import { describe, expect, it } from 'vitest';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { runEventChain } from './event-chain.js';
import { loadNpy } from './event-chain-fixtures.js';

describe('peaks → event_basics end to end', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reproduces every output of ${run} from peaks and peak_basics alone`, async () => {
      const out = await runEventChain(run);
      const pairs = [
        ['peak_positions', out.peakPositions],
        ['peak_proximity', out.peakProximity],
        ['events', out.events],
        ['event_basics', out.eventBasics],
      ] as const;
      for (const [type, got] of pairs) {
        const ag = compareRecords(got, loadNpy(run, type), { rtol: 0 });
        if (!ag.ok) console.log(run, type, formatAgreement(ag));
        expect(ag.ok, type).toBe(true);
        expect(
          ag.fields.filter((f) => !f.exact).map((f) => f.field),
          type,
        ).toEqual([]);
      }
    });
  }
});
