import { describe, expect, it } from 'vitest';
import { SaveWhen } from '../../src/core/plugin.js';
import { EventInfoDouble } from '../../src/plugins/event_info_double/index.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { checkDeclaration, inexactFields, mergedInputs, runGolden } from './event-info-fixtures.js';

describe('event_info_double (EventInfoDouble 0.1.2) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reproduces ${run}`, async () => {
      const deps = ['event_info', 'distinct_channels'];
      const { plugin, tracked } = await configuredPlugin(EventInfoDouble, run);
      checkDeclaration(plugin, run, 'event_info_double', tracked);
      expect(plugin.saveWhen).toBe(SaveWhen.EXPLICIT);
      const ag = await runGolden(plugin, run, 'event_info_double', { events: mergedInputs(run, deps) });
      expect(ag.ok).toBe(true);
      // Bit-identical, not merely within tolerance.
      expect(inexactFields(ag)).toEqual([]);
    });
  }
});
