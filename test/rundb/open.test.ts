import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RUNDB_ENV, RunDbError, openRunDb, parseRunDbUrl, resolveRunDbUrl } from '../../src/rundb/rundb.js';

describe('choosing and opening the runs database', () => {
  const saved = process.env[RUNDB_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[RUNDB_ENV];
    else process.env[RUNDB_ENV] = saved;
  });

  it('picks the dialect from the URL', () => {
    expect(parseRunDbUrl('sqlite:/data/rundb.sqlite')).toMatchObject({
      dialect: 'sqlite',
      path: '/data/rundb.sqlite',
    });
    expect(parseRunDbUrl('sqlite:///data/x.db')).toMatchObject({ dialect: 'sqlite', path: '/data/x.db' });
    expect(parseRunDbUrl('/data/x.sqlite')).toMatchObject({ dialect: 'sqlite', path: '/data/x.sqlite' });
    expect(parseRunDbUrl('rel/x.sqlite').path).toBe(join(process.cwd(), 'rel/x.sqlite'));
    const p = parseRunDbUrl('postgres://xe:secret@db.example:5433/runs?schema=online&sslmode=disable');
    expect(p).toMatchObject({ dialect: 'postgres', schema: 'online' });
    expect(p.connectionString).toBe('postgres://xe:secret@db.example:5433/runs?sslmode=disable');
    expect(p.display).not.toContain('secret');
    expect(parseRunDbUrl('postgresql://h/db').dialect).toBe('postgres');
  });

  it('rejects unusable URLs in one clear line', () => {
    expect(() => parseRunDbUrl('mongodb://h/db')).toThrow(/unknown scheme/);
    expect(() => parseRunDbUrl('sqlite:')).toThrow(/names no file/);
    expect(() => parseRunDbUrl('postgres://h/db?schema=a;drop')).toThrow(/plain identifier/);
  });

  it('uses the explicit URL, else STRAXTS_RUNDB, else <data>/rundb.sqlite', () => {
    delete process.env[RUNDB_ENV];
    expect(resolveRunDbUrl(undefined, '/srv/data')).toBe('sqlite:/srv/data/rundb.sqlite');
    expect(() => resolveRunDbUrl()).toThrow(RunDbError);
    process.env[RUNDB_ENV] = 'postgres://h/db';
    expect(resolveRunDbUrl(undefined, '/srv/data')).toBe('postgres://h/db');
    expect(resolveRunDbUrl('sqlite:/x', '/srv/data')).toBe('sqlite:/x');
  });

  it('creates the SQLite file under the data folder on first use, in WAL mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'straxts-open-'));
    try {
      delete process.env[RUNDB_ENV];
      const db = await openRunDb(undefined, join(dir, 'strax_data'));
      expect(db.display).toBe(`sqlite:${join(dir, 'strax_data', 'rundb.sqlite')}`);
      await db.insertRun({ number: 1 });
      expect(existsSync(join(dir, 'strax_data', 'rundb.sqlite-wal'))).toBe(true);
      await db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports an unreachable PostgreSQL server naming the URL', async () => {
    const url = 'postgres://postgres:hunter2@127.0.0.1:5999/test';
    const err = await openRunDb(url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RunDbError);
    const msg = (err as Error).message;
    expect(msg).toContain('127.0.0.1:5999/test');
    expect(msg).toMatch(/ECONNREFUSED/);
    expect(msg).toMatch(/Is PostgreSQL running/);
    expect(msg).not.toContain('hunter2');
    expect(msg.split('\n')).toHaveLength(1);
  });

  it('reports an SQLite file that cannot be created', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'straxts-open-'));
    try {
      const file = join(dir, 'not-a-folder');
      writeFileSync(file, 'x');
      const url = `sqlite:${file}/rundb.sqlite`;
      await expect(openRunDb(url)).rejects.toThrow(RunDbError);
      await expect(openRunDb(url)).rejects.toThrow(`Cannot open runs database ${url}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
