import { describe, expect, it } from 'vitest';
import { SaveWhen } from '../../src/core/plugin.js';
import { DistinctChannels } from '../../src/plugins/distinct_channels/index.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { loadNpy } from './event-chain-fixtures.js';
import { checkDeclaration, runGolden } from './event-info-fixtures.js';

describe('distinct_channels (DistinctChannels 0.1.1) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reproduces ${run}`, async () => {
      const { plugin, tracked } = await configuredPlugin(DistinctChannels, run);
      checkDeclaration(plugin, run, 'distinct_channels', tracked);
      expect(plugin.saveWhen).toBe(SaveWhen.ALWAYS);
      const ag = await runGolden(plugin, run, 'distinct_channels', {
        events: loadNpy(run, 'event_basics'),
        peaks: loadNpy(run, 'peaks'),
      });
      expect(ag.ok).toBe(true);
      expect(ag.fields.every((f) => f.exact)).toBe(true);
    });
  }
});
