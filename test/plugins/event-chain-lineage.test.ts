import { describe, expect, it } from 'vitest';
import { lineageHash } from '../../src/core/lineage.js';
import type { Plugin } from '../../src/core/plugin.js';
import { EventBasicsVanilla } from '../../src/plugins/event_basics/index.js';
import { Events } from '../../src/plugins/events/index.js';
import { PeakPositionsCoG } from '../../src/plugins/peak_positions/index.js';
import { PeakProximity } from '../../src/plugins/peak_proximity/index.js';
import { REFERENCE_RUNS, referenceFolder } from '../helpers/reference.js';
import { configure, loadNpy, metadata } from './event-chain-fixtures.js';

const PLUGINS: [string, () => Plugin][] = [
  ['peak_positions', () => new PeakPositionsCoG()],
  ['peak_proximity', () => new PeakProximity()],
  ['events', () => new Events()],
  ['event_basics', () => new EventBasicsVanilla()],
];

describe('lineage hashes of peak_positions … event_basics', () => {
  for (const run of REFERENCE_RUNS) {
    for (const [type, make] of PLUGINS) {
      it(`${run} ${type}: our entries give the stored folder hash`, () => {
        const meta = metadata(run, type);
        const plugin = make();
        const deps = Object.fromEntries(plugin.dependsOn.map((d) => [d, loadNpy(run, d).dtype]));
        const { tracked } = configure(plugin, deps, run);
        // Every entry of our chain is replaced by what straxts declares; the rest is upstream.
        const lineage = { ...meta.lineage };
        for (const [t, mk] of PLUGINS) {
          if (!(t in lineage)) continue;
          const p = mk();
          const d = Object.fromEntries(p.dependsOn.map((x) => [x, loadNpy(run, x).dtype]));
          lineage[t] = [p.className, p.version, configure(p, d, run).tracked];
        }
        expect(lineage[type]).toEqual([plugin.className, plugin.version, tracked]);
        expect(lineageHash(lineage)).toBe(referenceFolder(run, type).split('-').pop());
      });
    }
  }
});
