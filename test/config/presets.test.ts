import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PluginClass } from '../../src/core/plugin.js';
import { PyFloat } from '../../src/core/python/float.js';
import { loadConfigFile } from '../../src/config/config-file.js';
import {
  referencePreset,
  xenonntOfflinePreset,
  xenonntOnlinePreset,
  type PresetSetup,
} from '../../src/config/presets.js';
import { XENONNT_DETECTOR, toPe } from '../../src/daq/simulator/detector-model.js';
import { BUNDLED_CORRECTIONS_MODULE } from '../../src/daq/simulator/simulated-tpc-corrections.js';
import { PulseProcessing } from '../../src/plugins/records/index.js';
import { Peaklets } from '../../src/plugins/peaklets/index.js';
import { PeakletClassificationVanilla } from '../../src/plugins/peaklet_classification/index.js';
import { MergedS2sVanilla } from '../../src/plugins/merged_s2s/index.js';
import { PeaksVanilla } from '../../src/plugins/peaks/index.js';
import { PeakBasicsVanilla } from '../../src/plugins/peak_basics/index.js';
import { PeakProximity } from '../../src/plugins/peak_proximity/index.js';
import { Events } from '../../src/plugins/events/index.js';
import { EventBasicsVanilla } from '../../src/plugins/event_basics/index.js';
import { EventPositions } from '../../src/plugins/event_positions/index.js';
import { CorrectedAreas } from '../../src/plugins/corrected_areas/index.js';
import { EnergyEstimates } from '../../src/plugins/energy_estimates/index.js';
import { EventInfo } from '../../src/plugins/event_info/index.js';
import { REFERENCE_RUNS, referenceDataDir, runNumber } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';

const CHAIN: PluginClass[] = [
  PulseProcessing,
  Peaklets,
  PeakletClassificationVanilla,
  MergedS2sVanilla,
  PeaksVanilla,
  PeakBasicsVanilla,
  PeakProximity,
  Events,
  EventBasicsVanilla,
  EventPositions,
  CorrectedAreas,
  EnergyEstimates,
  EventInfo,
];

/** Every option of the chain as a context configures and resolves it: option → value. */
async function resolveChain(preset: PresetSetup, runId: string): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const cls of CHAIN) {
    const { plugin } = await configuredPlugin(cls, { preset, runId });
    for (const o of plugin.options) out.set(o.name, plugin.config[o.name]);
  }
  return out;
}

describe('config files', () => {
  it('keep Python float-ness and remember their folder for resource lookups', () => {
    const c = loadConfigFile(join(referenceDataDir('run012100'), '012100-config.json'));
    expect(c.config.elife).toEqual(new PyFloat(15000000.0));
    expect(c.config.electron_drift_time_gate).toBe(2700);
    expect(c.searchDirs[0]).toBe(referenceDataDir('run012100'));
  });
  it('fail with one line naming the file', () => {
    expect(() => loadConfigFile('/nonexistent/config.json')).toThrow(
      /config file \/nonexistent\/config.json cannot be read/,
    );
  });
});

describe('presets', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reference (${run}): every option of the vanilla chain resolves from the config file's folder`, async () => {
      const preset = referencePreset(join(referenceDataDir(run), `${runNumber(run)}-config.json`));
      const values = await resolveChain(preset, runNumber(run));
      expect((values.get('gain_model') as Float64Array).length).toBe(494);
      expect(values.get('n_top_pmts')).toBe(253);
    });
  }
  const bundled = { bundledCorrections: BUNDLED_CORRECTIONS_MODULE };
  for (const make of [() => xenonntOnlinePreset(bundled), () => xenonntOfflinePreset(bundled)]) {
    it(`${make().name}: every option resolves from the bundled corrections, gains from the detector model`, async () => {
      const values = await resolveChain(make(), '000042');
      expect(Array.from(values.get('gain_model') as Float64Array)).toEqual(toPe(XENONNT_DETECTOR));
      expect(Array.from(values.get('hit_min_amplitude') as Float64Array)).toEqual(
        Array.from(XENONNT_DETECTOR.hitThreshold),
      );
      expect(values.get('elife')).toBe(1.5e7);
      expect(values.get('se_gain')).toBe(28);
      expect(values.get('event_info_function')).toBe('disabled');
    });
  }
  it('lets overrides win and keeps online and offline lineages apart', () => {
    const on = xenonntOnlinePreset({ overrides: { elife: new PyFloat(1e6) } });
    expect(on.config.elife).toEqual(new PyFloat(1e6));
    expect(xenonntOfflinePreset().config.electron_drift_velocity).not.toBe(
      xenonntOnlinePreset().config.electron_drift_velocity,
    );
  });
});
