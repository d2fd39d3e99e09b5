import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  hitDtype,
  peakDtype,
  rawRecordDtype,
  recordDtype,
  hitletWithDataDtype,
} from '../../src/core/standard-dtypes.js';
import { DType } from '../../src/core/dtype.js';

const REF = '/work/shared/reference';

function metaDtype(run: string, dataType: string): string {
  const dir = join(REF, run, 'strax_data');
  const folder = readdirSync(dir).find((d) => d.startsWith(`${run.slice(3)}-${dataType}-`));
  if (!folder) throw new Error(`no ${dataType} in ${dir}`);
  const metaFile = readdirSync(join(dir, folder)).find((f) => f.endsWith('-metadata.json'))!;
  return JSON.parse(readFileSync(join(dir, folder, metaFile), 'utf8')).dtype as string;
}

describe('standard dtypes match the reference metadata', () => {
  for (const run of ['run012100', 'run012200']) {
    it(`${run}: raw_records, records, lone_hits, veto_regions, peaklets`, () => {
      expect(rawRecordDtype(110).toDescr()).toBe(metaDtype(run, 'raw_records'));
      expect(recordDtype(110).toDescr()).toBe(metaDtype(run, 'records'));
      expect(hitDtype().toDescr()).toBe(metaDtype(run, 'lone_hits'));
      expect(hitDtype().toDescr()).toBe(metaDtype(run, 'veto_regions'));
      const peaklets = peakDtype({ nChannels: 494, storeDataTop: false, storeDataStart: false });
      expect(peaklets.toDescr()).toBe(metaDtype(run, 'peaklets'));
    });
  }

  it('row sizes', () => {
    expect(recordDtype().itemsize).toBe(257);
    expect(rawRecordDtype().itemsize).toBe(244);
    expect(hitDtype().itemsize).toBe(48);
  });

  it('peak dtype with data_top and data_start puts them before data', () => {
    const d = peakDtype({ nChannels: 494 });
    const names = d.names;
    expect(names.slice(8, 12)).toEqual(['n_hits', 'data_top', 'data_start', 'data']);
    expect(() => peakDtype({ nChannels: 1 })).toThrow();
    const noTiming = peakDtype({
      nChannels: 10,
      hitsTiming: false,
      storeDataTop: false,
      storeDataStart: false,
    });
    expect(noTiming.names.at(-1)).toBe('max_goodness_of_split');
  });

  it('hitlet with data dtype round-trips through its descr', () => {
    const d = hitletWithDataDtype(5);
    expect(DType.fromDescr(d.toDescr()).toDescr()).toBe(d.toDescr());
    expect(() => hitletWithDataDtype(1)).toThrow();
  });
});
