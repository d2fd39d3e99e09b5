import { describe, expect, it } from 'vitest';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';
import { Records } from '../../src/core/records.js';
import { PeakBasicsVanilla } from '../../src/plugins/peak_basics/index.js';
import { PeaksVanilla } from '../../src/plugins/peaks/index.js';
import { MergedS2sVanilla } from '../../src/plugins/merged_s2s/index.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { loadNpy, peakletsWithClassification } from './peak-chain-fixtures.js';

const RANGE = { start: 0n, end: 0n, chunkI: 0 };

function check(run: string, got: Records, expected: Records): void {
  const ag = compareRecords(got, expected, { rtol: 1e-6 });
  if (!ag.ok || process.env.SHOW_AGREEMENT) console.log(run, formatAgreement(ag));
  expect(ag.ok).toBe(true);
}

describe('peak_basics (PeakBasicsVanilla 0.1.7) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`${run}: dtype and values from the stored peaks`, async () => {
      const peaks = loadNpy(run, 'peaks');
      const { plugin } = await configuredPlugin(PeakBasicsVanilla, run, { check_peak_sum_area_rtol: 1e-4 });
      const expected = loadNpy(run, 'peak_basics');
      expect(plugin.inferDtype().toDescr()).toBe(expected.dtype.toDescr());
      check(run, plugin.compute({ peaks }, RANGE), expected);
    });

    it(`${run}: whole chain peaklets → merged_s2s → peaks → peak_basics`, async () => {
      const peaklets = peakletsWithClassification(run);
      const lone = loadNpy(run, 'lone_hits');
      const m = (await configuredPlugin(MergedS2sVanilla, run)).plugin;
      const merged = m.compute({ peaklets, lone_hits: lone }, RANGE);
      const pk = (await configuredPlugin(PeaksVanilla, run)).plugin;
      const peaks = pk.compute({ peaklets, merged_s2s: merged }, RANGE);
      const basics = (await configuredPlugin(PeakBasicsVanilla, run)).plugin.compute({ peaks }, RANGE);
      check(run, basics, loadNpy(run, 'peak_basics'));
    });
  }

  it('wraps dt above 32767 into int16 and counts NaN areas as no contribution', async () => {
    const peaks = loadNpy('run012100', 'peaks').slice(0, 2);
    const copy = Records.concat([peaks], peaks.dtype.select(peaks.dtype.names));
    copy.i32('dt')[0] = 40000;
    copy.f32('area_per_channel')[3] = NaN;
    const { plugin } = await configuredPlugin(PeakBasicsVanilla, 'run012100');
    const r = plugin.compute({ peaks: copy }, RANGE);
    expect(r.i16('dt')[0]).toBe(40000 - 65536);
    expect(r.i16('max_pmt')[0]).toBe(3); // numpy argmax returns the first NaN
    expect(Number.isNaN(r.f32('max_pmt_area')[0]!)).toBe(true);
    expect(r.i64('endtime')[0]).toBe(copy.i64('time')[0]! + 40000n * BigInt(copy.i32('length')[0]!));
  });

  it('rejects peaks whose per-channel areas do not add up when asked to check', async () => {
    const peaks = loadNpy('run012100', 'peaks').slice(0, 3);
    const copy = Records.concat([peaks], peaks.dtype.select(peaks.dtype.names));
    copy.f32('area')[1] = copy.f32('area')[1]! * 2 + 10;
    const { plugin } = await configuredPlugin(PeakBasicsVanilla, 'run012100', {
      check_peak_sum_area_rtol: 1e-4,
    });
    expect(() => plugin.compute({ peaks: copy }, RANGE)).toThrow(/area not calculated correctly/);
  });
});
