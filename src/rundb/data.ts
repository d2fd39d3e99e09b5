// Data entries: where copies of a run's data live. One entry per (run, type, lineage hash, host).

import { sql, type SqlBool } from 'kysely';
import { RunDbError, type Connection } from './connection.js';
import { pyJsonDumps } from '../core/python/json.js';
import { dataFromRow, fromJson, toJson } from './rows.js';
import type { DataEntry, DataPatch, DeletedDataEntry, NewDataEntry } from './types.js';

/** straxen's name for the file-system backend (sic). */
export const FILE_SYSTEM_PROTOCOL = 'FileSytemBackend';

export function dataValues(e: NewDataEntry, now: number) {
  return {
    run_number: e.run,
    type: e.type,
    host: e.host,
    location: e.location,
    protocol: e.protocol ?? FILE_SYSTEM_PROTOCOL,
    lineage_hash: e.lineageHash ?? '',
    lineage: e.lineage ? pyJsonDumps(e.lineage) : null,
    status: e.status ?? null,
    meta: toJson(e.meta ?? {}),
    did: e.did ?? null,
    file_count: e.fileCount ?? null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * Register a copy, or update the entry this host already has for the same run, type and
 * lineage hash (one statement: INSERT ... ON CONFLICT DO UPDATE). The run must exist.
 */
export async function registerData(conn: Connection, e: NewDataEntry): Promise<DataEntry> {
  return conn.write(async (tx) => {
    const run = await tx.selectFrom('runs').select('number').where('number', '=', e.run).executeTakeFirst();
    if (!run) {
      throw new RunDbError(
        `Cannot register ${e.type} data for run ${e.run}: no such run in ${conn.location.display}.`,
      );
    }
    const row = await tx
      .insertInto('data_entries')
      .values(dataValues(e, Date.now()))
      .onConflict((oc) =>
        oc.columns(['run_number', 'type', 'lineage_hash', 'host']).doUpdateSet((eb) => ({
          location: eb.ref('excluded.location'),
          protocol: eb.ref('excluded.protocol'),
          lineage: eb.ref('excluded.lineage'),
          status: eb.ref('excluded.status'),
          meta: eb.ref('excluded.meta'),
          did: eb.ref('excluded.did'),
          file_count: eb.ref('excluded.file_count'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return dataFromRow(row);
  });
}

/** Change one entry; meta keys are merged into the stored meta. Undefined if it is gone. */
export async function updateData(
  conn: Connection,
  id: number,
  patch: DataPatch,
): Promise<DataEntry | undefined> {
  return conn.write(async (tx) => {
    const old = await tx.selectFrom('data_entries').selectAll().where('id', '=', id).executeTakeFirst();
    if (!old) return undefined;
    const set: Record<string, unknown> = { updated_at: Date.now() };
    if (patch.location !== undefined) set.location = patch.location;
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.fileCount !== undefined) set.file_count = patch.fileCount;
    if (patch.did !== undefined) set.did = patch.did;
    if (patch.meta !== undefined)
      set.meta = toJson({ ...fromJson<Record<string, unknown>>(old.meta), ...patch.meta });
    const row = await tx
      .updateTable('data_entries')
      .set(set)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return dataFromRow(row);
  });
}

export interface DataLookup {
  /** Hosts to accept (this host and its aliases); all hosts when absent. */
  hosts?: readonly string[];
  /** Statuses to accept; all when absent. */
  status?: readonly (string | null)[];
}

/** Entries for (run, type, lineage hash), oldest first. */
export async function findData(
  conn: Connection,
  run: number,
  type: string,
  lineageHash: string,
  opts: DataLookup = {},
): Promise<DataEntry[]> {
  let q = conn.db
    .selectFrom('data_entries')
    .selectAll()
    .where('run_number', '=', run)
    .where('type', '=', type)
    .where('lineage_hash', '=', lineageHash);
  if (opts.hosts)
    q = opts.hosts.length ? q.where('host', 'in', [...opts.hosts]) : q.where(sql<SqlBool>`1 = 0`);
  if (opts.status) {
    const values = opts.status.filter((s): s is string => s !== null);
    const withNull = values.length !== opts.status.length;
    q = q.where((eb) =>
      eb.or([
        ...(values.length ? [eb('status', 'in', values)] : []),
        ...(withNull ? [eb('status', 'is', null)] : []),
        ...(!values.length && !withNull ? [sql<SqlBool>`1 = 0`] : []),
      ]),
    );
  }
  return (await q.orderBy('id').execute()).map(dataFromRow);
}

export async function listData(
  conn: Connection,
  run: number,
  opts: { host?: string; type?: string } = {},
): Promise<DataEntry[]> {
  let q = conn.db.selectFrom('data_entries').selectAll().where('run_number', '=', run);
  if (opts.host !== undefined) q = q.where('host', '=', opts.host);
  if (opts.type !== undefined) q = q.where('type', '=', opts.type);
  return (await q.orderBy('id').execute()).map(dataFromRow);
}

/** One entry by id, or every entry of a type on a host (of one lineage, when given). */
export type DataSelection =
  { id: number } | { run: number; type: string; host: string; lineageHash?: string };

/**
 * Remove entries and record them in deleted_data, in one transaction. straxen pulls every
 * entry of the type on the host; pass a lineage hash or an id to remove only one copy.
 */
export async function deleteData(
  conn: Connection,
  sel: DataSelection,
  by: { by: string; reason?: string },
): Promise<DataEntry[]> {
  return conn.write(async (tx) => {
    let q = tx.selectFrom('data_entries').selectAll();
    if ('id' in sel) q = q.where('id', '=', sel.id);
    else {
      q = q.where('run_number', '=', sel.run).where('type', '=', sel.type).where('host', '=', sel.host);
      if (sel.lineageHash !== undefined) q = q.where('lineage_hash', '=', sel.lineageHash);
    }
    const rows = await q.execute();
    if (!rows.length) return [];
    const at = Date.now();
    await tx
      .insertInto('deleted_data')
      .values(
        rows.map((r) => ({
          run_number: r.run_number,
          type: r.type,
          host: r.host,
          lineage_hash: r.lineage_hash,
          at,
          by_host: by.by,
          reason: by.reason ?? null,
        })),
      )
      .execute();
    await tx
      .deleteFrom('data_entries')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map(dataFromRow);
  });
}

export async function listDeletedData(conn: Connection, run: number): Promise<DeletedDataEntry[]> {
  const rows = await conn.db
    .selectFrom('deleted_data')
    .selectAll()
    .where('run_number', '=', run)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    run: Number(r.run_number),
    type: r.type,
    host: r.host,
    lineageHash: r.lineage_hash,
    at: new Date(Number(r.at)),
    by: r.by_host,
    reason: r.reason,
  }));
}

/** What unregisterCopy did. */
export type UnregisterResult =
  | { outcome: 'removed'; entry: DataEntry }
  | { outcome: 'refused'; entry: DataEntry; reason: string }
  | { outcome: 'gone' };

/**
 * Remove one entry (recording it in deleted_data) only if `guard`, shown every entry of the
 * run as it is inside the transaction, returns null; else keep it and return the guard's
 * reason. The run's row is locked first, so two hosts removing two copies of one run one
 * after the other each see what the other left (neither can remove the last copy unnoticed).
 */
export async function unregisterCopy(
  conn: Connection,
  id: number,
  by: { by: string; reason?: string },
  guard: (target: DataEntry, runEntries: DataEntry[]) => string | null | Promise<string | null>,
): Promise<UnregisterResult> {
  return conn.write(async (tx) => {
    const row = await tx
      .selectFrom('data_entries')
      .select('run_number')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return { outcome: 'gone' as const };
    let lock = tx.selectFrom('runs').select('number').where('number', '=', row.run_number);
    if (conn.dialect === 'postgres') lock = lock.forUpdate();
    await lock.execute();
    const entries = (
      await tx
        .selectFrom('data_entries')
        .selectAll()
        .where('run_number', '=', row.run_number)
        .orderBy('id')
        .execute()
    ).map(dataFromRow);
    const target = entries.find((e) => e.id === id);
    if (!target) return { outcome: 'gone' as const };
    const reason = await guard(target, entries);
    if (reason !== null) return { outcome: 'refused' as const, entry: target, reason };
    await tx
      .insertInto('deleted_data')
      .values({
        run_number: target.run,
        type: target.type,
        host: target.host,
        lineage_hash: target.lineageHash,
        at: Date.now(),
        by_host: by.by,
        reason: by.reason ?? null,
      })
      .execute();
    await tx.deleteFrom('data_entries').where('id', '=', id).execute();
    return { outcome: 'removed' as const, entry: target };
  });
}
