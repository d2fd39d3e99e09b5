// The main job on a simulated run, as a user runs it (issue 6): `straxts simulate` stores a run
// and registers it in the runs database, `straxer RUN --target event_info_double` run from the
// folder holding ./strax_data processes it — with the embedded SQLite runs database and with
// PostgreSQL — and the events it finds are checked against the simulation's ground truth.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRunDb } from '../../src/rundb/rundb.js';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { pgSchemaUrl } from '../helpers/rundb.js';
import {
  dataFolders,
  expectedStoredTypes,
  lsRows,
  physicsCheck,
  simulate,
  type LsRow,
} from './simulated-helpers.js';

beforeAll(() => ensureBuilt(), 600_000);

const PG_URL = pgSchemaUrl('h11');

interface Dialect {
  name: string;
  run: string;
  seed: string;
  /** --rundb arguments for both tools (none: the embedded default ./strax_data/rundb.sqlite). */
  args(cwd: string): string[];
  /** How straxer names the database in its log. */
  display(cwd: string): string;
}

const DIALECTS: Dialect[] = [
  {
    name: 'embedded SQLite',
    run: '000301',
    seed: '1',
    args: () => [],
    display: (cwd) => `sqlite:${join(cwd, 'strax_data', 'rundb.sqlite')}`,
  },
  {
    name: 'PostgreSQL',
    run: '000302',
    seed: '5',
    args: () => ['--rundb', PG_URL],
    display: () => PG_URL,
  },
];

const row = (rows: readonly LsRow[], run: string, type: string): LsRow => {
  const r = rows.find((x) => x.run === run && x.dataType === type);
  if (!r) throw new Error(`straxts ls shows no ${type} of run ${run}`);
  return r;
};

describe.each(DIALECTS)('simulate, then straxer to event_info_double, runs database $name', (d) => {
  it('stores the whole chain complete, finds the simulated events, and knows it is done', async () => {
    const cwd = tempDir('straxts-sim-e2e-');
    const data = join(cwd, 'strax_data');
    await simulate(d.run, data, ['--duration', '2s', '--seed', d.seed, ...d.args(cwd)], cwd);

    const first = await runTool('straxer', [d.run, '--target', 'event_info_double', ...d.args(cwd)], cwd);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`runs database ${d.display(cwd)}`);
    // The run's start and end come from the run document simulate registered.
    expect(first.stdout).toMatch(/Infer start\/end: run is 2\.0 s \(from runs database\)/);
    expect(first.stdout).toMatch(/Straxer is done/);

    // Every type straxer must save is there and complete, nothing else, no unfinished folder.
    const rows = await lsRows(data);
    expect(rows.filter((r) => r.complete !== 'yes')).toEqual([]);
    expect(dataFolders(data).filter((f) => f.endsWith('_temp'))).toEqual([]);
    expect(rows.map((r) => r.dataType).sort()).toEqual(expectedStoredTypes('event_info_double'));
    for (const t of ['peaklets', 'peak_basics', 'event_basics', 'event_info_double'])
      expect(row(rows, d.run, t).rows).toBeGreaterThan(0);
    expect(row(rows, d.run, 'event_info_double').rows).toBe(row(rows, d.run, 'event_basics').rows);

    // Physics. Every simulated photon becomes one photoelectron in a PMT. An interaction with
    // ≥ 10 S1 photons puts light on ≥ 3 PMTs (S1 coincidence ≥ 2-3) with near certainty, and
    // one with ≥ 500 S2 photons has an S2 of several hundred PE, well above the 120 PE event
    // trigger; such events are lost only to pile-up with another event or the big saturating
    // event inside the ~2.2 ms drift window (15 Hz × ~5 ms ≈ 8%), hence ≥ 80% found. Overall,
    // the simulator draws S1 (5–400) and S2 (150–40 000) photons log-uniformly, so at most a
    // quarter of the interactions are that faint; ≥ 60% found overall.
    const phys = await physicsCheck(data, d.run, 10, 500);
    console.log(
      `${d.name} run ${d.run}: found ${phys.all.found}/${phys.all.interactions} interactions, ` +
        `${phys.clearFound}/${phys.clear} clear ones; median S1, S2 area per photon ` +
        `${phys.all.s1AreaPerPhoton.median.toFixed(2)}, ${phys.all.s2AreaPerPhoton.median.toFixed(2)}; straxer ${first.seconds.toFixed(1)} s`,
    );
    expect(phys.clear).toBeGreaterThanOrEqual(10);
    expect(phys.clearFound / phys.clear).toBeGreaterThanOrEqual(0.8);
    expect(phys.all.foundFraction).toBeGreaterThanOrEqual(0.6);
    // A found S2 holds the photons simulated for it: its area per photon is of order 1 PE
    // (losses below hit thresholds lower it, nothing can raise it much above 1).
    expect(phys.all.s2AreaPerPhoton.median).toBeGreaterThan(0.25);
    expect(phys.all.s2AreaPerPhoton.median).toBeLessThan(1.25);

    // peaks and events are saved only when asked for; asked, they match their *_basics.
    const explicit = await runTool(
      'straxer',
      [d.run, '--target', 'peaks', 'events', '--multi_target', ...d.args(cwd)],
      cwd,
    );
    expect(explicit.stderr).toBe('');
    expect(explicit.code).toBe(0);
    const rows2 = await lsRows(data);
    expect(rows2.filter((r) => r.complete !== 'yes')).toEqual([]);
    expect(row(rows2, d.run, 'peaks').rows).toBe(row(rows2, d.run, 'peak_basics').rows);
    expect(row(rows2, d.run, 'events').rows).toBe(row(rows2, d.run, 'event_basics').rows);

    const folders = dataFolders(data);
    const again = await runTool('straxer', [d.run, '--target', 'event_info_double', ...d.args(cwd)], cwd);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/This data is already available. Straxer is done/);
    expect(again.stdout).not.toMatch(/Start processing/);
    // Quick: no processing, only the start-up and the look-up (generous for a loaded machine).
    expect(again.seconds).toBeLessThan(Math.max(10, first.seconds));
    expect(dataFolders(data)).toEqual(folders);
  }, 900_000);
});

