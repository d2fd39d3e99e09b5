// Tables of the runs database and their versioned migrations, one definition for both dialects.
// Times are epoch milliseconds in BIGINT columns (comparisons stay plain integer comparisons in
// both dialects); JSON is TEXT in SQLite and JSONB in PostgreSQL.

import type { ColumnType, CreateTableBuilder, Kysely } from 'kysely';

export type DialectKind = 'sqlite' | 'postgres';

/** pg returns BIGINT as a string; better-sqlite3 as a number. */
type Int8 = ColumnType<number | string, number, number>;
type NullableInt8 = ColumnType<number | string | null, number | null, number | null>;
/** Written as JSON text; read back as text (sqlite) or parsed (pg). */
type Json = ColumnType<unknown, string, string>;
type NullableJson = ColumnType<unknown, string | null, string | null>;
type Id = ColumnType<number | string, never, never>;

export interface RunsTable {
  number: number;
  name: string | null;
  start_time: NullableInt8;
  end_time: NullableInt8;
  mode: string | null;
  detectors: Json;
  source: string | null;
  status: string | null;
  rate: NullableJson;
  daq_config: NullableJson;
  restrax: NullableJson;
  extra: Json;
  bootstrax_state: string | null;
  bootstrax_host: string | null;
  bootstrax_time: NullableInt8;
  bootstrax_n_failures: number;
  bootstrax_reason: string | null;
  bootstrax_next_retry: NullableInt8;
  bootstrax_started_processing: NullableInt8;
}

export interface RunTagsTable {
  id: Id;
  run_number: number;
  name: string;
  user_name: string | null;
  date: NullableInt8;
}

export interface RunCommentsTable {
  id: Id;
  run_number: number;
  comment: string;
  user_name: string;
  date: Int8;
}

export interface DataEntriesTable {
  id: Id;
  run_number: number;
  type: string;
  host: string;
  location: string;
  protocol: string;
  lineage_hash: string;
  /** Python JSON text (floats keep their '.0'), so the lineage hash can be recomputed. */
  lineage: string | null;
  status: string | null;
  meta: Json;
  did: string | null;
  file_count: number | null;
  created_at: Int8;
  updated_at: Int8;
}

export interface DeletedDataTable {
  id: Id;
  run_number: number;
  type: string;
  host: string;
  lineage_hash: string;
  at: Int8;
  by_host: string;
  reason: string | null;
}

/** One correction document (xedocs-like); times in ns since the epoch, extracted for queries. */
export interface CorrectionsTable {
  id: Id;
  name: string;
  kind: string;
  version: string | null;
  valid_from: NullableInt8;
  valid_until: NullableInt8;
  sample_time: NullableInt8;
  doc: Json;
  created_at: Int8;
}

export interface HostStatusTable {
  host: string;
  program: string;
  pid: number;
  state: string;
  time: Int8;
  info: Json;
}

/** Settings a DAQ tool reads at run time (straxen's daq.restrax_config document, ...). */
export interface DaqSettingsTable {
  name: string;
  doc: Json;
  updated_at: Int8;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: Int8;
}

export interface Tables {
  runs: RunsTable;
  run_tags: RunTagsTable;
  run_comments: RunCommentsTable;
  data_entries: DataEntriesTable;
  deleted_data: DeletedDataTable;
  corrections: CorrectionsTable;
  host_status: HostStatusTable;
  daq_settings: DaqSettingsTable;
  schema_migrations: MigrationsTable;
}

export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<Tables>, dialect: DialectKind): Promise<void>;
}

// Column types that differ between the dialects.
const types = (d: DialectKind) =>
  ({
    int8: d === 'sqlite' ? 'integer' : 'bigint',
    json: d === 'sqlite' ? 'text' : 'jsonb',
    serial: d === 'sqlite' ? 'integer' : 'bigserial',
  }) as const;

