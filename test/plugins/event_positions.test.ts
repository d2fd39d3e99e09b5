import { describe, expect, it } from 'vitest';
import { SaveWhen } from '../../src/core/plugin.js';
import { EventPositions } from '../../src/plugins/event_positions/index.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { loadNpy } from './event-chain-fixtures.js';
import { checkDeclaration, inexactFields, runGolden } from './event-info-fixtures.js';

describe('event_positions (EventPositions 0.3.0) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reproduces ${run}`, async () => {
      const { plugin, tracked } = await configuredPlugin(EventPositions, run);
      checkDeclaration(plugin, run, 'event_positions', tracked);
      expect(plugin.saveWhen).toBe(SaveWhen.ALWAYS);
      const ag = await runGolden(plugin, run, 'event_positions', { events: loadNpy(run, 'event_basics') });
      expect(ag.ok).toBe(true);
      // Every field bit-identical except the azimuths: numpy's float32 arctan2 on the machine that
      // made the reference (SVML) is not correctly rounded; ours differs by at most 2 float32 ulps.
      for (const f of ag.fields) {
        if (f.field.endsWith('theta')) expect(f.maxRelDiff).toBeLessThan(2.5e-7);
        else expect(inexactFields({ ...ag, fields: [f] })).toEqual([]);
      }
    });
  }
});
