// Resumption: straxer killed with SIGKILL half-way leaves only unfinished (_temp) or complete
// data, never anything incomplete that passes for complete; run again, it yields the same data
// as an uninterrupted run (here: the reference, which test/e2e/straxer-reference shows it makes).

import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { ensureBuilt, runTool, startTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { compareWithReference, referenceArgs, stageReferenceRun } from './helpers.js';

beforeAll(() => ensureBuilt(), 600_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('straxer interrupted by kill -9, then restarted', () => {
  it('run012200: nothing incomplete is taken as complete, and the restart gives the reference data', async () => {
    const run = 'run012200';
    const dir = stageReferenceRun(run);
    const cwd = tempDir('straxts-e2e-cwd-');
    const args = ['012200', '--target', 'event_info_double', ...referenceArgs(run, dir)];
    const job = startTool('straxer', args, cwd);
    // Kill once processing has run for a while (chunks of the target are arriving: the progress
    // line names the raw_records chunk they come from).
    const t0 = Date.now();
    while (!/raw_records chunk [1-9]\d* of \d+/.test(job.stdout()) && Date.now() - t0 < 300_000)
      await sleep(20);
    await sleep(500);
    job.child.kill('SIGKILL');
    const killed = await job.done;
    expect(killed.signal).toBe('SIGKILL');

    const storage = new DataDirectory(dir, { readonly: true });
    const entries = storage.entries();
    console.log(
      `after kill -9: ${entries.map((e) => `${e.key.dataType}${e.temp ? ' (_temp)' : e.complete ? '' : ` (${e.problem})`}`).join(', ')}`,
    );
    // The kill left unfinished work behind, and the target itself is not complete.
    expect(entries.some((e) => e.temp)).toBe(true);
    expect(entries.some((e) => e.key.dataType === 'event_info_double' && e.complete)).toBe(false);
    for (const e of entries) {
      const stored = await storage.isStored(e.key);
      // Only folders moved into place with writing_ended count as stored.
      expect(stored, `${e.dir}`).toBe(e.complete);
      if (e.temp) expect(stored).toBe(false);
    }

    const again = await runTool('straxer', args, cwd);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('_temp'))).toEqual([]);
    const saved = [
      'raw_records',
      'veto_regions',
      'pulse_counts',
      'peaklets',
      'lone_hits',
      'peaklet_classification',
      'merged_s2s',
      'peak_basics',
      'peak_positions',
      'peak_proximity',
      'event_basics',
      'event_positions',
      'corrected_areas',
      'event_info',
      'distinct_channels',
      'event_info_double',
    ];
    const rows = await compareWithReference(run, dir, saved);
    expect(rows.map((r) => r.dataType).sort()).toEqual([...saved].sort());
    for (const r of rows)
      expect(r.agreement.ok, `${r.dataType} differs from the reference after the restart`).toBe(true);
  }, 900_000);
});
