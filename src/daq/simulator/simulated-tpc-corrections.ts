// The corrections straxts ships for its XENONnT-like TPC (the detector the simulator models):
// constant in time, valid at all times, under version ONLINE and the offline version. PMT
// gains and hit thresholds come from the detector model, so simulated data processed with the
// xenonnt presets is calibrated; maps are uniform.

import { XENONNT_DETECTOR, toPe } from './detector-model.js';
import { UNIFORM_ONE_MAP, UNIFORM_ZERO_MAP } from '../../config/bundled-resources.js';
import { JsonCorrectionsSource } from '../../config/corrections.js';
import type { CorrectionsModule } from '../../config/option-resolver.js';
import { BUNDLED_OFFLINE_VERSION } from '../../config/presets.js';

const CONSTANTS: Readonly<Record<string, unknown>> = {
  electron_drift_velocities: 6.75e-5, // cm/ns
  electron_drift_time_gates: 2700, // ns
  electron_lifetimes: 1.5e7, // ns
  avg_se_gains: 28.0, // PE per extracted electron
  relative_light_yield: 1.0,
};

function bundledData(): Record<string, unknown> {
  const corrections: Record<string, Record<string, unknown>[]> = {};
  const versions = ['ONLINE', BUNDLED_OFFLINE_VERSION];
  const add = (schema: string, doc: Record<string, unknown>) => {
    for (const version of versions) (corrections[schema] ??= []).push({ version, ...doc });
  };
  for (const [schema, value] of Object.entries(CONSTANTS)) add(schema, { value });
  const det = XENONNT_DETECTOR;
  toPe(det).forEach((value, pmt) => add('pmt_area_to_pes', { detector: 'tpc', pmt, value }));
  det.hitThreshold.forEach((value, pmt) => add('hit_thresholds', { detector: 'tpc', pmt, value }));
  add('se_gains', { partition: 'all_tpc', value: 28.0 });
  add('rel_extraction_effs', { partition: 'all_tpc', value: 1.0 });
  add('s1_xyz_maps', { value: UNIFORM_ONE_MAP });
  add('s2_xy_maps', { value: UNIFORM_ONE_MAP });
  add('fdc_maps', { value: UNIFORM_ZERO_MAP });
  for (const signal of ['s1', 's2']) add('peak_reconstruction_bias', { signal, value: UNIFORM_ZERO_MAP });
  return {
    straxts_corrections: 1,
    description: 'straxts bundled corrections for the simulated XENONnT-like TPC (constant in time)',
    corrections,
  };
}

let cached: JsonCorrectionsSource | null = null;

/** The bundled corrections as a source (built once). */
export function bundledCorrections(): JsonCorrectionsSource {
  return (cached ??= new JsonCorrectionsSource(bundledData(), 'straxts bundled corrections'));
}

/** Where the option resolver (and its copies in worker threads) finds them. */
export const BUNDLED_CORRECTIONS_MODULE: CorrectionsModule = {
  moduleUrl: import.meta.url,
  exportName: 'bundledCorrections',
};
