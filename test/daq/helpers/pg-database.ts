// This branch's own PostgreSQL database (straxts_ajax_tests), created on first use; each suite
// gets a fresh schema in it and drops it afterwards. SQLite targets are files in a temp folder.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const SERVER = process.env.STRAXTS_TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const DATABASE = 'straxts_ajax_tests';

async function ensureDatabase(): Promise<void> {
  const c = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await c.connect();
  try {
    const r = await c.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (r.rowCount === 0) {
      try {
        await c.query(`create database ${DATABASE}`);
      } catch (e) {
        // Another test file created it at the same moment.
        if (!/already exists|duplicate key/.test((e as Error).message)) throw e;
      }
    }
  } finally {
    await c.end();
  }
}

export interface DbTarget {
  dialect: 'sqlite' | 'postgres';
  fresh(): Promise<{ url: string; drop(): Promise<void> }>;
}

let counter = 0;

export const DB_TARGETS: DbTarget[] = [
  {
    dialect: 'sqlite',
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'straxts-ajax-db-'));
      return {
        url: `sqlite:${join(dir, 'rundb.sqlite')}`,
        drop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    dialect: 'postgres',
    async fresh() {
      await ensureDatabase();
      const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
      const base = `${SERVER}/${DATABASE}`;
      return {
        url: `${base}?schema=${schema}`,
        drop: async () => {
          const c = new pg.Client({ connectionString: base });
          await c.connect();
          try {
            await c.query(`drop schema if exists "${schema}" cascade`);
          } finally {
            await c.end();
          }
        },
      };
    },
  },
];
