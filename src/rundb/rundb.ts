// The runs database behind one small interface. openRunDb(url) picks the dialect:
// `sqlite:PATH` or a plain path (embedded default, e.g. <data>/rundb.sqlite) or postgres://...
// Every state change two hosts could race on is one statement or one write transaction.

import * as claims from './claims.js';
import { connect, resolveRunDbUrl, type Connection } from './connection.js';
import * as corr from './corrections-table.js';
import * as data from './data.js';
import type { DialectKind } from './schema.js';
import * as runs from './runs.js';
import * as settings from './settings.js';
import type {
  BootstraxState,
  CorrectionKind,
  DataEntry,
  DataPatch,
  DeletedDataEntry,
  HostStatus,
  JsonObject,
  NewCorrectionDoc,
  NewDataEntry,
  NewRun,
  RunComment,
  RunDoc,
  RunFilter,
  RunPatch,
  RunTag,
  StoredCorrections,
} from './types.js';

export type * from './types.js';
export { RunDbError, RUNDB_ENV, parseRunDbUrl, resolveRunDbUrl } from './connection.js';
export { FILE_SYSTEM_PROTOCOL, type DataLookup, type DataSelection, type UnregisterResult } from './data.js';
export {
  MAX_N_RETRY,
  RETRY_BASE_MS,
  MAX_BUSY_MS,
  MAX_CONSIDERING_MS,
  newRunsFilter,
  retryFilter,
  staleFilter,
  type FailOptions,
  type StateChange,
} from './claims.js';
export type { ListOptions } from './runs.js';
export { straxenRunDocument } from './run-document.js';
export { LATEST_SCHEMA_VERSION, type DialectKind } from './schema.js';

export interface RunDb {
  readonly dialect: DialectKind;
  /** The database for messages (password hidden). */
  readonly display: string;
  close(): Promise<void>;

  insertRun(run: NewRun): Promise<RunDoc>;
  getRun(number: number): Promise<RunDoc | undefined>;
  listRuns(filter?: RunFilter, opts?: runs.ListOptions): Promise<RunDoc[]>;
  updateRun(number: number, patch: RunPatch): Promise<RunDoc | undefined>;
  setRunStatus(number: number, status: string | null, from?: readonly (string | null)[]): Promise<boolean>;
  addTag(number: number, tag: RunTag): Promise<void>;
  removeTag(number: number, name: string, user?: string): Promise<number>;
  addComment(number: number, comment: RunComment): Promise<void>;

  claimRun(host: string, filter: RunFilter, now?: Date): Promise<RunDoc | undefined>;
  setBootstraxState(
    number: number,
    host: string,
    state: BootstraxState,
    opts?: claims.StateChange,
  ): Promise<RunDoc | undefined>;
  markFailed(
    number: number,
    host: string,
    reason: string,
    opts?: claims.FailOptions,
  ): Promise<RunDoc | undefined>;
  releaseRun(number: number, host: string, from?: readonly BootstraxState[]): Promise<boolean>;

  registerData(entry: NewDataEntry): Promise<DataEntry>;
  updateData(id: number, patch: DataPatch): Promise<DataEntry | undefined>;
  deleteData(sel: data.DataSelection, by: { by: string; reason?: string }): Promise<DataEntry[]>;
  findData(run: number, type: string, lineageHash: string, opts?: data.DataLookup): Promise<DataEntry[]>;
  listData(run: number, opts?: { host?: string; type?: string }): Promise<DataEntry[]>;
  listDeletedData(run: number): Promise<DeletedDataEntry[]>;
  /** Remove one copy's entry only if the guard (shown the run's entries) allows it. */
  unregisterCopy(
    id: number,
    by: { by: string; reason?: string },
    guard: (target: DataEntry, runEntries: DataEntry[]) => string | null | Promise<string | null>,
  ): Promise<data.UnregisterResult>;

  getSettings(name: string): Promise<JsonObject | undefined>;
  putSettings(name: string, doc: JsonObject): Promise<void>;

  addCorrections(
    name: string,
    kind: CorrectionKind,
    docs: readonly NewCorrectionDoc[],
    opts?: { replace?: boolean },
  ): Promise<number>;
  correctionDocs(name: string, time?: bigint): Promise<StoredCorrections | undefined>;
  listCorrections(): Promise<{ name: string; kind: CorrectionKind; count: number }[]>;

  heartbeat(s: {
    host: string;
    program: string;
    pid: number;
    state: string;
    info?: JsonObject;
    now?: Date;
  }): Promise<void>;
  listHosts(opts?: { program?: string; aliveSince?: Date }): Promise<HostStatus[]>;
  markHostsDead(program: string, before: Date, state: string): Promise<string[]>;
}

type Fn = (...a: never[]) => Promise<unknown>;

class SqlRunDb implements RunDb {
  readonly dialect: DialectKind;
  readonly display: string;

  constructor(private readonly conn: Connection) {
    this.dialect = conn.dialect;
    this.display = conn.location.display;
  }

  // Every call reports driver failures as one RunDbError line naming the database and the call.
  private call<F extends (c: Connection, ...a: never[]) => Promise<unknown>>(what: string, f: F) {
    return async (
      ...a: Parameters<F> extends [Connection, ...infer R] ? R : never
    ): Promise<Awaited<ReturnType<F>>> => {
      try {
        return (await (f as unknown as Fn)(...([this.conn, ...a] as never[]))) as Awaited<ReturnType<F>>;
      } catch (e) {
        throw this.conn.explain(e, what);
      }
    };
  }

  async close(): Promise<void> {
    await this.conn.db.destroy();
  }

  insertRun = this.call('insertRun', runs.insertRun);
  getRun = this.call('getRun', runs.getRun);
  listRuns = this.call('listRuns', runs.listRuns);
  updateRun = this.call('updateRun', runs.updateRun);
  setRunStatus = this.call('setRunStatus', runs.setRunStatus);
  addTag = this.call('addTag', runs.addTag);
  removeTag = this.call('removeTag', runs.removeTag);
  addComment = this.call('addComment', runs.addComment);

  claimRun = this.call('claimRun', claims.claimRun);
  setBootstraxState = this.call('setBootstraxState', claims.setBootstraxState);
  markFailed = this.call('markFailed', claims.markFailed);
  releaseRun = this.call('releaseRun', claims.releaseRun);

  registerData = this.call('registerData', data.registerData);
  updateData = this.call('updateData', data.updateData);
  deleteData = this.call('deleteData', data.deleteData);
  findData = this.call('findData', data.findData);
  listData = this.call('listData', data.listData);
  listDeletedData = this.call('listDeletedData', data.listDeletedData);
  unregisterCopy = this.call('unregisterCopy', data.unregisterCopy);

  getSettings = this.call('getSettings', settings.getSettings);
  putSettings = this.call('putSettings', settings.putSettings);

  addCorrections = this.call('addCorrections', corr.addCorrections);
  correctionDocs = this.call('correctionDocs', corr.correctionDocs);
  listCorrections = this.call('listCorrections', corr.listCorrections);

  heartbeat = this.call('heartbeat', corr.heartbeat);
  listHosts = this.call('listHosts', corr.listHosts);
  markHostsDead = this.call('markHostsDead', corr.markHostsDead);
}

/**
 * Open (creating and migrating on first use) the runs database at `url`; without one, use
 * $STRAXTS_RUNDB, else `<dataFolder>/rundb.sqlite`.
 */
export async function openRunDb(url?: string, dataFolder?: string): Promise<RunDb> {
  return new SqlRunDb(await connect(resolveRunDbUrl(url, dataFolder)));
}
