import { describe, expect, it } from 'vitest';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';
import { Records } from '../../src/core/records.js';
import { PeaksVanilla } from '../../src/plugins/peaks/index.js';
import { MergedS2sVanilla } from '../../src/plugins/merged_s2s/index.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { loadNpy, peakletsWithClassification } from './peak-chain-fixtures.js';

const RANGE = { start: 0n, end: 0n, chunkI: 0 };

async function peaksPlugin(run: string, config: Record<string, unknown> = {}): Promise<PeaksVanilla> {
  return (await configuredPlugin(PeaksVanilla, run, config)).plugin;
}

function check(run: string, got: Records, expected: Records): void {
  const ag = compareRecords(got, expected, { rtol: 1e-6 });
  if (!ag.ok || process.env.SHOW_AGREEMENT) console.log(run, formatAgreement(ag));
  expect(ag.ok).toBe(true);
}

describe('peaks (PeaksVanilla 0.1.3) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`${run}: aligned dtype equals the stored one, byte layout included`, async () => {
      const expected = loadNpy(run, 'peaks');
      const dtype = (await peaksPlugin(run)).inferDtype();
      expect(dtype.toDescr()).toBe(expected.dtype.toDescr());
      expect(dtype.itemsize).toBe(expected.dtype.itemsize);
    });

    it(`${run}: from the stored merged_s2s`, async () => {
      const got = (await peaksPlugin(run)).compute(
        { peaklets: peakletsWithClassification(run), merged_s2s: loadNpy(run, 'merged_s2s') },
        RANGE,
      );
      check(run, got, loadNpy(run, 'peaks'));
    });

    it(`${run}: from merged_s2s computed by straxts`, async () => {
      const peaklets = peakletsWithClassification(run);
      const lone = loadNpy(run, 'lone_hits');
      const { plugin: m } = await configuredPlugin(MergedS2sVanilla, run);
      const merged = m.compute({ peaklets, lone_hits: lone }, RANGE);
      const got = (await peaksPlugin(run)).compute({ peaklets, merged_s2s: merged }, RANGE);
      const expected = loadNpy(run, 'peaks');
      check(run, got, expected);
      // Padding bytes are zero, as numpy.zeros leaves them.
      expect(Buffer.from(got.toBytes()).equals(Buffer.from(expected.toBytes()))).toBe(true);
    });
  }
});

describe('peaks options', () => {
  const run = 'run012200';
  it('keeps type-0 peaklets apart when merge_s0 is off, and passes diagnose_sorting', async () => {
    const peaklets = peakletsWithClassification(run);
    const merged = loadNpy(run, 'merged_s2s');
    const plugin = await peaksPlugin(run, { merge_s0: false, diagnose_sorting: true });
    const got = plugin.compute({ peaklets, merged_s2s: merged }, RANGE);
    const count = (r: Records, t: number): number => r.i8('type').filter((x) => x === t).length;
    expect(count(got, 0)).toBe(count(peaklets, 0));
    expect(count(got, 1)).toBe(count(peaklets, 1));
    const t = got.i64('time');
    for (let i = 1; i < got.length; i++) expect(t[i]! >= t[i - 1]!).toBe(true);
  });
});
