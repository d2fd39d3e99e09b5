// Peaklets (peaklets + lone_hits) computed chunk by chunk from the stored records of both
// reference runs, compared field by field with what straxen wrote; options and lineage against
// the reference metadata.

import { describe, expect, it } from 'vitest';
import { compareRecords, type Agreement } from '../../src/core/compare.js';
import { DType } from '../../src/core/dtype.js';
import type { Records } from '../../src/core/records.js';
import { hashText, lineageHash } from '../../src/core/lineage.js';
import { pyJsonParse } from '../../src/core/python/json.js';
import type { Lineage } from '../../src/core/storage-api.js';
import { Peaklets } from '../../src/plugins/peaklets/index.js';
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
  chunk_target_size_mb: number;
}
const meta = (run: string, type: string): Meta => pyJsonParse(referenceMetadataText(run, type)) as never;

function expectAgreement(a: Agreement): void {
  const bad = a.fields
    .filter((f) => f.mismatched > 0)
    .map((f) => `${f.field}: ${f.mismatched}/${f.compared} first ${JSON.stringify(f.firstMismatch)}`);
  expect(bad).toEqual([]);
  expect(a.rowsA).toBe(a.rowsB);
  expect(a.onlyInA).toEqual([]);
  expect(a.onlyInB).toEqual([]);
  expect(a.ok).toBe(true);
}

describe('Peaklets on the reference records', () => {
  for (const run of REFERENCE_RUNS) {
    for (const type of ['peaklets', 'lone_hits'] as const) {
      it(`${run}: ${type} equal straxen's, field by field`, async () => {
        const out = await runPeaklets(run);
        const mine = type === 'peaklets' ? out.peaklets : out.loneHits;
        const ref = loadReferenceNpy(run, type).records;
        expect(mine.dtype.toDescr()).toBe(DType.fromDescr(meta(run, type).dtype).toDescr());
        expect(mine.dtype.toDescr()).toBe(meta(run, type).dtype);
        const agreement = compareRecords(mine, ref, { rtol: 1e-6 });
        expectAgreement(agreement);
        // Every field is in fact bit-identical (NaN where straxen has NaN).
        expect(agreement.fields.filter((f) => !f.exact).map((f) => f.field)).toEqual([]);
      }, 120_000);
    }

    it(`${run}: lineage entry, hash, compressor and kinds as stored`, async () => {
      const { plugin, tracked } = await configuredPlugin(Peaklets, run);
      for (const type of ['peaklets', 'lone_hits']) {
        const m = meta(run, type);
        // A multi-output plugin's lineage is keyed by its last output.
        const mine: Lineage[string] = [plugin.className, plugin.version, tracked];
        expect(hashText(mine)).toBe(hashText(m.lineage['lone_hits']));
        expect(lineageHash({ ...m.lineage, lone_hits: mine })).toBe(m.lineage_hash);
        expect(lineageHash(plugin.lineage)).toBe(m.lineage_hash);
        expect(plugin.compressor).toBe(m.compressor);
        expect((plugin.dataKind as Record<string, string>)[type]).toBe(m.data_kind);
        expect(plugin.chunkTargetSizeMb).toBe(m.chunk_target_size_mb);
      }
    });
  }

  it('lone hits are the hits outside every peaklet: none inside a peaklet, all integrated inside their record', async () => {
    const { peaklets, loneHits } = await runPeaklets('run012100');
    const pt = peaklets.i64('time'),
      pl = peaklets.i32('length'),
      pd = peaklets.i32('dt');
    const lt = loneHits.i64('time'),
      ll = loneHits.i32('length'),
      ld = loneHits.i16('dt');
    let j = 0,
      inside = 0,
      badWindow = 0;
    const li = loneHits.i16('left_integration'),
      ri = loneHits.i16('right_integration');
    for (let i = 0; i < loneHits.length; i++) {
      const end = lt[i]! + BigInt(ll[i]! * ld[i]!);
      while (j < peaklets.length && pt[j]! + BigInt(pl[j]! * pd[j]!) <= lt[i]!) j++;
      if (j < peaklets.length && pt[j]! <= lt[i]! && end <= pt[j]! + BigInt(pl[j]! * pd[j]!)) inside++;
      if (!(li[i]! >= 0 && ri[i]! > li[i]! && ri[i]! <= 110)) badWindow++;
    }
    expect(loneHits.length).toBeGreaterThan(0);
    expect(inside).toBe(0);
    expect(badWindow).toBe(0);
  }, 120_000);

  it('an empty records chunk gives empty peaklets and lone hits of the right dtypes', async () => {
    const { records } = await runPeaklets('run012100');
    const { plugin } = await configuredPlugin(Peaklets, 'run012100');
    const out = plugin.compute(
      { records: records[0]!.data.slice(0, 0) },
      { start: 1000n, end: 2000n, chunkI: 0 },
    ) as Record<string, Records>;
    expect(out['peaklets']!.length).toBe(0);
    expect(out['lone_hits']!.length).toBe(0);
    expect(out['peaklets']!.dtype.toDescr()).toBe(meta('run012100', 'peaklets').dtype);
  });

  it('refuses settings straxen refuses, with one clear line', async () => {
    const peaklets = (config: Record<string, unknown>) => configuredPlugin(Peaklets, 'run012100', config);
    await expect(peaklets({ peak_min_pmts: 3 })).rejects.toThrow(/peak_min_pmts 3/);
    await expect(peaklets({ peaklet_gap_threshold: 1500 })).rejects.toThrow(/peaklet_gap_threshold 1500/);
    await expect(peaklets({ gain_model: 'not resolved' })).rejects.toThrow(/gain_model/);
  });

  it('makes the dtype the options ask for (data_top / data_start kept when stored)', async () => {
    const { plugin: p } = await configuredPlugin(Peaklets, 'run012100', {
      store_data_top: true,
      store_data_start: true,
    });
    const names = (p.inferDtype() as Record<string, DType>)['peaklets']!.names;
    expect(names.slice(8, 12)).toEqual(['n_hits', 'data_top', 'data_start', 'data']);
  });
});
