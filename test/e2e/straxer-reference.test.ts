// The golden end-to-end test: straxer with the reference context makes, from a reference run's
// raw_records, every data type the reference holds, under the same folder names (lineage
// hashes), with the same rows and values (integers exact, floats within 1e-6 relative).

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import { REFERENCE, REFERENCE_RUNS, runNumber } from '../helpers/reference.js';
import { tempDir } from '../helpers/tmp.js';
import {
  agreementTable,
  compareWithReference,
  referenceArgs,
  referenceFolders,
  stageReferenceRun,
} from './helpers.js';

beforeAll(() => ensureBuilt(), 600_000);

describe.each(REFERENCE_RUNS)('straxer --context reference on %s', (run) => {
  const id = runNumber(run);

  it('makes event_info_double, then the explicitly saved types, all equal to the reference', async () => {
    const dir = stageReferenceRun(run);
    const cwd = tempDir('straxts-e2e-cwd-');
    const first = await runTool(
      'straxer',
      [id, '--target', 'event_info_double', ...referenceArgs(run, dir)],
      cwd,
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Straxer is done/);
    expect(first.stdout).toMatch(/raw_records: [\d.]+ MB in [\d.]+ s = [\d.]+ MB\/s/);
    expect(first.stdout).toMatch(/peak RSS: \d+ MB/);
    // records, peaks, events and energy_estimates are saved only when asked for (straxen too).
    const rest = ['records', 'peaks', 'events', 'energy_estimates'];
    const second = await runTool(
      'straxer',
      [id, '--target', ...rest, '--multi_target', ...referenceArgs(run, dir)],
      cwd,
    );
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);

    const rows = await compareWithReference(run, dir);
    console.log(agreementTable(run, rows));
    expect(rows.map((r) => r.folder)).toEqual(referenceFolders(run));
    for (const r of rows) expect(r.agreement.ok, `${r.dataType} differs from the reference`).toBe(true);

    const again = await runTool(
      'straxer',
      [id, '--target', 'event_info_double', ...referenceArgs(run, dir)],
      cwd,
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/This data is already available/);
  }, 900_000);
});

describe('straxer then straxts export', () => {
  it("012100 peak_basics exported to .npy equals numpy's export of the reference", async () => {
    const run = 'run012100';
    const dir = stageReferenceRun(run);
    const cwd = tempDir('straxts-e2e-cwd-');
    const made = await runTool(
      'straxer',
      ['012100', '--target', 'peak_basics', ...referenceArgs(run, dir)],
      cwd,
    );
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const out = join(cwd, 'peak_basics.npy');
    const exported = await runTool('straxts', ['export', dir, '012100', 'peak_basics', '--out', out], cwd);
    expect(exported.code).toBe(0);
    const want = gunzipSync(readFileSync(join(REFERENCE, run, 'npy', 'peak_basics.npy.gz')));
    expect(Buffer.compare(readFileSync(out), want)).toBe(0);
  }, 600_000);
});