// A serial id column: sqlite's INTEGER PRIMARY KEY AUTOINCREMENT, pg's BIGSERIAL PRIMARY KEY.
function withId<TB extends string>(b: CreateTableBuilder<TB>, d: DialectKind) {
  return d === 'sqlite'
    ? b.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : b.addColumn('id', 'bigserial', (c) => c.primaryKey());
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, tags, comments, data entries',
    async up(db, d) {
      const t = types(d);
      await db.schema
        .createTable('runs')
        .addColumn('number', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text')
        .addColumn('start_time', t.int8)
        .addColumn('end_time', t.int8)
        .addColumn('mode', 'text')
        .addColumn('detectors', t.json, (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('status', 'text')
        .addColumn('rate', t.json)
        .addColumn('daq_config', t.json)
        .addColumn('restrax', t.json)
        .addColumn('extra', t.json, (c) => c.notNull())
        .addColumn('bootstrax_state', 'text')
        .addColumn('bootstrax_host', 'text')
        .addColumn('bootstrax_time', t.int8)
        .addColumn('bootstrax_n_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('bootstrax_reason', 'text')
        .addColumn('bootstrax_next_retry', t.int8)
        .addColumn('bootstrax_started_processing', t.int8)
        .execute();
      await db.schema
        .createIndex('runs_state_start')
        .on('runs')
        .columns(['bootstrax_state', 'start_time'])
        .execute();
      await db.schema.createIndex('runs_start').on('runs').column('start_time').execute();

      await withId(db.schema.createTable('run_tags'), d)
        .addColumn('run_number', 'integer', (c) => c.notNull().references('runs.number').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('user_name', 'text')
        .addColumn('date', t.int8)
        .execute();
      await db.schema.createIndex('run_tags_run').on('run_tags').columns(['run_number', 'name']).execute();
      await db.schema.createIndex('run_tags_name').on('run_tags').column('name').execute();

      await withId(db.schema.createTable('run_comments'), d)
        .addColumn('run_number', 'integer', (c) => c.notNull().references('runs.number').onDelete('cascade'))
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('date', t.int8, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('run_comments_run').on('run_comments').column('run_number').execute();

      await withId(db.schema.createTable('data_entries'), d)
        .addColumn('run_number', 'integer', (c) => c.notNull().references('runs.number').onDelete('cascade'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('protocol', 'text', (c) => c.notNull())
        .addColumn('lineage_hash', 'text', (c) => c.notNull())
        // Python's JSON text, kept verbatim: jsonb would turn 28.0 into 28 and 1e16 into digits.
        .addColumn('lineage', 'text')
        .addColumn('status', 'text')
        .addColumn('meta', t.json, (c) => c.notNull())
        .addColumn('did', 'text')
        .addColumn('file_count', 'integer')
        .addColumn('created_at', t.int8, (c) => c.notNull())
        .addColumn('updated_at', t.int8, (c) => c.notNull())
        .addUniqueConstraint('data_entries_key', ['run_number', 'type', 'lineage_hash', 'host'])
        .execute();
      await db.schema
        .createIndex('data_entries_host')
        .on('data_entries')
        .columns(['host', 'run_number'])
        .execute();

      await withId(db.schema.createTable('deleted_data'), d)
        .addColumn('run_number', 'integer', (c) => c.notNull().references('runs.number').onDelete('cascade'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('lineage_hash', 'text', (c) => c.notNull())
        .addColumn('at', t.int8, (c) => c.notNull())
        .addColumn('by_host', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .execute();
      await db.schema.createIndex('deleted_data_run').on('deleted_data').column('run_number').execute();
    },
  },
  {
    version: 2,
    name: 'corrections: documents with validity intervals or time samples',
    async up(db, d) {
      const t = types(d);
      await withId(db.schema.createTable('corrections'), d)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('version', 'text')
        .addColumn('valid_from', t.int8)
        .addColumn('valid_until', t.int8)
        .addColumn('sample_time', t.int8)
        .addColumn('doc', t.json, (c) => c.notNull())
        .addColumn('created_at', t.int8, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('corrections_name_from')
        .on('corrections')
        .columns(['name', 'valid_from'])
        .execute();
    },
  },
  {
    version: 3,
    name: 'host heartbeats',
    async up(db, d) {
      const t = types(d);
      await db.schema
        .createTable('host_status')
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('program', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('time', t.int8, (c) => c.notNull())
        .addColumn('info', t.json, (c) => c.notNull())
        .addPrimaryKeyConstraint('host_status_pk', ['host', 'program'])
        .execute();
    },
  },
  {
    version: 5,
    name: 'DAQ tool settings (restrax_config, ...)',
    async up(db, d) {
      const t = types(d);
      await db.schema
        .createTable('daq_settings')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('doc', t.json, (c) => c.notNull())
        .addColumn('updated_at', t.int8, (c) => c.notNull())
        .execute();
    },
  },
];

/** Apply every migration not yet recorded; the caller holds the database's write lock. */
export async function applyMigrations(db: Kysely<Tables>, dialect: DialectKind): Promise<number[]> {
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', types(dialect).int8, (c) => c.notNull())
    .execute();
  const done = new Set(
    (await db.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version),
  );
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await m.up(db, dialect);
    await db
      .insertInto('schema_migrations')
      .values({ version: m.version, name: m.name, applied_at: Date.now() })
      .execute();
    applied.push(m.version);
  }
  return applied;
}

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
