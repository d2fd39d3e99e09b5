import { describe, expect, it } from 'vitest';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';
import { MergedS2sVanilla } from '../../src/plugins/merged_s2s/index.js';
import { Records } from '../../src/core/records.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { loadNpy, peakletsWithClassification } from './peak-chain-fixtures.js';

describe('merged_s2s (MergedS2sVanilla 1.1.1) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reproduces ${run}`, async () => {
      const peaklets = peakletsWithClassification(run);
      const lone = loadNpy(run, 'lone_hits');
      const expected = loadNpy(run, 'merged_s2s');
      const { plugin } = await configuredPlugin(MergedS2sVanilla, run);
      expect(plugin.inferDtype().toDescr()).toBe(expected.dtype.toDescr());
      const got = plugin.compute({ peaklets, lone_hits: lone }, { start: 0n, end: 0n, chunkI: 0 });
      const ag = compareRecords(got, expected, { rtol: 1e-6 });
      if (!ag.ok || process.env.SHOW_AGREEMENT) console.log(run, formatAgreement(ag));
      expect(ag.ok).toBe(true);
    });
  }
});

describe('merged_s2s edge cases', () => {
  const run = 'run012100';
  const make = async (config: Record<string, unknown>) =>
    (await configuredPlugin(MergedS2sVanilla, run, config)).plugin;
  const range = { start: 0n, end: 0n, chunkI: 0 };

  it('makes nothing from a single peaklet or from S1s only', async () => {
    const peaklets = peakletsWithClassification(run);
    const lone = loadNpy(run, 'lone_hits');
    const plugin = await make({});
    expect(plugin.compute({ peaklets: peaklets.slice(0, 1), lone_hits: lone }, range).length).toBe(0);
    const s1 = peaklets.filter(Array.from(peaklets.i8('type'), (t) => t === 1));
    expect(s1.length).toBeGreaterThan(1);
    expect(plugin.compute({ peaklets: s1, lone_hits: lone }, range).length).toBe(0);
  });

  // A gain_model still holding its URL is refused by the context before compute (context-config.test.ts).
  it('says clearly when a position check is asked for', async () => {
    const inputs = { peaklets: peakletsWithClassification(run), lone_hits: loadNpy(run, 'lone_hits') };
    const plugin = await make({ rm_sparse_xy_vanilla: true });
    expect(() => plugin.compute(inputs, range)).toThrow(/rm_sparse_xy_vanilla/);
  });

  it('merges less with a shorter maximum duration; the natural-break veto matters on run012200', async () => {
    const inputs = {
      peaklets: peakletsWithClassification('run012200'),
      lone_hits: loadNpy('run012200', 'lone_hits'),
    };
    const m = async (config: Record<string, unknown>) =>
      (await configuredPlugin(MergedS2sVanilla, 'run012200', config)).plugin.compute(inputs, range);
    const n = (await m({})).length;
    expect((await m({ s2_merge_max_duration: 3000 })).length).toBeLessThan(n);
    expect((await m({ use_natural_break_gof: false })).length).not.toBe(n);
  });
});

describe('merged_s2s locality (what the overlap window relies on)', () => {
  it('gives the same S2s when the peaklets are processed in two parts split at a wide gap', async () => {
    const run = 'run012200';
    const peaklets = peakletsWithClassification(run);
    const lone = loadNpy(run, 'lone_hits');
    const { plugin } = await configuredPlugin(MergedS2sVanilla, run);
    // The first gap after the middle that is wider than the 175 100 ns window.
    const t = peaklets.i64('time'),
      len = peaklets.i32('length'),
      dt = peaklets.i32('dt');
    let cut = Math.floor(peaklets.length / 2);
    while (t[cut]! - (t[cut - 1]! + BigInt(len[cut - 1]! * dt[cut - 1]!)) < 175100n) cut++;
    const range = { start: 0n, end: 0n, chunkI: 0 };
    const whole = plugin.compute({ peaklets, lone_hits: lone }, range);
    const a = plugin.compute({ peaklets: peaklets.slice(0, cut), lone_hits: lone }, range);
    const b = plugin.compute({ peaklets: peaklets.slice(cut), lone_hits: lone }, range);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(compareRecords(Records.concat([a, b]), whole).ok).toBe(true);
  });
});
