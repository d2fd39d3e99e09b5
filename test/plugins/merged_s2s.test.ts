import { describe, expect, it } from 'vitest';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';
import { MergedS2sVanilla } from '../../src/plugins/merged_s2s/index.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { configure, loadGains, loadNpy, peakletsWithClassification, PMT_SETTINGS } from './peak-chain-fixtures.js';

describe('merged_s2s (MergedS2sVanilla 1.1.1) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reproduces ${run}`, () => {
      const peaklets = peakletsWithClassification(run);
      const lone = loadNpy(run, 'lone_hits');
      const expected = loadNpy(run, 'merged_s2s');
      const plugin = configure(new MergedS2sVanilla(), {
        peaklets: loadNpy(run, 'peaklets').dtype,
        peaklet_classification: loadNpy(run, 'peaklet_classification').dtype,
        lone_hits: lone.dtype,
      }, { ...PMT_SETTINGS, gain_model: loadGains(run) });
      expect(plugin.inferDtype().toDescr()).toBe(expected.dtype.toDescr());
      const got = plugin.compute({ peaklets, lone_hits: lone }, { start: 0n, end: 0n, chunkI: 0 });
      const ag = compareRecords(got, expected, { rtol: 1e-6 });
      if (!ag.ok || process.env.SHOW_AGREEMENT) console.log(run, formatAgreement(ag));
      expect(ag.ok).toBe(true);
    });
  }
});
