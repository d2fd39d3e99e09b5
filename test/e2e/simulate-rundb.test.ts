// A simulated run registered in a shared PostgreSQL runs database with a relative output folder:
// the entry holds the absolute location and this host, so straxer started in another working
// directory finds the raw_records through the database.

import { hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRunDb } from '../../src/rundb/rundb.js';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { pgSchemaUrl } from '../helpers/rundb.js';
import { simulate } from './simulated-helpers.js';

beforeAll(() => ensureBuilt(), 600_000);

const URL_ = pgSchemaUrl('reliability_sim');

describe('straxts simulate --rundb with a relative output folder', () => {
  it('registers the absolute location; straxer elsewhere finds the run', async () => {
    const run = '000603';
    const daq = tempDir('straxts-simdb-');
    await simulate(run, 'strax_data', ['--duration', '300ms', '--no-big-event', '--rundb', URL_], daq);
    const db = await openRunDb(URL_);
    try {
      const [entry] = await db.listData(Number(run));
      expect(entry!.host).toBe(hostname());
      expect(isAbsolute(entry!.location)).toBe(true);
      expect(entry!.location.startsWith(join(daq, 'strax_data'))).toBe(true);
    } finally {
      await db.close();
    }
    const elsewhere = tempDir('straxts-simdb-other-');
    const r = await runTool('straxer', [run, '--target', 'peaklets', '--rundb', URL_], elsewhere);
    expect(r.code, r.stderr).toBe(0);
  }, 300_000);
});
