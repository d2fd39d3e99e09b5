// Opening the runs database: the URL decides the dialect (SQLite file or PostgreSQL server).
// Both dialects are made to return the same JavaScript values: BIGINT as number, JSON as text.

import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { DEFAULT_SQLITE_NAME, RUNDB_ENV } from './names.js';
import { applyMigrations, type DialectKind, type Tables } from './schema.js';

export { DEFAULT_SQLITE_NAME, RUNDB_ENV };

/** A runs-database failure the user can act on; the message names the database. */
export class RunDbError extends Error {
  override name = 'RunDbError';
}

export interface RunDbLocation {
  dialect: DialectKind;
  /** For messages: the URL with any password hidden. */
  display: string;
  /** SQLite file. */
  path?: string;
  /** PostgreSQL connection string without our own `schema` parameter. */
  connectionString?: string;
  /** PostgreSQL schema holding the tables (default: public). */
  schema?: string;
}

/**
 * The URL to use: the explicit one, else $STRAXTS_RUNDB, else `<dataFolder>/rundb.sqlite`.
 */
export function resolveRunDbUrl(explicit?: string, dataFolder?: string): string {
  if (explicit) return explicit;
  const env = process.env[RUNDB_ENV];
  if (env) return env;
  if (dataFolder) return `sqlite:${join(dataFolder, DEFAULT_SQLITE_NAME)}`;
  throw new RunDbError(
    `No runs database given: pass a URL (sqlite:PATH or postgres://...) or set ${RUNDB_ENV}.`,
  );
}

/** `sqlite:PATH`, `sqlite://PATH`, a plain path, or `postgres(ql)://...[?schema=NAME]`. */
export function parseRunDbUrl(url: string): RunDbLocation {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new RunDbError(
        `Runs database URL ${url} is not a valid URL; expected postgres://user@host:port/database.`,
      );
    }
    const schema = u.searchParams.get('schema') ?? undefined;
    if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw new RunDbError(`Runs database URL ${redact(u)}: schema "${schema}" must be a plain identifier.`);
    }
    u.searchParams.delete('schema');
    const loc: RunDbLocation = {
      dialect: 'postgres',
      display: redact(new URL(url)),
      connectionString: u.toString(),
    };
    if (schema !== undefined) loc.schema = schema;
    return loc;
  }
  let path = url;
  if (/^sqlite:/i.test(url)) path = url.replace(/^sqlite:(\/\/)?/i, '');
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new RunDbError(
      `Runs database URL ${url}: unknown scheme; use sqlite:PATH, a file path or postgres://...`,
    );
  }
  if (!path) throw new RunDbError(`Runs database URL ${url} names no file; use sqlite:PATH.`);
  const abs = path === ':memory:' ? path : resolve(path);
  return { dialect: 'sqlite', display: `sqlite:${abs}`, path: abs };
}

function redact(u: URL): string {
  if (u.password) u.password = '***';
  return u.toString();
}

export interface Connection {
  readonly db: Kysely<Tables>;
  readonly dialect: DialectKind;
  readonly location: RunDbLocation;
  /** Run fn in one transaction that holds the write lock from its first statement. */
  write<T>(fn: (tx: Kysely<Tables>) => Promise<T>): Promise<T>;
  /** Turn a driver error into a RunDbError naming the database. */
  explain(e: unknown, what: string): Error;
}

const PG_INT8 = 20;
const PG_JSON = 114;
const PG_JSONB = 3802;

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Switch to WAL. Several processes opening a fresh database at once: while one switches, the
 * others get SQLITE_BUSY at once (the busy timeout does not cover this), so they retry. */
function walMode(handle: Database.Database): void {
  for (let attempt = 1; ; attempt++) {
    try {
      handle.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 200) throw e;
      Atomics.wait(pause, 0, 0, 25); // a synchronous pause: opening is synchronous
    }
  }
}

function sqliteDialect(path: string, display: string): SqliteDialect {
  let handle: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    handle = new Database(path, { timeout: 30_000 });
    walMode(handle);
    handle.pragma('foreign_keys = ON');
    handle.pragma('synchronous = NORMAL');
  } catch (e) {
    throw new RunDbError(`Cannot open runs database ${display}: ${(e as Error).message}`);
  }
  return new SqliteDialect({ database: handle });
}

/** pg is loaded only for PostgreSQL URLs (it costs ~0.1 s of start-up otherwise). */
async function postgresDialect(loc: RunDbLocation): Promise<PostgresDialect> {
  const { default: pgm } = await import('pg');
  const config: pg.PoolConfig = {
    connectionString: loc.connectionString!,
    max: 4,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 10_000,
    types: {
      // BIGINT holds epoch milliseconds and ids: exact as numbers. JSON is decoded by us.
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === PG_INT8) return (v: string) => Number(v);
        if (oid === PG_JSON || oid === PG_JSONB) return (v: string) => v;
        return pgm.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  };
  if (loc.schema) config.options = `-c search_path=${loc.schema}`;
  const pool = new pgm.Pool(config);
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return new PostgresDialect({ pool });
}

const UNREACHABLE =
  /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|timeout|terminat|does not exist|password|authentication/i;

/** Open, check the server answers, and bring the schema up to date. */
export async function connect(url: string): Promise<Connection> {
  const location = parseRunDbUrl(url);
  const dialect = location.dialect;
  const db = new Kysely<Tables>({
    dialect:
      dialect === 'sqlite'
        ? sqliteDialect(location.path!, location.display)
        : await postgresDialect(location),
  });
  const explain = (e: unknown, what: string): Error => {
    if (e instanceof RunDbError) return e;
    const msg = e instanceof Error ? e.message || (e as NodeJS.ErrnoException).code || String(e) : String(e);
    const hint =
      dialect === 'postgres' && UNREACHABLE.test(msg)
        ? ' Is PostgreSQL running there? Check the URL or ' + RUNDB_ENV + '.'
        : '';
    return new RunDbError(`Runs database ${location.display}: ${what} failed: ${msg}.${hint}`);
  };
  const write = async <T>(fn: (tx: Kysely<Tables>) => Promise<T>): Promise<T> => {
    if (dialect === 'postgres') return db.transaction().execute(fn);
    // SQLite: BEGIN IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so
    // a read-then-write transaction never fails half way because another process wrote.
    return db.connection().execute(async (c) => {
      await sql`begin immediate`.execute(c);
      try {
        const r = await fn(c);
        await sql`commit`.execute(c);
        return r;
      } catch (e) {
        await sql`rollback`.execute(c).catch(() => undefined);
        throw e;
      }
    });
  };
  const conn: Connection = { db, dialect, location, write, explain };
  try {
    await migrate(conn);
  } catch (e) {
    await db.destroy().catch(() => undefined);
    throw explain(e, 'connecting and migrating');
  }
  return conn;
}

async function migrate(conn: Connection): Promise<void> {
  const { db, dialect, location } = conn;
  if (dialect === 'sqlite') {
    await conn.write((tx) => applyMigrations(tx, dialect));
    return;
  }
  await db.transaction().execute(async (tx) => {
    // Several hosts may start at once against a fresh database: one migrates, the others wait.
    const schema = location.schema ?? 'public';
    await sql`select pg_advisory_xact_lock(hashtext(${'straxts_rundb:' + schema}))`.execute(tx);
    if (location.schema) await sql`create schema if not exists ${sql.id(location.schema)}`.execute(tx);
    await applyMigrations(tx, dialect);
  });
}
