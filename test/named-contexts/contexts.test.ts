// The named contexts: the reference context gives every lineage hash of the reference data
// (both runs) without processing anything; the xenonnt contexts resolve every option the chain
// needs; bad arguments are refused with a message that says what to do.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ContextSetupError,
  checkContextArgs,
  makeContext,
  openContext,
} from '../../src/named-contexts/contexts.js';
import { RunDbFrontend } from '../../src/storage/rundb-frontend.js';
import { RestrictedFrontend, RunInfoFrontend } from '../../src/named-contexts/frontends.js';
import { XENONNT_DETECTOR, toPe } from '../../src/daq/simulator/detector-model.js';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { REFERENCE_RUNS, referenceDataDir, runNumber } from '../helpers/reference.js';
import { tempDir } from '../helpers/tmp.js';

describe('reference context', () => {
  for (const run of REFERENCE_RUNS) {
    it(`${run}: every stored folder name (lineage hash) is what the context computes`, () => {
      const id = runNumber(run);
      const dir = referenceDataDir(run);
      const { context, dataTypes } = makeContext('reference', {
        configFile: join(dir, `${id}-config.json`),
        outputFolder: tempDir(),
      });
      const folders = readdirSync(dir).filter((f) => /^\d+-[a-z_0-9]+-[a-z0-9]{10}$/.test(f));
      expect(folders.length).toBe(20);
      for (const f of folders) {
        const type = f.slice(id.length + 1, -11);
        expect(dataTypes).toContain(type);
        expect(`${id}-${type}-${context.keyFor(id, type).lineageHash}`).toBe(f);
      }
    });
  }

  it('sees the reference data as stored when pointed at it', async () => {
    const dir = referenceDataDir('run012100');
    const sc = makeContext('reference', { configFile: join(dir, '012100-config.json'), outputFolder: dir });
    expect(await sc.context.isStored('012100', ['event_info_double', 'records', 'peaks'])).toBe(true);
  });

  it('needs a config file', () => {
    expect(() => checkContextArgs('reference', {})).toThrow(ContextSetupError);
    expect(() => makeContext('reference', {})).toThrow(/--config_from_json/);
  });
});

describe('xenonnt contexts', () => {
  it('unknown names and misplaced arguments are refused', () => {
    expect(() => makeContext('xenon1t_dali')).toThrow(/unknown context 'xenon1t_dali'.*xenonnt_online/);
    expect(() => makeContext('xenonnt_online', { version: 'v3' })).toThrow(/xenonnt_offline/);
    expect(() => makeContext('xenonnt_online', { weAreTheDaq: true })).toThrow(/runs database/);
  });

  for (const name of ['xenonnt_online', 'xenonnt_offline']) {
    it(`${name}: gains and thresholds of the simulated detector reach the plugins`, async () => {
      const sc = makeContext(name, { outputFolder: tempDir() });
      sc.setRunExtent('000001', 1_765_000_000_000_000_000n, 1_765_000_010_000_000_000n);
      const peaklets = await sc.context.getSinglePlugin('000001', 'peaklets');
      expect(Array.from(peaklets.config['gain_model'] as ArrayLike<number>)).toEqual(toPe(XENONNT_DETECTOR));
      expect(Array.from(peaklets.config['hit_min_amplitude'] as ArrayLike<number>)).toEqual(
        Array.from(XENONNT_DETECTOR.hitThreshold),
      );
      // Every plugin of the chain can be set up (all options resolve); the DAQReader needs a run's
      // live_data (test/daq/live-data).
      for (const t of sc.dataTypes.filter((d) => !d.startsWith('raw_records')))
        await sc.context.getSinglePlugin('000001', t);
    });
  }

  it('storage: run info first, then the data folder (created only on the first save)', () => {
    const out = join(tempDir(), 'not_yet');
    const { context } = makeContext('xenonnt_online', { outputFolder: out });
    expect(context.storage[0]).toBeInstanceOf(RunInfoFrontend);
    const last = context.storage[context.storage.length - 1]!;
    expect(last).toBeInstanceOf(DataDirectory);
    expect(last.readonly).toBe(false);
    expect(readdirSync(join(out, '..'))).toEqual([]);
    expect(context.storage.some((f) => f instanceof RestrictedFrontend)).toBe(false);
  });
});

describe('openContext (library use)', () => {
  it('no runs database unless one is given or already in the data folder; a given one is read through its frontend', async () => {
    const out = tempDir();
    const plain = await openContext('xenonnt_online', { outputFolder: out });
    expect(plain.runDb).toBeNull();
    expect(readdirSync(out)).toEqual([]);
    const withDb = await openContext('xenonnt_online', {
      outputFolder: out,
      rundb: `sqlite:${join(out, 'runs.sqlite')}`,
    });
    try {
      expect(withDb.runDb).not.toBeNull();
      const fe = withDb.context.storage.find((f) => f instanceof RunDbFrontend)!;
      expect(fe.readonly).toBe(true);
    } finally {
      await withDb.runDb?.close();
    }
    await expect(openContext('nope')).rejects.toThrow(ContextSetupError);
  });
});
