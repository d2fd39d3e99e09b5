// straxer stopped from outside (SIGINT, SIGTERM, --timeout) and on set-ups that cannot work
// (out-of-range options, a read-only --add_folder, more workers than cores): one line, the
// conventional exit code, and no unfinished data that could pass for complete.

import { availableParallelism } from 'node:os';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runTool, startTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { dataFolders, expectStraxerUsageError, lsRows, simulate } from './simulated-helpers.js';

beforeAll(() => ensureBuilt(), 600_000);

const RUN = '000403';
const SIM = ['--duration', '4s', '--seed', '5'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function simulated(): Promise<{ cwd: string; data: string }> {
  const cwd = tempDir('straxts-stop-');
  const data = join(cwd, 'strax_data');
  await simulate(RUN, data, SIM, cwd);
  return { cwd, data };
}

/** Start straxer, send `signal` once it is writing, and return what it left. */
async function stopWhileWriting(signal: NodeJS.Signals) {
  const { cwd, data } = await simulated();
  const job = startTool('straxer', [RUN, '--target', 'event_info_double'], cwd);
  let exited = false;
  void job.done.then(() => (exited = true));
  const deadline = Date.now() + 120_000;
  while (!exited && Date.now() < deadline && !dataFolders(data).some((f) => f.endsWith('_temp')))
    await sleep(10);
  job.child.kill(signal);
  return { cwd, data, r: await job.done };
}

async function expectNothingUnfinishedLooksComplete(data: string): Promise<void> {
  expect(dataFolders(data).filter((f) => f.endsWith('_temp'))).toEqual([]);
  expect(readdirSync(data).filter((f) => f.endsWith('-lock'))).toEqual([]);
  const rows = await lsRows(data);
  expect(rows.some((r) => r.complete === 'no (writing failed)')).toBe(true);
  for (const r of rows) expect(r.complete === 'yes' || r.complete === 'no (writing failed)').toBe(true);
}

describe('straxer stopped from outside', () => {
  it('SIGTERM: exit 143, one line, interrupted data marked failed; a rerun completes', async () => {
    const { cwd, data, r } = await stopWhileWriting('SIGTERM');
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr.trim().split('\n')).toEqual([
      `straxer: stopped by SIGTERM; the unfinished data of run ${RUN} is marked failed`,
    ]);
    await expectNothingUnfinishedLooksComplete(data);
    const again = await runTool('straxer', [RUN, '--target', 'event_info_double'], cwd);
    expect(again.code, again.stderr).toBe(0);
    expect((await lsRows(data)).every((x) => x.complete === 'yes')).toBe(true);
  }, 600_000);

  it('SIGINT: exit 130', async () => {
    const { data, r } = await stopWhileWriting('SIGINT');
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^straxer: stopped by SIGINT;/);
    await expectNothingUnfinishedLooksComplete(data);
  }, 600_000);

  it('--timeout: the data being written when it fires is marked failed', async () => {
    const { cwd, data } = await simulated();
    const r = await runTool('straxer', [RUN, '--target', 'event_info_double', '--timeout', '0'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no data arrived for 0 s \(--timeout\)/);
    await expectNothingUnfinishedLooksComplete(data);
  }, 600_000);
});

describe('straxer set-ups that cannot work', () => {
  let cwd = '';
  beforeAll(async () => {
    ({ cwd } = await simulated());
  }, 600_000);

  it('an option out of range is refused before anything is opened', async () => {
    await expectStraxerUsageError(
      [RUN, '--target', 'peaklets', '--config_kwargs', '{"peak_min_pmts": -5}'],
      cwd,
      /option 'peak_min_pmts' of Peaklets must be at least 1, got -5/,
    );
  });

  it('more workers than cores: a warning, and the run completes', async () => {
    const r = await runTool(
      'straxer',
      [RUN, '--target', 'peak_basics', '--workers', '64', '--multiprocess'],
      cwd,
    );
    expect(r.code, r.stderr).toBe(0);
    const m = /WARNING - workers 64 is more than this machine's (\d+) cores can use: using (\d+)/.exec(
      r.stdout,
    );
    expect(m, r.stdout).not.toBeNull();
    // One thread beyond the cores: the chain's threads each wait part of the time.
    expect([Number(m![1]), Number(m![2])]).toEqual([availableParallelism(), availableParallelism() + 1]);
  }, 600_000);

  describe('a read-only --add_folder', () => {
    const ro = join(tempDir('straxts-ro-'), 'mnt');
    beforeAll(() => {
      mkdirSync(ro);
      // As root (permissions do not bind) a read-only mount; otherwise a folder without write permission.
      if (process.getuid?.() === 0) execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro', 'tmpfs', ro]);
      else execFileSync('chmod', ['0555', ro]);
    });
    afterAll(() => {
      if (process.getuid?.() === 0) execFileSync('umount', [ro]);
      rmSync(ro, { recursive: true, force: true });
    });

    it('is named read-only, for the folder or where it would be created', async () => {
      await expectStraxerUsageError(
        [RUN, '--target', 'peaklets', '--add_folder', ro],
        cwd,
        /--add_folder .*mnt: .*mnt is read-only \(E(ROFS|ACCES)\)/,
      );
      await expectStraxerUsageError(
        [RUN, '--target', 'peaklets', '--add_folder', join(ro, 'new')],
        cwd,
        /--add_folder .*new: .*mnt, where it would be created, is read-only/,
      );
      expect(existsSync(join(ro, 'new'))).toBe(false);
    });
  });
});

describe('straxts ls on a file', () => {
  it('says it is a file, exit 2', async () => {
    const f = join(tempDir('straxts-lsfile-'), 'x.json');
    writeFileSync(f, '{}');
    const r = await runTool('straxts', ['ls', f], tempDir('straxts-lsfile-'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `straxts: ${f} is a file, not a data directory; give the folder that holds the data folders`,
    ]);
  });
});
