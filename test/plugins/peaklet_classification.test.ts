// PeakletClassificationVanilla on straxen's peaklets and on ours, against straxen's
// peaklet_classification of both reference runs; options and lineage against the metadata.

import { describe, expect, it } from 'vitest';
import { compareRecords } from '../../src/core/compare.js';
import { hashText, lineageHash } from '../../src/core/lineage.js';
import { pyJsonParse } from '../../src/core/python/json.js';
import type { Records } from '../../src/core/records.js';
import type { Lineage } from '../../src/core/storage-api.js';
import { PeakletClassificationVanilla } from '../../src/plugins/peaklet_classification/index.js';
import { REFERENCE_RUNS, loadReferenceNpy } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { runPeaklets } from './helpers/peaklets-run.js';
import { referenceMetadataText } from './helpers/strax-chunks.js';

interface Meta {
  lineage: Lineage;
  lineage_hash: string;
  compressor: string;
  data_kind: string;
  dtype: string;
}
const meta = (run: string): Meta =>
  pyJsonParse(referenceMetadataText(run, 'peaklet_classification')) as never;

async function classify(run: string, peaklets: Records): Promise<Records> {
  const { plugin } = await configuredPlugin(PeakletClassificationVanilla, run);
  return plugin.compute({ peaklets });
}

describe('PeakletClassificationVanilla', () => {
  for (const run of REFERENCE_RUNS) {
    it(`${run}: classifies straxen's peaklets as straxen did`, async () => {
      const ref = loadReferenceNpy(run, 'peaklet_classification').records;
      const mine = await classify(run, loadReferenceNpy(run, 'peaklets').records);
      expect(mine.dtype.toDescr()).toBe(meta(run).dtype);
      const a = compareRecords(mine, ref);
      expect(a.fields.filter((f) => !f.exact).map((f) => f.field)).toEqual([]);
      expect(a.rowsA).toBe(a.rowsB);
      // All three classes occur.
      const types = new Set(mine.i8('type'));
      expect([...types].sort()).toEqual([0, 1, 2]);
    });

    it(`${run}: classifies our peaklets as straxen did`, async () => {
      const ref = loadReferenceNpy(run, 'peaklet_classification').records;
      const mine = await classify(run, (await runPeaklets(run)).peaklets);
      const a = compareRecords(mine, ref);
      expect(a.fields.filter((f) => !f.exact).map((f) => f.field)).toEqual([]);
      expect(a.rowsA).toBe(a.rowsB);
    }, 120_000);

    it(`${run}: lineage entry and hash as stored; blosc; a column of peaklets`, async () => {
      const m = meta(run);
      const { plugin, tracked } = await configuredPlugin(PeakletClassificationVanilla, run);
      const mine: Lineage[string] = [plugin.className, plugin.version, tracked];
      expect(hashText(mine)).toBe(hashText(m.lineage['peaklet_classification']));
      expect(lineageHash({ ...m.lineage, peaklet_classification: mine })).toBe(m.lineage_hash);
      expect(lineageHash(plugin.lineage)).toBe(m.lineage_hash);
      expect(plugin.compressor).toBe(m.compressor);
      // The class declares no kind; the context gives it its dependency's, 'peaklets'.
      expect(new PeakletClassificationVanilla().dataKind).toBeUndefined();
      expect(plugin.dataKind).toBe(m.data_kind);
      expect(m.data_kind).toBe('peaklets');
    });
  }

  it('empty peaklets give an empty classification', async () => {
    const { peaklets } = await runPeaklets('run012100');
    expect((await classify('run012100', peaklets.slice(0, 0))).length).toBe(0);
  });
});
