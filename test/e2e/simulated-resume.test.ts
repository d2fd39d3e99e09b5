// Resumption after a crash: straxer killed with SIGKILL in the middle of a simulated run leaves
// unfinished `_temp` folders; a restart must not take them (or anything incomplete) as stored,
// must reuse what was finished, and must end with exactly the data of an uninterrupted run.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runTool, startTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { availableBefore, compareDataDirs, dataFolders, lsRows, simulate } from './simulated-helpers.js';

beforeAll(() => ensureBuilt(), 600_000);

const RUN = '000401';
const SIM = ['--duration', '4s', '--seed', '21'];
const typeOf = (folder: string): string => folder.split('-')[1]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('straxer killed mid-way on a simulated run, then restarted', () => {
  it('redoes the unfinished data types and ends equal to an uninterrupted run', async () => {
    // The uninterrupted run.
    const cwdA = tempDir('straxts-resume-a-');
    await simulate(RUN, join(cwdA, 'strax_data'), SIM, cwdA);
    const whole = await runTool('straxer', [RUN, '--target', 'event_info_double'], cwdA);
    expect(whole.stderr).toBe('');
    expect(whole.code).toBe(0);

    // The same run (same seed and run id, so the same raw_records), processed in two passes:
    // peaklets first (it completes), then event_info_double, during which straxer is killed.
    const cwdB = tempDir('straxts-resume-b-');
    const dataB = join(cwdB, 'strax_data');
    await simulate(RUN, dataB, SIM, cwdB);
    const args = [RUN, '--target', 'peaklets', 'event_info_double'];
    const job = startTool('straxer', args, cwdB);
    let exited = false;
    void job.done.then(() => {
      exited = true;
    });
    const deadline = Date.now() + 600_000;
    const secondPassWriting = (): boolean =>
      job.stdout().includes(`Start processing ${RUN}:event_info_double`) &&
      existsSync(dataB) &&
      dataFolders(dataB).some((f) => f.endsWith('_temp'));
    while (!exited && !secondPassWriting() && Date.now() < deadline) await sleep(10);
    job.child.kill('SIGKILL');
    const killed = await job.done;
    // The kill must have landed while the second pass was writing, or this test shows nothing.
    expect(killed.signal, `straxer ended before it could be killed:\n${killed.stdout}${killed.stderr}`).toBe(
      'SIGKILL',
    );

    const atKill = dataFolders(dataB);
    const unfinished = atKill.filter((f) => f.endsWith('_temp')).map(typeOf);
    const finished = atKill.filter((f) => !f.endsWith('_temp')).map(typeOf);
    console.log(`killed with finished: ${finished.join(', ')}; unfinished: ${unfinished.join(', ')}`);
    expect(unfinished.length).toBeGreaterThan(0);
    expect(finished).toContain('peaklets');
    // straxts ls reports the interrupted folders as not complete.
    const ls = await lsRows(dataB);
    for (const t of unfinished) {
      const entries = ls.filter((r) => r.dataType === t);
      expect(entries.length, `ls does not show ${t}`).toBeGreaterThan(0);
      if (!finished.includes(t))
        expect(
          entries.every((r) => r.complete.startsWith('no')),
          `${t} listed as complete`,
        ).toBe(true);
    }

    const restart = await runTool('straxer', args, cwdB);
    expect(restart.stderr).toBe('');
    expect(restart.code).toBe(0);
    // Only what was finished counts as available; the first pass is not redone.
    const available = availableBefore(restart.stdout);
    expect(available).toContain('peaklets');
    for (const t of available) expect(finished, `${t} taken as stored`).toContain(t);
    for (const t of unfinished) if (!finished.includes(t)) expect(available).not.toContain(t);
    expect(restart.stdout).toContain(`${RUN}:peaklets is stored`);

    // Nothing unfinished is left, and the data equal the uninterrupted run's, folder for folder.
    expect(dataFolders(dataB).filter((f) => f.endsWith('_temp'))).toEqual([]);
    expect((await lsRows(dataB)).filter((r) => r.complete !== 'yes')).toEqual([]);
    expect(dataFolders(dataB)).toEqual(dataFolders(join(cwdA, 'strax_data')));
    const agreement = await compareDataDirs(join(cwdA, 'strax_data'), dataB, RUN);
    for (const { folder, agreement: ag } of agreement) {
      expect(ag.rowsB, folder).toBe(ag.rowsA);
      expect(ag.ok, `${folder} differs from the uninterrupted run`).toBe(true);
    }
    // straxts compare (the user's tool for this) agrees too.
    const cmp = await runTool(
      'straxts',
      ['compare', join(cwdA, 'strax_data'), dataB, RUN, 'event_info_double', '--rtol', '0'],
      cwdB,
    );
    expect(cmp.code).toBe(0);
  }, 900_000);
});
