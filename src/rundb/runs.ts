// Run documents: insert, read, list, update, status, tags and comments.

import type { Kysely } from 'kysely';
import type { Connection } from './connection.js';
import { RunDbError } from './connection.js';
import { runCondition } from './filters.js';
import {
  dataFromRow,
  dateOrNull,
  msOrNull,
  num,
  runFromRow,
  toJson,
  toJsonOrNull,
  type RunRow,
} from './rows.js';
import type { Tables } from './schema.js';
import type { NewRun, RunComment, RunDoc, RunFilter, RunPatch, RunTag } from './types.js';
import { dataValues } from './data.js';

const BATCH = 500;

export async function insertRun(conn: Connection, run: NewRun): Promise<RunDoc> {
  if (!Number.isSafeInteger(run.number) || run.number < 0) {
    throw new RunDbError(`Run number ${run.number} is not a non-negative integer.`);
  }
  await conn.write(async (tx) => {
    const exists = await tx
      .selectFrom('runs')
      .select('number')
      .where('number', '=', run.number)
      .executeTakeFirst();
    if (exists) throw new RunDbError(`Run ${run.number} already exists in ${conn.location.display}.`);
    await tx
      .insertInto('runs')
      .values({
        number: run.number,
        name: run.name ?? null,
        start_time: msOrNull(run.start),
        end_time: msOrNull(run.end),
        mode: run.mode ?? null,
        detectors: toJson(run.detectors ?? []),
        source: run.source ?? null,
        status: run.status ?? null,
        rate: toJsonOrNull(run.rate),
        daq_config: toJsonOrNull(run.daqConfig),
        restrax: null,
        extra: toJson(run.extra ?? {}),
        bootstrax_n_failures: 0,
      })
      .execute();
    for (const t of run.tags ?? []) await insertTag(tx, run.number, t);
    for (const c of run.comments ?? []) await insertComment(tx, run.number, c);
    const now = Date.now();
    for (const d of run.data ?? []) {
      await tx
        .insertInto('data_entries')
        .values(dataValues({ ...d, run: run.number }, now))
        .execute();
    }
  });
  return (await getRun(conn, run.number))!;
}

async function insertTag(tx: Kysely<Tables>, number: number, t: RunTag): Promise<void> {
  await tx
    .insertInto('run_tags')
    .values({ run_number: number, name: t.name, user_name: t.user ?? null, date: msOrNull(t.date) })
    .execute();
}

async function insertComment(tx: Kysely<Tables>, number: number, c: RunComment): Promise<void> {
  await tx
    .insertInto('run_comments')
    .values({ run_number: number, comment: c.comment, user_name: c.user, date: c.date.getTime() })
    .execute();
}

/** Attach tags, comments and (when asked) data entries to run rows, a few queries per batch. */
export async function completeRuns(db: Kysely<Tables>, rows: RunRow[], withData: boolean): Promise<RunDoc[]> {
  const docs = rows.map(runFromRow);
  const byNumber = new Map(docs.map((d) => [d.number, d]));
  for (let i = 0; i < docs.length; i += BATCH) {
    const numbers = docs.slice(i, i + BATCH).map((d) => d.number);
    const tags = await db
      .selectFrom('run_tags')
      .selectAll()
      .where('run_number', 'in', numbers)
      .orderBy('id')
      .execute();
    for (const t of tags) {
      const tag: RunTag = { name: t.name };
      if (t.user_name !== null) tag.user = t.user_name;
      const date = dateOrNull(t.date);
      if (date) tag.date = date;
      byNumber.get(num(t.run_number))!.tags.push(tag);
    }
    const comments = await db
      .selectFrom('run_comments')
      .selectAll()
      .where('run_number', 'in', numbers)
      .orderBy('id')
      .execute();
    for (const c of comments) {
      byNumber
        .get(num(c.run_number))!
        .comments.push({ comment: c.comment, user: c.user_name, date: new Date(num(c.date)) });
    }
    if (withData) {
      for (const d of docs.slice(i, i + BATCH)) d.data = [];
      const data = await db
        .selectFrom('data_entries')
        .selectAll()
        .where('run_number', 'in', numbers)
        .orderBy('id')
        .execute();
      for (const d of data) byNumber.get(num(d.run_number))!.data!.push(dataFromRow(d));
    }
  }
  return docs;
}