describe('straxer --run_list FILE --index N (batch job arrays)', () => {
  it('processes the run on line N of the list, and $SLURM_ARRAY_TASK_ID stands in for --index', async () => {
    const cwd = tempDir('straxts-sim-list-');
    const data = join(cwd, 'strax_data');
    await simulate('000311', data, ['--duration', '1s', '--seed', '11'], cwd);
    await simulate('000312', data, ['--duration', '1s', '--seed', '12'], cwd);
    const list = join(cwd, 'runs.txt');
    writeFileSync(list, '# a batch of runs\n000311\n\n000312\n');
    const stored = async (run: string): Promise<string[]> =>
      (await lsRows(data))
        .filter((r) => r.run === run && r.complete === 'yes')
        .map((r) => r.dataType)
        .sort();

    const first = await runTool(
      'straxer',
      ['--run_list', list, '--index', '0', '--target', 'peak_basics'],
      cwd,
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Starting processing of run 000311 until peak_basics');
    expect(await stored('000311')).toEqual(expectedStoredTypes('peak_basics'));
    expect(await stored('000312')).toEqual(['raw_records']);

    const second = await runTool(
      'straxer',
      ['--run_list', list, '--index', '1', '--target', 'peak_basics'],
      cwd,
    );
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Starting processing of run 000312 until peak_basics');
    expect(await stored('000312')).toEqual(expectedStoredTypes('peak_basics'));

    const fromEnv = await runTool('straxer', ['--run_list', list, '--target', 'peak_basics'], cwd, {
      env: { SLURM_ARRAY_TASK_ID: '1' },
    });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toContain('Starting processing of run 000312');
    expect(fromEnv.stdout).toMatch(/already available/);

    // Both runs are in the embedded runs database simulate created.
    const db = await openRunDb(undefined, data);
    try {
      expect((await db.getRun(311))?.mode).toBe('simulation');
      expect((await db.getRun(312))?.mode).toBe('simulation');
    } finally {
      await db.close();
    }
  }, 600_000);
});
