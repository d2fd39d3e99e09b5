// Test hygiene: a test's temporary folders are gone after its file ran, also when it failed
// (vitest ends its worker processes without running their exit handlers).

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './cli.js';
import { tempDir } from './tmp.js';

it('a failing test leaves no temporary folder behind', async () => {
  const report = join(tempDir('straxts-hygiene-report-'), 'made');
  const r = await new Promise<{ code: number; out: string }>((done) =>
    execFile(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--config',
        'test/helpers/fixtures/vitest.fixture.config.ts',
      ],
      { cwd: ROOT, env: { ...process.env, STRAXTS_FIXTURE_REPORT: report } },
      (err, stdout, stderr) => done({ code: err ? Number(err.code) : 0, out: stdout + stderr }),
    ),
  );
  expect(r.out).toMatch(/failing on purpose/);
  expect(r.code).toBe(1);
  const made = readFileSync(report, 'utf8');
  expect(made).toMatch(/straxts-hygiene-/);
  expect(existsSync(made)).toBe(false);
});
