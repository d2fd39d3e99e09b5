// Runs Peaklets (and classification) over a reference run's stored records, chunk by chunk, with
// the reference configuration, as strax would (test-only; no context involved).

import { unwrapPy } from '../../../src/core/python/float.js';
import type { Plugin } from '../../../src/core/plugin.js';
import { Records } from '../../../src/core/records.js';
import { Peaklets } from '../../../src/plugins/peaklets/index.js';
import { runNumber } from '../../helpers/reference.js';
import { readReferenceChunks, referenceJsonList, type StoredChunk } from './strax-chunks.js';

/** Defaults of a plugin's options, then the overrides (as the context resolves them). */
export function configure<P extends Plugin>(plugin: P, overrides: Record<string, unknown>): P {
  const cfg: Record<string, unknown> = {};
  for (const o of plugin.options) {
    if (o.defaultFactory) cfg[o.name] = unwrapPy(o.defaultFactory());
    else if ('default' in o) cfg[o.name] = unwrapPy(o.default);
  }
  Object.assign(cfg, overrides);
  plugin.config = cfg;
  return plugin;
}

/** The vanilla XENONnT context values plus the run's gains and hit thresholds. */
export function referencePeakletConfig(run: string): Record<string, unknown> {
  const num = runNumber(run);
  return {
    gain_model: Float64Array.from(referenceJsonList(run, `${num}-to_pe.json`)),
    hit_min_amplitude: Int32Array.from(referenceJsonList(run, `${num}-hit_thresholds.json`)),
    n_tpc_pmts: 494,
    n_top_pmts: 253,
    store_data_top: false,
    store_data_start: false,
    channel_map: { tpc: [0, 493] },
  };
}

export interface PeakletsRun {
  peaklets: Records;
  loneHits: Records;
  records: StoredChunk[];
}

const cache = new Map<string, Promise<PeakletsRun>>();

export function runPeaklets(run: string): Promise<PeakletsRun> {
  let p = cache.get(run);
  if (!p) {
    p = (async () => {
      const records = await readReferenceChunks(run, 'records');
      const plugin = configure(new Peaklets(), referencePeakletConfig(run));
      plugin.setup();
      const pk: Records[] = [],
        lh: Records[] = [];
      records.forEach((c, chunkI) => {
        const out = plugin.compute({ records: c.data }, { start: c.start, end: c.end, chunkI }) as Record<
          string,
          Records
        >;
        pk.push(out['peaklets']!);
        lh.push(out['lone_hits']!);
      });
      const d = plugin.inferDtype() as Record<string, import('../../../src/core/dtype.js').DType>;
      return {
        peaklets: Records.concat(pk, d['peaklets']),
        loneHits: Records.concat(lh, d['lone_hits']),
        records,
      };
    })();
    cache.set(run, p);
  }
  return p;
}
