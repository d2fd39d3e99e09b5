// Option names, defaults, Python types and tracked flags of MergedS2sVanilla, PeaksVanilla and
// PeakBasicsVanilla against the lineage strax wrote into the reference metadata; then the whole
// lineage hash of each data type.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashText, lineageHash } from '../../src/core/lineage.js';
import type { PluginClass } from '../../src/core/plugin.js';
import { pyJsonParse } from '../../src/core/python/json.js';
import type { Lineage } from '../../src/core/storage-api.js';
import { MergedS2sVanilla } from '../../src/plugins/merged_s2s/index.js';
import { PeaksVanilla } from '../../src/plugins/peaks/index.js';
import { PeakBasicsVanilla } from '../../src/plugins/peak_basics/index.js';
import { REFERENCE_RUNS, referenceDataDir, referenceFolder } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';

function metadata(
  run: string,
  type: string,
): { lineage: Lineage; lineage_hash: string; compressor: string; data_kind: string } {
  const folder = referenceFolder(run, type);
  const file = join(referenceDataDir(run), folder, `${type}-${folder.split('-').pop()}-metadata.json`);
  return pyJsonParse(readFileSync(file, 'utf8')) as never;
}

const CASES: [string, PluginClass][] = [
  ['merged_s2s', MergedS2sVanilla],
  ['peaks', PeaksVanilla],
  ['peak_basics', PeakBasicsVanilla],
];

describe('lineage of merged_s2s, peaks and peak_basics', () => {
  for (const run of REFERENCE_RUNS) {
    for (const [type, cls] of CASES) {
      it(`${run} ${type}: entry, compressor, kind and hash as stored`, async () => {
        const meta = metadata(run, type);
        const { plugin, tracked } = await configuredPlugin(cls, run);
        const mine: Lineage[string] = [plugin.className, plugin.version, tracked];
        expect(hashText(mine)).toBe(hashText(meta.lineage[type]));
        expect(plugin.compressor).toBe(meta.compressor);
        expect(typeof plugin.dataKind === 'string' ? plugin.dataKind : 'peaks').toBe(meta.data_kind);
        const lineage: Lineage = { ...meta.lineage, [type]: mine };
        expect(lineageHash(lineage)).toBe(meta.lineage_hash);
        // The whole lineage the context built gives the same hash.
        expect(lineageHash(plugin.lineage)).toBe(meta.lineage_hash);
      });
    }
  }

  it('merged_s2s looks 175 100 ns to each side (5 × (5020 + 30000))', async () => {
    const { plugin: p } = await configuredPlugin(MergedS2sVanilla, 'run012100', {
      merged_s2s_get_window_size_factor: 5,
      s2_merge_max_duration: 30000,
      s2_merge_gap_thresholds_vanilla: [[1.74, 5020.0]],
    });
    expect(p.getWindowSize()).toBe(175100);
  });
});
