import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { N_TOP_PMTS, PMT_X, PMT_Y } from '../../src/config/pmt-positions.js';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';
import { PeakPositionsCoG } from '../../src/plugins/peak_positions/index.js';
import { REFERENCE, REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { loadNpy, metadata, optionsText } from './event-chain-fixtures.js';

describe('PMT positions', () => {
  it('equal the public XENONnT table the reference used', () => {
    const lines = readFileSync(join(REFERENCE, 'pmt_positions_xenonnt.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    expect(lines.length).toBe(PMT_X.length);
    lines.forEach((line, i) => {
      const [ch, array, x, y] = line.split(',');
      expect(Number(ch)).toBe(i);
      expect(array).toBe(i < N_TOP_PMTS ? 'top' : 'bottom');
      expect(PMT_X[i]).toBe(Number(x));
      expect(PMT_Y[i]).toBe(Number(y));
    });
  });
});

describe('peak_positions (PeakPositionsCoG 0.0.1) against the reference', () => {
  for (const run of REFERENCE_RUNS) {
    it(`reproduces ${run} bit for bit`, async () => {
      const peaks = loadNpy(run, 'peaks');
      const expected = loadNpy(run, 'peak_positions');
      const meta = metadata(run, 'peak_positions');
      const { plugin, tracked } = await configuredPlugin(PeakPositionsCoG, run);
      expect(plugin.inferDtype().toDescr()).toBe(meta.dtype);
      expect(plugin.provides).toEqual(['peak_positions']);
      expect(plugin.dependsOn).toEqual(['peaks']);
      expect(plugin.compressor).toBe(meta.compressor);
      const [cls, version, opts] = meta.lineage['peak_positions']!;
      expect([plugin.className, plugin.version]).toEqual([cls, version]);
      expect(optionsText(tracked)).toBe(optionsText(opts));

      const got = plugin.compute({ peaks });
      const ag = compareRecords(got, expected, { rtol: 0 });
      if (!ag.ok || process.env.SHOW_AGREEMENT) console.log(run, formatAgreement(ag));
      expect(ag.ok).toBe(true);
      expect(ag.fields.every((f) => f.exact)).toBe(true);
    });
  }
});
