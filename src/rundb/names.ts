// Names a caller needs before deciding to open a runs database; kept apart from connection.ts
// so that checking them does not load the database drivers and kysely (~0.3 s of start-up).

/** Environment variable holding the runs database URL. */
export const RUNDB_ENV = 'STRAXTS_RUNDB';
/** The SQLite file a data folder's runs database lives in by default. */
export const DEFAULT_SQLITE_NAME = 'rundb.sqlite';
