// straxer as the DAQ runs it on a simulated run with a shared PostgreSQL runs database
// (we_are_the_daq, parallel plugins on worker threads): every new data type is registered
// complete with a location any process can open, so straxer started elsewhere finds it all
// through the database; and a reprocessing from scratch with one worker gives the same data.

import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRunDb } from '../../src/rundb/rundb.js';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { pgSchemaUrl } from '../helpers/rundb.js';
import { compareDataDirs, dataFolders, expectedStoredTypes, simulate } from './simulated-helpers.js';

beforeAll(() => ensureBuilt(), 600_000);

const URL_ = pgSchemaUrl('h11d');

describe('straxer with we_are_the_daq on PostgreSQL, simulated run', () => {
  it('registers every new data type complete at an absolute location; other working directories find it', async () => {
    const run = '000602';
    const daq = tempDir('straxts-daq-');
    await simulate(run, join(daq, 'strax_data'), ['--duration', '2s', '--seed', '3', '--rundb', URL_], daq);
    const made = await runTool(
      'straxer',
      [
        run,
        '--target',
        'event_info_double',
        '--rundb',
        URL_,
        '--context_kwargs',
        '{"we_are_the_daq": true}',
        '--workers',
        '2',
        '--multiprocess',
      ],
      daq,
    );
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);

    const db = await openRunDb(URL_);
    try {
      const entries = await db.listData(Number(run));
      const expected = expectedStoredTypes('event_info_double');
      expect([...new Set(entries.map((e) => e.type))].sort()).toEqual(expected);
      for (const e of entries) {
        expect(e.host).toBe(hostname());
        expect(e.status, e.type).toBe(e.type === 'raw_records' ? 'transferred' : 'complete');
        expect(isAbsolute(e.location), `${e.type} registered at ${e.location}`).toBe(true);
        expect(existsSync(e.location), e.location).toBe(true);
      }
    } finally {
      await db.close();
    }

    // Another working directory, no data folder of its own: the runs database has it all.
    const elsewhere = tempDir('straxts-daq-user-');
    const again = await runTool(
      'straxer',
      [run, '--target', 'event_info_double', '--rundb', URL_],
      elsewhere,
    );
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/This data is already available/);
    expect(existsSync(join(elsewhere, 'strax_data'))).toBe(false);

    // From scratch (only raw_records taken from the database), one worker, into ./strax_data:
    // the same data as the DAQ's multi-threaded pass.
    const scratch = await runTool(
      'straxer',
      [run, '--target', 'event_info_double', '--rundb', URL_, '--from_scratch'],
      elsewhere,
    );
    expect(scratch.stderr).toBe('');
    expect(scratch.code).toBe(0);
    const mine = join(elsewhere, 'strax_data');
    expect(
      dataFolders(mine)
        .map((f) => f.split('-')[1])
        .sort(),
    ).toEqual(expectedStoredTypes('event_info_double').filter((t) => t !== 'raw_records'));
    for (const { folder, agreement } of await compareDataDirs(mine, join(daq, 'strax_data'), run)) {
      expect(agreement.ok, `${folder}: --from_scratch with one worker differs from the DAQ's pass`).toBe(
        true,
      );
    }
  }, 900_000);
});