/** The full run document (with data entries), or undefined. */
export async function getRun(conn: Connection, number: number): Promise<RunDoc | undefined> {
  const row = await conn.db.selectFrom('runs').selectAll().where('number', '=', number).executeTakeFirst();
  if (!row) return undefined;
  return (await completeRuns(conn.db, [row], true))[0];
}

export interface ListOptions {
  withData?: boolean;
  /** 'number' ascending (default) or 'start' newest first. */
  order?: 'number' | 'start';
}

export async function listRuns(
  conn: Connection,
  filter: RunFilter = {},
  opts: ListOptions = {},
): Promise<RunDoc[]> {
  let q = conn.db
    .selectFrom('runs')
    .selectAll()
    .where((eb) => runCondition(eb, filter, conn.dialect));
  q =
    opts.order === 'start'
      ? q.orderBy('start_time', (o) => o.desc().nullsLast()).orderBy('number', 'desc')
      : q.orderBy('number', 'asc');
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  return completeRuns(conn.db, await q.execute(), opts.withData ?? false);
}

export async function updateRun(
  conn: Connection,
  number: number,
  patch: RunPatch,
): Promise<RunDoc | undefined> {
  const set: Record<string, unknown> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.start !== undefined) set.start_time = msOrNull(patch.start);
  if (patch.end !== undefined) set.end_time = msOrNull(patch.end);
  if (patch.mode !== undefined) set.mode = patch.mode;
  if (patch.detectors !== undefined) set.detectors = toJson(patch.detectors);
  if (patch.source !== undefined) set.source = patch.source;
  if (patch.rate !== undefined) set.rate = toJsonOrNull(patch.rate);
  if (patch.daqConfig !== undefined) set.daq_config = toJsonOrNull(patch.daqConfig);
  if (patch.extra !== undefined) set.extra = toJson(patch.extra);
  if (patch.restrax !== undefined) set.restrax = toJsonOrNull(patch.restrax);
  if (Object.keys(set).length) {
    const r = await conn.db.updateTable('runs').set(set).where('number', '=', number).executeTakeFirst();
    if (r.numUpdatedRows === 0n) return undefined;
  }
  return getRun(conn, number);
}

/**
 * Set the data-flow status, only if the current status is one of `from` (when given):
 * bootstrax sets eb_finished_pre only from null/needs_upload. Returns whether it changed.
 */
export async function setRunStatus(
  conn: Connection,
  number: number,
  status: string | null,
  from?: readonly (string | null)[],
): Promise<boolean> {
  const r = await conn.db
    .updateTable('runs')
    .set({ status })
    .where((eb) => runCondition(eb, from ? { number, status: from } : { number }, conn.dialect))
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

async function requireRun(tx: Kysely<Tables>, conn: Connection, number: number): Promise<void> {
  const r = await tx.selectFrom('runs').select('number').where('number', '=', number).executeTakeFirst();
  if (!r) throw new RunDbError(`Run ${number} does not exist in ${conn.location.display}.`);
}

export async function addTag(conn: Connection, number: number, tag: RunTag): Promise<void> {
  await conn.write(async (tx) => {
    await requireRun(tx, conn, number);
    await insertTag(tx, number, tag);
  });
}

/** Remove every tag of that name (from one user, when given). Returns how many. */
export async function removeTag(
  conn: Connection,
  number: number,
  name: string,
  user?: string,
): Promise<number> {
  let q = conn.db.deleteFrom('run_tags').where('run_number', '=', number).where('name', '=', name);
  if (user !== undefined) q = q.where('user_name', '=', user);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

export async function addComment(conn: Connection, number: number, comment: RunComment): Promise<void> {
  await conn.write(async (tx) => {
    await requireRun(tx, conn, number);
    await insertComment(tx, number, comment);
  });
}
