// ajax as operators run it (the built CLI, a real process): usage errors are one line and exit
// 2; a dry run changes neither the folders nor the runs database (hashed before and after) and
// prints what production then does; --force asks, and deletes a named run's last copy only on "y".

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DaqFolders } from '../../src/daq/daq-folders.js';
import { openRunDb, type RunDb } from '../../src/rundb/rundb.js';
import { ROOT, ensureBuilt, runTool, type ToolRun } from '../helpers/cli.js';
import {
  HOST,
  addRun,
  hashDatabase,
  hashFolder,
  registerFolder,
  registerLive,
  writeDataFolder,
  writeLive,
} from '../daq/helpers/daq-state.js';
import { makeFolders } from '../helpers/daq.js';

beforeAll(() => ensureBuilt(), 300_000);

const ajax = (args: string[], stdin = ''): Promise<ToolRun> => runTool('ajax', args, ROOT, { stdin });

describe('ajax CLI', () => {
  let root: string;
  let folders: DaqFolders;
  let cleanup: () => void;
  let url: string;
  let db: RunDb;

  beforeEach(async () => {
    const f = makeFolders();
    ({ root, folders, cleanup } = f);
    url = `sqlite:${join(root, 'rundb.sqlite')}`;
    db = await openRunDb(url);
  });
  afterEach(async () => {
    await db.close();
    cleanup();
  });

  const common = () => [
    '--rundb',
    url,
    '--hostname',
    HOST,
    '--live_dir',
    folders.live,
    '--pre_processed_dir',
    folders.preProcessed,
    '--processed_dir',
    folders.processed,
    '--unregistered_dir',
    folders.unregistered,
  ];

  it.each([
    [[], /give --clean MODE or --number RUN/],
    [['--clean', 'everything'], /unknown --clean mode 'everything'/],
    [['--clean', 'high_level_data'], /disabled in straxen/],
    [['--clean', 'ceph', '--force', '--ask_confirm'], /--force needs --number RUN/],
    [['--number', '5', '--force'], /--force needs --ask_confirm/],
    [['--clean', 'ceph', '--delete_live'], /--delete_live needs --number RUN/],
    [['--number', 'five'], /--number must be a whole number, got 'five'/],
    [['--clean', 'ceph', '--logging', 'LOUD'], /--logging must be one of/],
  ])('usage error %j: one line, exit 2', async (args, message) => {
    const r = await ajax([...args, ...common()]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('needs a runs database', async () => {
    const r = await ajax(['--clean', 'ceph']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs the runs database: pass --rundb URL or set STRAXTS_RUNDB/);
  });

  it('a dry run of every mode changes nothing and says what production then does', async () => {
    await addRun(db, { number: 1, state: 'abandoned' });
    writeLive(folders.live, 1);
    await registerLive(db, 1, folders.live);
    const pk = await writeDataFolder(folders.preProcessed, 1, 'peaklets', 'aaaaaaaaaa');
    await registerFolder(db, 1, HOST, pk, 'peaklets', 'aaaaaaaaaa');
    await addRun(db, { number: 2 });
    await registerFolder(
      db,
      2,
      HOST,
      join(folders.preProcessed, '000002-peaklets-aaaaaaaaaa'),
      'peaklets',
      'aaaaaaaaaa',
    );
    // The runs database file sits beside the DAQ folders; it is compared through its contents.
    const disk = () => Object.values(folders).map(hashFolder);
    const before = [disk(), await hashDatabase(db)];
    for (const mode of [
      'ceph',
      'abandoned',
      'non_latest',
      'unregistered',
      'production',
      'old_hash',
      'database',
      'all',
    ]) {
      const r = await ajax(['--clean', mode, ...common()]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/ajax summary \(dry run: nothing was changed/);
    }
    const dry = await ajax(['--clean', 'abandoned', ...common()]);
    expect(dry.stdout).toMatch(/would delete peaklets of run 000001/);
    expect([disk(), await hashDatabase(db)]).toEqual(before);
    const prod = await ajax(['--clean', 'abandoned', '--production', ...common()]);
    expect(prod.code, prod.stderr).toBe(0);
    expect(prod.stdout).toMatch(/delete peaklets of run 000001/);
    expect(prod.stdout).toMatch(/folders deleted: 1, moved: 0/);
    expect(existsSync(pk)).toBe(false);
  });

  it('--force asks first; only "y" deletes the last copy of the named run', async () => {
    await addRun(db, { number: 3 });
    const rr = await writeDataFolder(folders.preProcessed, 3, 'raw_records', 'bbbbbbbbbb');
    await registerFolder(db, 3, HOST, rr, 'raw_records', 'bbbbbbbbbb');
    const args = ['--number', '3', '--force', '--ask_confirm', '--production', ...common()];
    const no = await ajax(args, 'n\n');
    expect(no.code).toBe(1);
    expect(existsSync(rr)).toBe(true);
    const unsure = await ajax(args, 'y\nmaybe\nn\n'); // asked again before the deletion itself
    expect(unsure.code).toBe(0);
    expect(existsSync(rr)).toBe(true);
    const yes = await ajax(args, 'y\ny\n');
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout).toMatch(/FORCED/);
    expect(existsSync(rr)).toBe(false);
    expect(await db.listDeletedData(3)).toMatchObject([
      { type: 'raw_records', reason: 'manual', by: `ajax.${HOST}` },
    ]);
  });

  it('straxts-style bad input is not a stack trace: an unreachable PostgreSQL is one line, exit 1', async () => {
    const r = await ajax([
      '--clean',
      'ceph',
      ...common().slice(2),
      '--rundb',
      'postgres://postgres@127.0.0.1:1/none',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/Is PostgreSQL running there/);
  });
});
