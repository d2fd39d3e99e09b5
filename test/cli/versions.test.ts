import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt, runTool } from '../helpers/cli.js';

beforeAll(() => ensureBuilt(), 300_000);

describe('straxts versions', () => {
  it('prints the host, node, straxts (with its git commit in a checkout) and the key packages', async () => {
    const r = await runTool('straxts', ['versions']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Host \S+/);
    expect(lines[1]).toMatch(/^module\s+version\s+path\s+git$/);
    const row = (m: string) => lines.find((l) => l.startsWith(`${m} `))?.split(/\s{2,}/);
    expect(row('node')).toEqual(['node', process.versions.node, process.execPath, 'None']);
    const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(row('straxts')!.slice(0, 3)).toEqual(['straxts', own.version, ROOT]);
    expect(row('straxts')![3]).toMatch(/^branch:\S+ \| [0-9a-f]{7}$/);
    const kysely = JSON.parse(readFileSync(join(ROOT, 'node_modules/kysely/package.json'), 'utf8')) as {
      version: string;
    };
    expect(row('kysely')![1]).toBe(kysely.version);
  });

  it('names a package that is not installed and lists the others', async () => {
    const r = await runTool('straxts', ['versions', 'no-such-package-xyz', 'pg']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^no-such-package-xyz is not installed$/m);
    expect(r.stdout).toMatch(/^pg\s+\d+\.\d+\.\d+/m);
  });
});
