import { describe, expect, it } from 'vitest';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';
import { SaveWhen } from '../../src/core/plugin.js';
import { EventBasicsVanilla } from '../../src/plugins/event_basics/index.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { loadNpy, mergePeakInputs, metadata, optionsText } from './event-chain-fixtures.js';

describe('event_basics (EventBasicsVanilla 1.3.7) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reproduces ${run}`, async () => {
      const peakTypes = ['peak_basics', 'peak_positions', 'peak_proximity'];
      const peaks = mergePeakInputs(run, peakTypes);
      const events = loadNpy(run, 'events');
      const expected = loadNpy(run, 'event_basics');
      const meta = metadata(run, 'event_basics');
      const { plugin, tracked } = await configuredPlugin(EventBasicsVanilla, run);
      expect(plugin.inferDtype().toDescr()).toBe(meta.dtype);
      expect(plugin.compressor).toBe(meta.compressor);
      expect(plugin.dataKind).toBe(meta.data_kind);
      expect(plugin.saveWhen).toBe(SaveWhen.ALWAYS);
      const [cls, version, opts] = meta.lineage['event_basics']!;
      expect([plugin.className, plugin.version]).toEqual([cls, version]);
      expect(optionsText(tracked)).toBe(optionsText(opts));

      const got = plugin.compute({ events, peaks });
      const ag = compareRecords(got, expected, { rtol: 0 });
      if (!ag.ok || process.env.SHOW_AGREEMENT) console.log(run, formatAgreement(ag));
      expect(ag.ok).toBe(true);
      expect(ag.fields.filter((f) => !f.exact).map((f) => f.field)).toEqual([]);
    });
  }
});
