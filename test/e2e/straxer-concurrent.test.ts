// Several straxer processes on one data folder (bootstrax, batch jobs and users share folders):
// each waits for what another is writing and then reads it; all exit 0, and the folder ends
// with exactly the data one process alone writes.

import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runTool, startTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { compareDataDirs, dataFolders, simulate } from './simulated-helpers.js';

beforeAll(() => ensureBuilt(), 600_000);

const RUN = '000402';
const SIM = ['--duration', '3s', '--seed', '7'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let alone: string;
beforeAll(async () => {
  // What one process alone writes, to compare with.
  const cwd = tempDir('straxts-concurrent-alone-');
  alone = join(cwd, 'strax_data');
  await simulate(RUN, alone, SIM, cwd);
  const r = await runTool('straxer', [RUN, '--target', 'event_info_double'], cwd);
  expect(r.code, r.stderr).toBe(0);
}, 600_000);

async function expectSameAsAlone(data: string): Promise<void> {
  const folders = dataFolders(data);
  expect(folders.filter((f) => f.endsWith('_temp'))).toEqual([]);
  expect(folders).toEqual(dataFolders(alone).filter((f) => folders.includes(f)));
  for (const { folder, agreement } of await compareDataDirs(data, alone, RUN))
    expect(agreement.ok, `${folder} differs from a single process's`).toBe(true);
}

async function twoStraxers(targetA: string, targetB: string, staggered: boolean): Promise<string> {
  const cwd = tempDir('straxts-concurrent-');
  const data = join(cwd, 'strax_data');
  await simulate(RUN, data, SIM, cwd);
  const a = startTool('straxer', [RUN, '--target', targetA], cwd);
  if (staggered) {
    // The second starts once the first is writing.
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && !(existsSync(data) && dataFolders(data).some((f) => f.endsWith('_temp'))))
      await sleep(20);
  }
  const b = startTool('straxer', [RUN, '--target', targetB], cwd);
  const [ra, rb] = await Promise.all([a.done, b.done]);
  expect(ra.code, `first straxer:\n${ra.stderr}`).toBe(0);
  expect(rb.code, `second straxer:\n${rb.stderr}`).toBe(0);
  return data;
}

describe('two straxer processes on one data folder', () => {
  it('same target, started together: both exit 0, data as one process writes it', async () => {
    await expectSameAsAlone(await twoStraxers('event_info_double', 'event_info_double', false));
  }, 600_000);

  it('different targets, started together', async () => {
    await expectSameAsAlone(await twoStraxers('peak_basics', 'event_info_double', false));
  }, 600_000);

  it('same target, the second started while the first writes', async () => {
    await expectSameAsAlone(await twoStraxers('event_info_double', 'event_info_double', true));
  }, 600_000);

  it('different targets, staggered', async () => {
    await expectSameAsAlone(await twoStraxers('event_info_double', 'peak_basics', true));
  }, 600_000);
});
