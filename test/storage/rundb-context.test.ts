import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '../../src/core/context/context.js';
import { openRunDb, type RunDb } from '../../src/rundb/rundb.js';
import { PulseProcessing } from '../../src/plugins/records/index.js';
import { SimRawRecords } from '../../src/plugins/raw_records/index.js';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { loadAll } from '../../src/storage/load-all.js';
import { RunDbFrontend } from '../../src/storage/rundb-frontend.js';
import { REFERENCE_RUNS, referenceDataDir, runNumber } from '../helpers/reference.js';
import { tempDir } from '../helpers/tmp.js';
import { referenceConfig } from '../plugins/records-reference.js';
import { DB_TARGETS } from '../helpers/rundb.js';

// The context saving through the runs-database frontend: what it makes is registered, found
// again through the database alone, and equals what strax wrote.

describe.each(DB_TARGETS)('context with the $dialect runs-database frontend', (target) => {
  let db: RunDb;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const f = target.fresh();
    drop = f.drop;
    db = await openRunDb(f.url);
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });

  it.each(REFERENCE_RUNS)('makes records of %s, registers them and loads them back', async (run) => {
    const runId = runNumber(run);
    await db.insertRun({ number: Number(runId), start: new Date() });
    const out = tempDir();
    const config = { n_tpc_pmts: 494, hit_min_amplitude: referenceConfig(run).hitThresholds };
    const register = [SimRawRecords, PulseProcessing];
    const writer = new Context({
      register,
      config,
      storage: [
        new DataDirectory(referenceDataDir(run), { readonly: true }),
        new RunDbFrontend(db, { hostname: 'eb3', newDataPath: out }),
      ],
    });
    await writer.make(runId, 'records', { progress: false });
    const key = writer.keyFor(runId, 'records');
    const entries = await db.findData(Number(runId), 'records', key.lineageHash);
    expect(entries.map((e) => [e.host, e.status, e.location])).toEqual([
      ['eb3', 'complete', `${out}/${runId}-records-${key.lineageHash}`],
    ]);

    const reader = new Context({ register, config, storage: [new RunDbFrontend(db, { hostname: 'eb3' })] });
    expect(await reader.isStored(runId, 'records')).toBe(true);
    const mine = await reader.getArray(runId, 'records', { progress: false });
    const theirs = await loadAll(referenceDataDir(run), runId, 'records');
    expect(Buffer.from(mine.toBytes()).equals(Buffer.from(theirs.toBytes()))).toBe(true);
    // another host sees nothing of it
    const elsewhere = new Context({
      register,
      config,
      storage: [new RunDbFrontend(db, { hostname: 'eb4' })],
    });
    expect(await elsewhere.isStored(runId, 'records')).toBe(false);
  });
});
