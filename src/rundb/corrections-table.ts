// Corrections with time validity (PMT gains, electron lifetime, drift velocity, ...) stored as
// documents and selected by a time (a run's start); and the hosts' heartbeat table.

import { sql, type Expression, type SqlBool } from 'kysely';
import { RunDbError, type Connection } from './connection.js';
import { fromJson, num, toJson } from './rows.js';
import type { CorrectionKind, HostStatus, JsonObject, NewCorrectionDoc, StoredCorrections } from './types.js';

// ns since the epoch exceed 2^53: they travel as digit strings and are cast by the database.
const ns = (t: bigint) => sql<number>`cast(${t.toString()} as bigint)`;
const nsOrNull = (t: bigint | undefined) => (t === undefined ? null : ns(t));

/**
 * Store documents of correction `name` in one transaction; `replace` first removes the
 * documents it had. A correction keeps one kind.
 */
export async function addCorrections(
  conn: Connection,
  name: string,
  kind: CorrectionKind,
  docs: readonly NewCorrectionDoc[],
  opts: { replace?: boolean } = {},
): Promise<number> {
  if (kind === 'sampled' && docs.some((d) => d.time === undefined)) {
    throw new RunDbError(`Correction ${name}: every sampled document needs a time.`);
  }
  return conn.write(async (tx) => {
    if (opts.replace) await tx.deleteFrom('corrections').where('name', '=', name).execute();
    else {
      const old = await tx
        .selectFrom('corrections')
        .select('kind')
        .where('name', '=', name)
        .limit(1)
        .executeTakeFirst();
      if (old && old.kind !== kind) {
        throw new RunDbError(
          `Correction ${name} holds ${old.kind} documents in ${conn.location.display}; replace them to store ${kind} ones.`,
        );
      }
    }
    const now = Date.now();
    for (let i = 0; i < docs.length; i += 200) {
      await tx
        .insertInto('corrections')
        .values(
          docs.slice(i, i + 200).map((d) => ({
            name,
            kind,
            version: typeof d.doc.version === 'string' ? d.doc.version : null,
            valid_from: nsOrNull(d.validFrom),
            valid_until: nsOrNull(d.validUntil),
            sample_time: nsOrNull(d.time),
            doc: toJson(d.doc),
            created_at: now,
          })),
        )
        .execute();
    }
    return docs.length;
  });
}

/**
 * Documents of `name` that can apply at `time`: interval documents whose [valid_from,
 * valid_until) holds it (with no time: those valid at all times), and every sampled document
 * (interpolation needs the neighbours). Undefined when none.
 */
export async function correctionDocs(
  conn: Connection,
  name: string,
  time?: bigint,
): Promise<StoredCorrections | undefined> {
  const rows = await conn.db
    .selectFrom('corrections')
    .select(['kind', 'doc'])
    .where('name', '=', name)
    .where((eb) => {
      const valid: Expression<SqlBool>[] =
        time === undefined
          ? [eb('valid_from', 'is', null), eb('valid_until', 'is', null)]
          : [
              eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', ns(time))]),
              eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', ns(time))]),
            ];
      return eb.or([eb('kind', '=', 'sampled'), eb.and(valid)]);
    })
    .orderBy('id')
    .execute();
  if (!rows.length) return undefined;
  return {
    name,
    kind: rows[0]!.kind as CorrectionKind,
    docs: rows.map((r) => fromJson<Record<string, unknown>>(r.doc)),
  };
}

/** Every stored correction with its kind and number of documents. */
export async function listCorrections(
  conn: Connection,
): Promise<{ name: string; kind: CorrectionKind; count: number }[]> {
  const rows = await conn.db
    .selectFrom('corrections')
    .select((eb) => ['name', 'kind', eb.fn.countAll<number | string>().as('count')])
    .groupBy(['name', 'kind'])
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ name: r.name, kind: r.kind as CorrectionKind, count: num(r.count) }));
}

/** Record this tool's state on this host (one row per host and program, time = now). */
export async function heartbeat(
  conn: Connection,
  s: { host: string; program: string; pid: number; state: string; info?: JsonObject; now?: Date },
): Promise<void> {
  await conn.db
    .insertInto('host_status')
    .values({
      host: s.host,
      program: s.program,
      pid: s.pid,
      state: s.state,
      time: (s.now ?? new Date()).getTime(),
      info: toJson(s.info ?? {}),
    })
    .onConflict((oc) =>
      oc.columns(['host', 'program']).doUpdateSet((eb) => ({
        pid: eb.ref('excluded.pid'),
        state: eb.ref('excluded.state'),
        time: eb.ref('excluded.time'),
        info: eb.ref('excluded.info'),
      })),
    )
    .execute();
}

/**
 * Set `state` on every host of `program` whose last heartbeat is older than `before` and whose
 * state is not already `state` (a host found dead by another); its time is left as it was.
 */
export async function markHostsDead(
  conn: Connection,
  program: string,
  before: Date,
  state: string,
): Promise<string[]> {
  const rows = await conn.db
    .updateTable('host_status')
    .set({ state })
    .where('program', '=', program)
    .where('time', '<', before.getTime())
    .where('state', '!=', state)
    .returning('host')
    .execute();
  return rows.map((r) => r.host);
}

export async function listHosts(
  conn: Connection,
  opts: { program?: string; aliveSince?: Date } = {},
): Promise<HostStatus[]> {
  let q = conn.db.selectFrom('host_status').selectAll();
  if (opts.program !== undefined) q = q.where('program', '=', opts.program);
  if (opts.aliveSince !== undefined) q = q.where('time', '>=', opts.aliveSince.getTime());
  const rows = await q.orderBy('host').orderBy('program').execute();
  return rows.map((r) => ({
    host: r.host,
    program: r.program,
    pid: num(r.pid),
    state: r.state,
    time: new Date(num(r.time)),
    info: fromJson<JsonObject>(r.info),
  }));
}
