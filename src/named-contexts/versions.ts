// What software this is (straxen_print_versions): Node, straxts and the packages it relies on,
// with versions, where they are installed and, for a git checkout, the branch and commit.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { packageInfo } from './package-info.js';

/** The packages straxts' data handling depends on most. */
export const KEY_PACKAGES = [
  'commander',
  'kysely',
  'better-sqlite3',
  'pg',
  'lz4-napi',
  '@mongodb-js/zstd',
  'compressjs',
] as const;

export interface VersionRow {
  module: string;
  version: string;
  path: string;
  /** `branch:<name> | <commit>` for a git checkout, else null. */
  git: string | null;
}

function gitOf(dir: string): string | null {
  try {
    const run = (args: string[]) =>
      execFileSync('git', ['-C', dir, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    const top = run(['rev-parse', '--show-toplevel']);
    if (realpathSync(top) !== realpathSync(dir)) return null; // inside some other checkout
    return `branch:${run(['rev-parse', '--abbrev-ref', 'HEAD'])} | ${run(['rev-parse', '--short=7', 'HEAD'])}`;
  } catch {
    return null;
  }
}

/** The installed package's folder (searching node_modules upwards from straxts), or null. */
function packageDir(name: string, from: string): string | null {
  let dir = from;
  for (;;) {
    const p = join(dir, 'node_modules', name);
    if (existsSync(join(p, 'package.json'))) return p;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

export function versionRows(packages: readonly string[] = KEY_PACKAGES): {
  host: string;
  rows: VersionRow[];
  missing: string[];
} {
  const me = packageInfo();
  const rows: VersionRow[] = [
    { module: 'node', version: process.versions.node, path: process.execPath, git: null },
    { module: 'straxts', version: me.version, path: me.root, git: gitOf(me.root) },
  ];
  const missing: string[] = [];
  for (const name of packages) {
    if (name === 'straxts') continue;
    const dir = packageDir(name, me.root);
    if (!dir) {
      missing.push(name);
      continue;
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
    const real = realpathSync(dir);
    rows.push({ module: name, version: pkg.version ?? '?', path: real, git: gitOf(real) });
  }
  return { host: hostname(), rows, missing };
}
