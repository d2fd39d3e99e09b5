import { describe, expect, it } from 'vitest';
import { SaveWhen } from '../../src/core/plugin.js';
import { EnergyEstimates } from '../../src/plugins/energy_estimates/index.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { checkDeclaration, inexactFields, mergedInputs, runGolden } from './event-info-fixtures.js';

describe('energy_estimates (EnergyEstimates 0.1.1) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reproduces ${run}`, async () => {
      const deps = ['corrected_areas'];
      const { plugin, tracked } = await configuredPlugin(EnergyEstimates, run);
      checkDeclaration(plugin, run, 'energy_estimates', tracked);
      expect(plugin.saveWhen).toBe(SaveWhen.TARGET);
      const ag = await runGolden(plugin, run, 'energy_estimates', { events: mergedInputs(run, deps) });
      expect(ag.ok).toBe(true);
      // Bit-identical, not merely within tolerance.
      expect(inexactFields(ag)).toEqual([]);
    });
  }
});
