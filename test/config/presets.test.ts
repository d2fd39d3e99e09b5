import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plugin } from '../../src/core/plugin.js';
import { PyFloat } from '../../src/core/python/float.js';
import { loadConfigFile } from '../../src/config/config-file.js';
import { configureOptionResolver, resolveOption } from '../../src/config/option-resolver.js';
import {
  referencePreset,
  xenonntOfflinePreset,
  xenonntOnlinePreset,
  type PresetSetup,
} from '../../src/config/presets.js';
import { isUrl } from '../../src/config/url-syntax.js';
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

const CHAIN: (() => Plugin)[] = [
  () => new PulseProcessing(),
  () => new Peaklets(),
  () => new PeakletClassificationVanilla(),
  () => new MergedS2sVanilla(),
  () => new PeaksVanilla(),
  () => new PeakBasicsVanilla(),
  () => new PeakProximity(),
  () => new Events(),
  () => new EventBasicsVanilla(),
  () => new EventPositions(),
  () => new CorrectedAreas(),
  () => new EnergyEstimates(),
  () => new EventInfo(),
];

/** Resolve every option of the chain as a context would; returns option → resolved value. */
async function resolveChain(preset: PresetSetup, runId: string): Promise<Map<string, unknown>> {
  configureOptionResolver(preset.resolver);
  const out = new Map<string, unknown>();
  for (const make of CHAIN) {
    const p = make();
    for (const o of p.options) {
      const hasDefault = 'default' in o || o.defaultFactory !== undefined;
      if (!(o.name in preset.config) && !hasDefault)
        throw new Error(`${p.className}: option ${o.name} has no value in ${preset.name}`);
      const v = o.name in preset.config ? preset.config[o.name] : o.default;
      out.set(
        o.name,
        isUrl(v)
          ? await resolveOption(v, {
              runId,
              plugin: p.className,
              dataType: p.provides[0]!,
              option: o.name,
              config: preset.config,
            })
          : v,
      );
    }
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
