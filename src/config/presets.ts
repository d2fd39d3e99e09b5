// Context presets: the option values (and where URL values are resolved from) for
//  - reference: the configuration the golden reference data was made with — straxen's
//    vanilla chain on simulated raw_records, with the values of the user's config file;
//  - xenonnt_online / xenonnt_offline: straxts' XENONnT-like TPC (the detector its simulator
//    models) with every constant the chain needs, time-dependent ones as corrections://
//    lookups in the bundled corrections (online: version ONLINE; offline: a fixed version).
// Overrides win over preset values. The plugin list is assembled by the caller.

import { pyFloat } from '../core/python/float.js';
import { N_TOP_PMTS, N_TPC_PMTS } from './pmt-positions.js';
import { UNIFORM_ZERO_Z_BIAS_MAP } from './bundled-resources.js';
import { loadConfigFile, normalizeConfig } from './config-file.js';
import type { CorrectionsModule, OptionResolverSettings } from './option-resolver.js';

/** Version label of the bundled offline corrections (daq/simulator/simulated-tpc-corrections.ts). */
export const BUNDLED_OFFLINE_VERSION = 'straxts_v1';

export interface PresetSetup {
  name: string;
  /** Option name → value (URLs normalised; floats PyFloat where Python holds a float). */
  config: Record<string, unknown>;
  /** How the URL values are resolved (see installOptionResolver). */
  resolver: OptionResolverSettings;
}

/** straxen's common_config_vanilla values the chain sees (detector size; no extra waveforms). */
const COMMON_VANILLA: Readonly<Record<string, unknown>> = {
  n_tpc_pmts: N_TPC_PMTS,
  n_top_pmts: N_TOP_PMTS,
  store_data_start: false,
  store_data_top: false,
};

/** straxen's channel map of XENONnT ([first, last] channel of each detector part). */
export const XENONNT_CHANNEL_MAP: Readonly<Record<string, readonly [number, number]>> = {
  tpc: [0, 493],
  he: [500, 752],
  aqmon: [790, 807],
  aqmon_nv: [808, 815],
  tpc_blank: [999, 999],
  mv: [1000, 1083],
  aux_mv: [1084, 1087],
  mv_blank: [1999, 1999],
  nveto: [2000, 2119],
  nveto_blank: [2999, 2999],
};

/** The reference data's configuration: straxen vanilla defaults plus the given config file. */
export function referencePreset(
  configFile: string,
  overrides: Readonly<Record<string, unknown>> = {},
): PresetSetup {
  const loaded = loadConfigFile(configFile);
  return {
    name: 'reference',
    config: { ...COMMON_VANILLA, ...loaded.config, ...normalizeConfig(overrides) },
    resolver: { searchDirs: loaded.searchDirs },
  };
}

function xenonntConfig(version: string): Record<string, unknown> {
  const q = `run_id=plugin.run_id&version=${version}`;
  const corr = (schema: string, extra = 'attr=value') => `corrections://${schema}?${extra}&${q}`;
  const perPmt = (schema: string) =>
    `list-to-array://corrections://${schema}?as_list=True&attr=value&detector=tpc&sort=pmt&${q}`;
  const partitioned = (schema: string) =>
    `take://objects-to-dict://corrections://${schema}?as_list=True&key_attr=partition&partition=all_tpc&sort=partition&take=all_tpc&value_attr=value&${q}`;
  const bias = (signal: string) =>
    `itp_map://resource://corrections://peak_reconstruction_bias?attr=value&fmt=json&signal=${signal}&${q}`;
  return normalizeConfig({
    ...COMMON_VANILLA,
    channel_map: { ...XENONNT_CHANNEL_MAP },
    gain_model: perPmt('pmt_area_to_pes'),
    hit_min_amplitude: perPmt('hit_thresholds'),
    electron_drift_velocity: corr('electron_drift_velocities'),
    electron_drift_time_gate: corr('electron_drift_time_gates'),
    elife: corr('electron_lifetimes'),
    fdc_map: corr('fdc_maps', 'attr=map'),
    z_bias_map: `itp_map://resource://${UNIFORM_ZERO_Z_BIAS_MAP}?fmt=json`,
    s1_xyz_map: corr('s1_xyz_maps', 'attr=map'),
    s2_xy_map: corr('s2_xy_maps', 'attr=map'),
    avg_se_gain: corr('avg_se_gains'),
    se_gain: partitioned('se_gains'),
    rel_extraction_eff: partitioned('rel_extraction_effs'),
    rel_light_yield: corr('relative_light_yield'),
    s1_bias_map: bias('s1'),
    s2_bias_map: bias('s2'),
    g1: pyFloat(0.15),
    g2: pyFloat(16.0),
    event_info_function: 'disabled',
  });
}

export interface XenonntOptions {
  /** Corrections from this file instead of the bundled ones. */
  correctionsFile?: string;
  /** The bundled corrections of the simulated TPC (they live in daq/, which config must not
   * import): used when no correctionsFile is given. */
  bundledCorrections?: CorrectionsModule;
  /** Folders for resource:// names (default: the working directory). */
  searchDirs?: readonly string[];
  overrides?: Readonly<Record<string, unknown>>;
}

function xenonnt(name: string, version: string, o: XenonntOptions): PresetSetup {
  return {
    name,
    config: { ...xenonntConfig(version), ...normalizeConfig(o.overrides ?? {}) },
    resolver: {
      searchDirs: [...(o.searchDirs ?? [process.cwd()])],
      correctionsFile: o.correctionsFile,
      correctionsModule: o.correctionsFile === undefined ? o.bundledCorrections : undefined,
    },
  };
}

/** Online processing: corrections of version ONLINE. */
export function xenonntOnlinePreset(o: XenonntOptions = {}): PresetSetup {
  return xenonnt('xenonnt_online', 'ONLINE', o);
}

/** Offline reprocessing: corrections of one fixed version (default the bundled straxts_v1). */
export function xenonntOfflinePreset(o: XenonntOptions & { version?: string } = {}): PresetSetup {
  return xenonnt('xenonnt_offline', o.version ?? BUNDLED_OFFLINE_VERSION, o);
}

export const PRESET_NAMES = ['reference', 'xenonnt_online', 'xenonnt_offline'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
