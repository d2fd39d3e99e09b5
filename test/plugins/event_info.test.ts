import { describe, expect, it } from 'vitest';
import { SaveWhen } from '../../src/core/plugin.js';
import { EventInfo } from '../../src/plugins/event_info/index.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { checkDeclaration, inexactFields, mergedInputs, runGolden } from './event-info-fixtures.js';

describe('event_info (EventInfo 0.0.2) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reproduces ${run}`, async () => {
      const deps = ['corrected_areas', 'energy_estimates', 'event_basics', 'event_positions'];
      const { plugin, tracked } = await configuredPlugin(EventInfo, run);
      checkDeclaration(plugin, run, 'event_info', tracked);
      expect(plugin.saveWhen).toBe(SaveWhen.ALWAYS);
      const ag = await runGolden(plugin, run, 'event_info', { events: mergedInputs(run, deps) });
      expect(ag.ok).toBe(true);
      // Bit-identical, not merely within tolerance.
      expect(inexactFields(ag)).toEqual([]);
    });
  }
});
