import { describe, expect, it } from 'vitest';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';
import { OverlapWindowPlugin, SaveWhen } from '../../src/core/plugin.js';
import { Events } from '../../src/plugins/events/index.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { loadNpy, mergePeakInputs, metadata, optionsText, timeRange } from './event-chain-fixtures.js';

describe('events (Events 0.1.1) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reproduces ${run}`, async () => {
      const peaks = mergePeakInputs(run, ['peak_basics', 'peak_proximity']);
      const expected = loadNpy(run, 'events');
      const meta = metadata(run, 'events');
      const { plugin, tracked } = await configuredPlugin(Events, run);
      expect(plugin).toBeInstanceOf(OverlapWindowPlugin);
      expect(plugin.inferDtype().toDescr()).toBe(meta.dtype);
      expect(plugin.compressor).toBe(meta.compressor);
      expect(plugin.dataKind).toBe(meta.data_kind);
      expect(plugin.saveWhen).toBe(SaveWhen.EXPLICIT);
      const [cls, version, opts] = meta.lineage['events']!;
      expect([plugin.className, plugin.version]).toEqual([cls, version]);
      expect(optionsText(tracked)).toBe(optionsText(opts));
      // diagnose_overlapping is untracked: absent from the lineage.
      expect(Object.keys(opts)).not.toContain('diagnose_overlapping');
      expect(plugin.getWindowSize()).toBe(10 * (250000 + 2202244 + 250000));

      const { start, end } = timeRange(run, 'events');
      const got = plugin.compute({ peaks }, { start, end, chunkI: 0 });
      const ag = compareRecords(got, expected, { rtol: 0 });
      if (!ag.ok || process.env.SHOW_AGREEMENT) console.log(run, formatAgreement(ag));
      expect(ag.ok).toBe(true);
    });
  }
});
