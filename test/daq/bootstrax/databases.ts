// Fresh PostgreSQL databases for the bootstrax tests (prefix straxts_bootstrax_), dropped after.

import pg from 'pg';

export const PG_SERVER = process.env.STRAXTS_TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

async function admin<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** A new empty database; its URL and a function dropping it (and its connections). */
export async function freshPgDatabase(tag: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `straxts_bootstrax_${tag}_${process.pid}_${Date.now().toString(36)}`;
  await admin((c) => c.query(`create database "${name}"`));
  return {
    url: `${PG_SERVER}/${name}`,
    drop: () => admin((c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}
