import { describe, expect, it } from 'vitest';
import { SaveWhen } from '../../src/core/plugin.js';
import { CorrectedAreas } from '../../src/plugins/corrected_areas/index.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { checkDeclaration, inexactFields, mergedInputs, runGolden } from './event-info-fixtures.js';

describe('corrected_areas (CorrectedAreas 0.6.0) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reproduces ${run}`, async () => {
      const deps = ['event_basics', 'event_positions'];
      const { plugin, tracked } = await configuredPlugin(CorrectedAreas, run);
      checkDeclaration(plugin, run, 'corrected_areas', tracked);
      expect(plugin.saveWhen).toBe(SaveWhen.ALWAYS);
      const ag = await runGolden(plugin, run, 'corrected_areas', { events: mergedInputs(run, deps) });
      expect(ag.ok).toBe(true);
      // Bit-identical, not merely within tolerance.
      expect(inexactFields(ag)).toEqual([]);
    });
  }
});
