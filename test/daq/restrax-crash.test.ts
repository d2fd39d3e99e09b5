// restrax killed with SIGKILL at every step of its work (and at random moments): afterwards
// every data entry of the run still names a complete folder, and the next restrax finishes the
// run with the data unchanged. The built CLI is run as a real process.

import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isCompleteFolder } from '../../src/daq/data-safety.js';
import { loadAll } from '../../src/storage/load-all.js';
import { ROOT, ensureBuilt, startTool, type ToolRun } from '../helpers/cli.js';
import { DB_TARGETS } from '../helpers/rundb.js';
import { HOST, addRun, makeRows, registerFolder, writeDataFolder } from './helpers/daq-state.js';
import { daqCaseEach } from '../helpers/daq.js';

const TYPES: [string, number][] = [
  ['raw_records', 8],
  ['peaklets', 4],
  ['event_info', 3],
];
const ROWS = 3000;

/** restrax as a real process, killed with -9 after killAfterMs when given. */
async function restrax(
  args: string[],
  env: Record<string, string> = {},
  killAfterMs?: number,
): Promise<ToolRun> {
  const { child, done } = startTool('restrax', args, ROOT, { env });
  const timer = killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : undefined;
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(() => ensureBuilt(), 300_000);

describe.each(DB_TARGETS)('restrax killed with -9 on $dialect', (target) => {
  const c = daqCaseEach(target);

  const args = (run: number) => [
    '--production',
    '--process',
    String(run),
    '--rundb',
    c.url,
    '--hostname',
    HOST,
    '--input_folder',
    c.folders.preProcessed,
    '--pre_processed_dir',
    c.folders.preProcessed,
    '--processed_dir',
    c.folders.processed,
    '--unregistered_dir',
    c.folders.unregistered,
    '--max_threads',
    '1',
  ];

  /** Every entry names a complete folder, and the run's types are all still registered. */
  async function assertReadable(run: number): Promise<void> {
    const entries = await c.db.listData(run);
    expect(entries.map((e) => e.type).sort()).toEqual(TYPES.map(([t]) => t).sort());
    for (const e of entries) expect(isCompleteFolder(e.location), e.location).toBe(true);
  }

  async function bootstraxOutput(run: number): Promise<void> {
    await addRun(c.db, { number: run, status: 'eb_finished_pre', rate: { tpc: { avg: 10 } } });
    for (const [t, chunks] of TYPES) {
      const p = await writeDataFolder(c.folders.preProcessed, run, t, 'kkkkkkkkkk', { chunks, rows: ROWS });
      await registerFolder(c.db, run, HOST, p, t, 'kkkkkkkkkk');
    }
  }

  async function assertFinished(run: number): Promise<void> {
    await assertReadable(run);
    const doc = (await c.db.getRun(run))!;
    expect(doc.status).toBe('eb_ready_to_upload');
    expect(doc.restrax).toMatchObject({ state: 'done' });
    for (const e of doc.data!) {
      expect(e.location.startsWith(c.folders.processed)).toBe(true);
      const rows = await loadAll(c.folders.processed, String(run).padStart(6, '0'), e.type);
      expect(rows.toBytes()).toEqual(makeRows(e.type, run, ROWS, 0).toBytes());
    }
  }

  it('at every checkpoint and at random moments', async () => {
    await bootstraxOutput(5);
    await bootstraxOutput(6);
    // Cycle through the points until the run gets done: each point must have killed it at least once.
    const killedAt = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const point = ['written', 'repointed', 'replaced'][i % 3]!;
      const r = await restrax(args(5), { STRAXTS_TEST_CRASH_AT: point });
      await assertReadable(5);
      if (r.signal === 'SIGKILL') killedAt.add(point);
      else {
        expect(r.code, r.stderr).toBe(0);
        break;
      }
    }
    expect([...killedAt].sort()).toEqual(['replaced', 'repointed', 'written']);
    await assertFinished(5);
    // Run 6: killed at random moments.
    for (const ms of [250, 600, 900, 1300, 1800]) {
      await restrax(args(6), {}, ms);
      await assertReadable(6);
    }
    const last = await restrax(args(6));
    expect(last.code, last.stderr).toBe(0);
    await assertFinished(6);
    expect(readdirSync(c.folders.preProcessed)).toEqual([]);
  }, 300_000);
});

describe('restrax usage errors', () => {
  it.each([
    [[], /without --production restrax only tests on one run: give --process N/],
    [['--production', '--max_threads', '0'], /--max_threads must be at least 1/],
    [['--process', 'x'], /--process must be a whole number, got 'x'/],
    [['--production'], /restrax needs the runs database/],
  ])('%j: one line, exit 2', async (args, message) => {
    const r = await restrax(args, { STRAXTS_RUNDB: '' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
