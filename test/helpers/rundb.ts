// Runs databases for tests, each removed after use (also when the test fails):
//  - DB_TARGETS, the two dialects every runs-database test runs against: SQLite in a temp folder,
//    and a schema of its own (unique per process and call) in PostgreSQL's `test` database;
//  - pgSchemaUrl, one such schema for a whole test file, dropped after its last test;
//  - freshPgDatabase, a whole new PostgreSQL database, for tools that need one to themselves.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';
import { tempDir } from './tmp.js';

/** The test server (trust authentication), and its `test` database that .ci/run requires. */
export const PG_SERVER = process.env.STRAXTS_TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
export const PG_BASE = process.env.STRAXTS_TEST_PG ?? `${PG_SERVER}/test`;

export interface FreshDb {
  url: string;
  /** Remove the database (idempotent). */
  drop(): Promise<void>;
}

export interface DbTarget {
  dialect: 'sqlite' | 'postgres';
  /** A fresh, empty database URL and a function removing it. */
  fresh(): FreshDb;
}

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

let counter = 0;
const unique = (): string =>
  `${process.pid}_${Date.now().toString(36)}_${counter++}_${Math.random().toString(36).slice(2, 8)}`;

function freshSchema(tag: string): FreshDb {
  const schema = `straxts_${tag}_${unique()}`;
  return {
    url: `${PG_BASE}?schema=${schema}`,
    drop: () =>
      withClient(PG_BASE, (c) => c.query(`drop schema if exists "${schema}" cascade`)).then(() => {}),
  };
}

export const DB_TARGETS: DbTarget[] = [
  {
    dialect: 'sqlite',
    fresh() {
      const dir = tempDir('straxts-rundb-');
      return {
        // In a folder that does not exist yet: opening the database makes it.
        url: `sqlite:${join(dir, 'data', 'rundb.sqlite')}`,
        drop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  { dialect: 'postgres', fresh: () => freshSchema('t') },
];

/** A schema URL in the `test` database for this test file, dropped after its last test. */
export function pgSchemaUrl(tag: string): string {
  const db = freshSchema(tag);
  afterAll(() => db.drop());
  return db.url;
}

/** A new empty database (straxts_test_TAG_...); dropping it ends its connections first. */
export async function freshPgDatabase(tag: string): Promise<FreshDb> {
  const name = `straxts_test_${tag}_${unique()}`;
  await withClient(`${PG_SERVER}/postgres`, (c) => c.query(`create database "${name}"`));
  return {
    url: `${PG_SERVER}/${name}`,
    drop: () =>
      withClient(`${PG_SERVER}/postgres`, (c) =>
        c.query(`drop database if exists "${name}" with (force)`),
      ).then(() => {}),
  };
}
