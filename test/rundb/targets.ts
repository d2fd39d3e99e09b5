// The two dialects every runs-database test runs against. PostgreSQL tests each get their own
// schema (unique per process and call) so parallel runs never collide; drop() removes it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_BASE = process.env.STRAXTS_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface DbTarget {
  dialect: 'sqlite' | 'postgres';
  /** A fresh, empty database URL and a function removing it. */
  fresh(): { url: string; drop(): Promise<void> };
}

let counter = 0;

export const TARGETS: DbTarget[] = [
  {
    dialect: 'sqlite',
    fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'straxts-rundb-'));
      return {
        url: `sqlite:${join(dir, 'data', 'rundb.sqlite')}`,
        drop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    dialect: 'postgres',
    fresh() {
      const schema = `straxts_t_${process.pid}_${Date.now().toString(36)}_${counter++}_${Math.random().toString(36).slice(2, 8)}`;
      return {
        url: `${PG_BASE}?schema=${schema}`,
        drop: async () => {
          const c = new pg.Client({ connectionString: PG_BASE });
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
