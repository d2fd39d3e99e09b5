// The configuration layer inside a real Context: the reference preset and the installed option
// resolver give every data type the lineage hash stored in the reference, and the second half
// of the event chain, computed from stored event_basics and peaks, matches the reference.

import { readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { compareRecords } from '../../src/core/compare.js';
import { Context } from '../../src/core/context/context.js';
import type { PluginClass } from '../../src/core/plugin.js';
import { installOptionResolver } from '../../src/config/option-resolver.js';
import { referencePreset } from '../../src/config/presets.js';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { SimRawRecords } from '../../src/plugins/raw_records/index.js';
import { PulseProcessing } from '../../src/plugins/records/index.js';
import { Peaklets } from '../../src/plugins/peaklets/index.js';
import { PeakletClassificationVanilla } from '../../src/plugins/peaklet_classification/index.js';
import { MergedS2sVanilla } from '../../src/plugins/merged_s2s/index.js';
import { PeaksVanilla } from '../../src/plugins/peaks/index.js';
import { PeakBasicsVanilla } from '../../src/plugins/peak_basics/index.js';
import { PeakPositionsCoG } from '../../src/plugins/peak_positions/index.js';
import { PeakProximity } from '../../src/plugins/peak_proximity/index.js';
import { Events } from '../../src/plugins/events/index.js';
import { EventBasicsVanilla } from '../../src/plugins/event_basics/index.js';
import { EventPositions } from '../../src/plugins/event_positions/index.js';
import { CorrectedAreas } from '../../src/plugins/corrected_areas/index.js';
import { EnergyEstimates } from '../../src/plugins/energy_estimates/index.js';
import { EventInfo } from '../../src/plugins/event_info/index.js';
import { DistinctChannels } from '../../src/plugins/distinct_channels/index.js';
import { EventInfoDouble } from '../../src/plugins/event_info_double/index.js';
import { REFERENCE_RUNS, referenceDataDir, runNumber } from '../helpers/reference.js';
import { loadNpy, metadata } from '../plugins/event-chain-fixtures.js';

const CHAIN: PluginClass[] = [
  SimRawRecords,
  PulseProcessing,
  Peaklets,
  PeakletClassificationVanilla,
  MergedS2sVanilla,
  PeaksVanilla,
  PeakBasicsVanilla,
  PeakPositionsCoG,
  PeakProximity,
  Events,
  EventBasicsVanilla,
  EventPositions,
  CorrectedAreas,
  EnergyEstimates,
  EventInfo,
  DistinctChannels,
  EventInfoDouble,
];
const MINE = [
  'event_positions',
  'corrected_areas',
  'energy_estimates',
  'event_info',
  'distinct_channels',
  'event_info_double',
];

function context(run: string, storageDir: string): Context {
  const preset = referencePreset(join(referenceDataDir(run), `${runNumber(run)}-config.json`));
  const ctx = new Context({ storage: [new DataDirectory(storageDir, { readonly: true })] });
  ctx.register(...CHAIN);
  ctx.setConfig(preset.config);
  return installOptionResolver(ctx, preset.resolver);
}

describe('reference preset in a Context', () => {
  for (const run of REFERENCE_RUNS) {
    it(`${run}: computes the event chain's second half from stored inputs, as the reference`, async () => {
      const src = referenceDataDir(run);
      const only = tempDir('straxts-h7-');
      for (const f of readdirSync(src)) {
        if (/-(event_basics|peaks|peak_basics|peak_positions|peak_proximity|events)-[a-z0-9]{10}$/.test(f))
          symlinkSync(join(src, f), join(only, f));
      }
      const ctx = context(run, only);
      for (const type of MINE) {
        expect(ctx.keyFor(runNumber(run), type).lineageHash).toBe(metadata(run, type).lineage_hash);
        const got = await ctx.getArray(runNumber(run), type);
        const ag = compareRecords(got, loadNpy(run, type), { rtol: 1e-6 });
        expect(ag.ok).toBe(true);
        // Only the azimuths (numpy's SVML float32 arctan2) are not bit-identical.
        expect(ag.fields.filter((f) => !f.exact).every((f) => /theta$/.test(f.field))).toBe(true);
      }
    });
  }
});
