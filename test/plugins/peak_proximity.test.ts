import { describe, expect, it } from 'vitest';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';
import { OverlapWindowPlugin } from '../../src/core/plugin.js';
import { PeakProximity } from '../../src/plugins/peak_proximity/index.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { loadNpy, mergePeakInputs, metadata, optionsText, timeRange } from './event-chain-fixtures.js';

describe('peak_proximity (PeakProximity 0.6.0) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reproduces ${run}`, async () => {
      const peaks = mergePeakInputs(run, ['peak_basics', 'peak_positions']);
      const expected = loadNpy(run, 'peak_proximity');
      const meta = metadata(run, 'peak_proximity');
      const { plugin, tracked } = await configuredPlugin(PeakProximity, run);
      expect(plugin).toBeInstanceOf(OverlapWindowPlugin);
      expect(plugin.inferDtype().toDescr()).toBe(meta.dtype);
      expect(plugin.compressor).toBe(meta.compressor);
      const [cls, version, opts] = meta.lineage['peak_proximity']!;
      expect([plugin.className, plugin.version]).toEqual([cls, version]);
      expect(optionsText(tracked)).toBe(optionsText(opts));
      expect(plugin.getWindowSize()).toBe(1e8);

      const { start, end } = timeRange(run, 'peak_proximity');
      const got = plugin.compute({ peaks }, { start, end, chunkI: 0 });
      const ag = compareRecords(got, expected, { rtol: 0 });
      if (!ag.ok || process.env.SHOW_AGREEMENT) console.log(run, formatAgreement(ag));
      expect(ag.ok).toBe(true);
      expect(ag.fields.every((f) => f.exact)).toBe(true);
    });
  }
});
