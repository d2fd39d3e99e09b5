// microstrax with a runs database (SQLite here): data found through its registered entries (no
// --extra_dirs), the run start from the run document, the run listed by /runs, and a heartbeat
// in the hosts table as straxen's microstrax reports to its DAQ database.

import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunDb, type RunDb } from '../../src/rundb/rundb.js';
import { loadReferenceNpy, referenceDataDir, referenceFolder } from '../helpers/reference.js';
import { get, getRows, parseExact } from './http-json.js';
import { startMicrostrax, type RunningServer } from './microstrax-helpers.js';
import { expectRowsEqual } from './rows-compare.js';

const RUN = 'run012100';
let root: string;
let db: RunDb;
let url: string;
let server: RunningServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'straxts-microstrax-db-'));
  url = `sqlite:${join(root, 'rundb.sqlite')}`;
  db = await openRunDb(url);
  // The run starts 2 s before the data's first chunk: start/end must count from the document.
  await db.insertRun({ number: 12100, start: new Date(1765000998_000), end: new Date(1765001006_000) });
  for (const type of ['peak_basics', 'peaks']) {
    const folder = referenceFolder(RUN, type);
    await db.registerData({
      run: 12100,
      type,
      host: hostname(),
      location: resolve(referenceDataDir(RUN), folder),
      lineageHash: folder.slice(-10),
      status: 'complete',
    });
  }
  const config = join(referenceDataDir(RUN), '012100-config.json');
  server = await startMicrostrax(
    ['--context', 'reference', '--config_from_json', config, '--rundb', url],
    root,
  );
});

afterAll(async () => {
  try {
    await server?.stop();
    await db?.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

describe('microstrax with a runs database', () => {
  it('finds registered data and counts start/end from the run document', async () => {
    const first = await getRows(`${server.url}/get_data?run_id=12100&target=peak_basics&max_n=3`);
    const ref = loadReferenceNpy(RUN, 'peak_basics').records;
    expectRowsEqual(first, ref);
    const rows = await getRows(
      `${server.url}/get_data?run_id=12100&target=peak_basics&start=3.5&end=4.25&max_n=0`,
    );
    const t = ref.i64('time');
    const e = ref.i64('endtime');
    const [a, b] = [1765001001_500_000_000n, 1765001002_250_000_000n];
    const idx = [...Array(ref.length).keys()].filter((i) => t[i]! >= a && e[i]! <= b);
    expect(idx.length).toBeGreaterThan(5);
    expect(rows.map((r) => r.time)).toEqual(idx.map((i) => t[i]));
  });

  it('lists the run with its registered types, and reports a heartbeat', async () => {
    const runs = parseExact((await get(`${server.url}/runs`)).text);
    expect(runs).toEqual([{ run_id: '012100', types: ['peak_basics', 'peaks'] }]);
    const info = parseExact((await get(`${server.url}/run/012100/types`)).text) as { run_start: bigint };
    expect(info.run_start).toBe(1765000998_000_000_000n);
    const hosts = await db.listHosts({ program: 'microstrax' });
    expect(hosts).toHaveLength(1);
    expect(hosts[0]).toMatchObject({ host: hostname(), state: 'hosting microstrax', pid: server.pid });
    expect(hosts[0]!.info).toMatchObject({
      max_load_mb: 1000,
      max_return_mb: 10,
      context: 'reference',
      n_dirs: 0,
    });
  });
});
