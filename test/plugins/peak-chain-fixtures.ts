// Shared set-up for the merged_s2s / peaks / peak_basics golden tests: reference inputs, the
// run's gains, and a plugin configured with defaults plus the reference settings.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DType } from '../../src/core/dtype.js';
import type { Plugin } from '../../src/core/plugin.js';
import { unwrapPy } from '../../src/core/python/float.js';
import { Records } from '../../src/core/records.js';
import { loadReferenceNpy, referenceDataDir, runNumber } from '../helpers/reference.js';

export function loadNpy(run: string, type: string): Records {
  return loadReferenceNpy(run, type).records;
}

/** PE per ADC·sample per channel, from RUN-to_pe.json. */
export function loadGains(run: string): Float64Array {
  const text = readFileSync(join(referenceDataDir(run), `${runNumber(run)}-to_pe.json`), 'utf8');
  return Float64Array.from(JSON.parse(text) as number[]);
}

/** peaklets and peaklet_classification as strax hands them to a plugin: one array, fields in
 * data-type name order, the classification's values winning. */
export function peakletsWithClassification(run: string): Records {
  const pk = loadNpy(run, 'peaklets');
  const cls = loadNpy(run, 'peaklet_classification');
  return Records.mergeColumns([pk, cls], DType.merge([cls.dtype, pk.dtype]));
}

/** Set a plugin's config from its option defaults plus overrides, and its input dtypes. */
export function configure<P extends Plugin>(
  plugin: P,
  deps: Record<string, DType>,
  overrides: Record<string, unknown> = {},
): P {
  const config: Record<string, unknown> = {};
  for (const o of plugin.options) {
    if (o.name in overrides) config[o.name] = overrides[o.name];
    else if (o.defaultFactory) config[o.name] = unwrapPy(o.defaultFactory());
    else if ('default' in o) config[o.name] = unwrapPy(o.default);
  }
  plugin.config = config;
  plugin.depDtypes = deps;
  return plugin;
}

export const PMT_SETTINGS = { n_top_pmts: 253, n_tpc_pmts: 494 };
