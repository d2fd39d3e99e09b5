// Runs the built CLIs (dist/src/cli/*.js), building first when the build is missing or stale.

import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Build with tsc unless dist is newer than every source file (type errors elsewhere do not stop emitting). */
export function ensureBuilt(): void {
  const out = join(ROOT, 'dist', 'src', 'cli', 'straxts.js');
  if (existsSync(out) && statSync(out).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  try {
    execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'pipe' });
  } catch {
    // tsc still emits when some other file has type errors; the CLI tests below show whether it works.
  }
  if (!existsSync(out)) throw new Error('build failed: dist/src/cli/straxts.js missing');
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a built tool without blocking the test worker's event loop. */
export function runTool(tool: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist', 'src', 'cli', `${tool}.js`), ...args],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}
