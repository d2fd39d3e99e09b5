import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { openRunDb } from '../../src/rundb/rundb.js';
import { loadAll } from '../../src/storage/load-all.js';

beforeAll(() => ensureBuilt(), 300_000);

describe('straxts simulate', () => {
  it('stores raw_records, run metadata and truth, and registers the run', async () => {
    const dir = tempDir();
    const r = await runTool('straxts', [
      'simulate',
      '000042',
      '--duration',
      '400ms',
      '--seed',
      '3',
      '-o',
      dir,
    ]);
    expect(r.stderr + r.stdout).toContain('simulated run 000042');
    expect(r.code).toBe(0);
    const rr = await loadAll(dir, '000042', 'raw_records');
    expect(rr.length).toBeGreaterThan(1000);
    const truth = JSON.parse(readFileSync(join(dir, '000042-truth.json'), 'utf8')) as { kind: string }[];
    expect(truth.some((t) => t.kind === 'event')).toBe(true);
    expect(existsSync(join(dir, '000042-metadata.json'))).toBe(true);
    const db = await openRunDb(undefined, dir);
    try {
      const run = await db.getRun(42);
      expect(run?.mode).toBe('simulation');
      const entries = await db.listData(42, { type: 'raw_records' });
      expect(entries.map((e) => e.lineageHash)).toEqual(['rfzvpzj4mf']);
    } finally {
      await db.close();
    }
  });

  it('refuses to overwrite a stored run and rejects bad arguments with one line, exit 2', async () => {
    const dir = tempDir();
    expect(
      (await runTool('straxts', ['simulate', '000043', '--duration', '100ms', '-o', dir, '--no-rundb'])).code,
    ).toBe(0);
    const again = await runTool('straxts', [
      'simulate',
      '000043',
      '--duration',
      '100ms',
      '-o',
      dir,
      '--no-rundb',
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toContain('already has raw_records');
    for (const args of [
      ['--duration', 'ten'],
      ['--rate', 'events=x'],
      ['--seed', '-1'],
    ]) {
      const bad = await runTool('straxts', ['simulate', '000044', '-o', dir, '--no-rundb', ...args]);
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
