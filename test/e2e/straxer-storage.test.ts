// straxer's storage flags on real data: --from_scratch ignores everything stored but
// raw_records and writes to ./strax_data; --add_folder leaves the other storage untouched.

import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import { referenceDataDir } from '../helpers/reference.js';
import { tempDir } from '../helpers/tmp.js';
import { compareWithReference, stageReferenceRun } from './helpers.js';

beforeAll(() => ensureBuilt(), 600_000);

describe('straxer storage flags', () => {
  it('--from_scratch recomputes from raw_records into ./strax_data; the context folder is not written', async () => {
    const full = tempDir('straxts-e2e-full-');
    cpSync(referenceDataDir('run012100'), full, { recursive: true });
    const before = readdirSync(full).sort();
    const cwd = tempDir('straxts-e2e-cwd-');
    const r = await runTool(
      'straxer',
      [
        '012100',
        '--target',
        'peak_basics',
        '--context',
        'reference',
        '--from_scratch',
        '--config_from_json',
        join(full, '012100-config.json'),
        '--context_kwargs',
        JSON.stringify({ output_folder: full }),
      ],
      cwd,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/already available/);
    const out = join(cwd, 'strax_data');
    const made = readdirSync(out);
    expect(made.some((f) => f.includes('-raw_records-'))).toBe(false);
    const rows = await compareWithReference('run012100', out, [
      'peak_basics',
      'peaklets',
      'lone_hits',
      'merged_s2s',
      'peaklet_classification',
    ]);
    for (const x of rows) expect(x.agreement.ok, x.dataType).toBe(true);
    expect(readdirSync(full).sort()).toEqual(before);
  }, 600_000);

  it("--add_folder: the context's own folder stays read-only and is not created", async () => {
    const dir = stageReferenceRun('run012100');
    const cwd = tempDir('straxts-e2e-cwd-');
    const ctxFolder = join(cwd, 'ctx_out');
    const r = await runTool(
      'straxer',
      [
        '012100',
        '--target',
        'peaklet_classification',
        '--context',
        'reference',
        '--add_folder',
        dir,
        '--config_from_json',
        join(dir, '012100-config.json'),
        '--context_kwargs',
        JSON.stringify({ output_folder: ctxFolder }),
      ],
      cwd,
    );
    expect(r.code).toBe(0);
    expect(existsSync(ctxFolder)).toBe(false);
    expect(readdirSync(dir).some((f) => f.includes('-peaklet_classification-'))).toBe(true);
  }, 600_000);
});
