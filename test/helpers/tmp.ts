// Temporary directories for tests (under os.tmpdir(), prefix straxts-), removed after the test
// file's last test (pass or fail) — vitest ends its worker processes without running exit
// handlers, so an exit hook alone left every folder behind. The exit hook stays for folders
// made outside a test file.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

function removeMade(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

// Top level of a helper imported by a test file: the hook belongs to that file's root suite.
afterAll(removeMade);
process.on('exit', removeMade);

export function tempDir(prefix = 'straxts-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}
