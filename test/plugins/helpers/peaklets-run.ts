// Runs Peaklets over a reference run's stored records, chunk by chunk, with the reference
// configuration (the plugin configured by the context; the chunks fed here, as strax would).

import { Records } from '../../../src/core/records.js';
import { Peaklets } from '../../../src/plugins/peaklets/index.js';
import { configuredPlugin } from '../../helpers/reference-plugin.js';
import { readReferenceChunks, type StoredChunk } from './strax-chunks.js';

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
      const { plugin } = await configuredPlugin(Peaklets, run);
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
