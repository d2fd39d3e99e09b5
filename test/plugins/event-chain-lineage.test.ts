import { describe, expect, it } from 'vitest';
import { lineageHash } from '../../src/core/lineage.js';
import type { PluginClass } from '../../src/core/plugin.js';
import { EventBasicsVanilla } from '../../src/plugins/event_basics/index.js';
import { Events } from '../../src/plugins/events/index.js';
import { PeakPositionsCoG } from '../../src/plugins/peak_positions/index.js';
import { PeakProximity } from '../../src/plugins/peak_proximity/index.js';
import { REFERENCE_RUNS, referenceFolder } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { metadata } from './event-chain-fixtures.js';

const PLUGINS: [string, PluginClass][] = [
  ['peak_positions', PeakPositionsCoG],
  ['peak_proximity', PeakProximity],
  ['events', Events],
  ['event_basics', EventBasicsVanilla],
];

describe('lineage hashes of peak_positions … event_basics', () => {
  for (const run of REFERENCE_RUNS) {
    for (const [type, cls] of PLUGINS) {
      it(`${run} ${type}: our entries give the stored folder hash`, async () => {
        const meta = metadata(run, type);
        const { plugin, tracked } = await configuredPlugin(cls, run);
        // Every entry of our chain is replaced by what straxts declares; the rest is upstream.
        const lineage = { ...meta.lineage };
        for (const [t, c] of PLUGINS) {
          if (!(t in lineage)) continue;
          const p = await configuredPlugin(c, run);
          lineage[t] = [p.plugin.className, p.plugin.version, p.tracked];
        }
        expect(lineage[type]).toEqual([plugin.className, plugin.version, tracked]);
        expect(lineageHash(lineage)).toBe(referenceFolder(run, type).split('-').pop());
        // The whole lineage the context built (upstream entries included) gives the same hash.
        expect(lineageHash(plugin.lineage)).toBe(referenceFolder(run, type).split('-').pop());
      });
    }
  }
});
