// Where straxts is installed and its version: the nearest package.json named straxts above
// this module (the same from src/ under tsx and from dist/src/ when built).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string; version: string } | null = null;

export function packageInfo(): { root: string; version: string } {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'straxts') return (cached = { root: dir, version: pkg.version ?? '?' });
    }
    const up = dirname(dir);
    if (up === dir) return (cached = { root: dirname(fileURLToPath(import.meta.url)), version: '?' });
    dir = up;
  }
}

/** What `TOOL --version` prints, the same for every straxts command. */
export function versionLine(tool: string): string {
  return `${tool} (straxts) ${packageInfo().version}`;
}
