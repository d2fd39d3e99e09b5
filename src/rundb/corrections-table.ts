// Corrections with time validity (PMT gains, electron lifetime, drift velocity, ...), resolved
// by a time (a run's start), and the hosts' heartbeat table.

import type { Connection } from './connection.js';
import { dateOrNull, fromJson, msOrNull, num, toJson } from './rows.js';
import type { CorrectionEntry, HostStatus, JsonObject, JsonValue, NewCorrection } from './types.js';

function correctionFromRow(r: {
  name: string; version: string; valid_from: unknown; valid_to: unknown; value: unknown; created_at: unknown;
}): CorrectionEntry {
  return {
    name: r.name,
    version: r.version,
    validFrom: new Date(num(r.valid_from)),
    validTo: dateOrNull(r.valid_to),
    value: fromJson<JsonValue>(r.value),
    created: new Date(num(r.created_at)),
  };
}

/** Insert, or replace the value of the same (name, version, validFrom). */
export async function putCorrection(conn: Connection, c: NewCorrection): Promise<void> {
  await conn.db.insertInto('corrections')
    .values({
      name: c.name,
      version: c.version,
      valid_from: c.validFrom.getTime(),
      valid_to: msOrNull(c.validTo),
      value: toJson(c.value),
      created_at: Date.now(),
    })
    .onConflict((oc) => oc.columns(['name', 'version', 'valid_from']).doUpdateSet((eb) => ({
      valid_to: eb.ref('excluded.valid_to'),
      value: eb.ref('excluded.value'),
      created_at: eb.ref('excluded.created_at'),
    })))
    .execute();
}

/**
 * The entry of (name, version) that applies at `at`: the one with the latest validFrom ≤ at,
 * unless its validTo is set and not after `at` (then no value applies until the next entry).
 */
export async function getCorrection(
  conn: Connection, name: string, version: string, at: Date,
): Promise<CorrectionEntry | undefined> {
  const t = at.getTime();
  const row = await conn.db.selectFrom('corrections').selectAll()
    .where('name', '=', name).where('version', '=', version).where('valid_from', '<=', t)
    .orderBy('valid_from', 'desc').limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const entry = correctionFromRow(row);
  return entry.validTo && entry.validTo.getTime() <= t ? undefined : entry;
}

export async function listCorrections(conn: Connection, name?: string, version?: string): Promise<CorrectionEntry[]> {
  let q = conn.db.selectFrom('corrections').selectAll();
  if (name !== undefined) q = q.where('name', '=', name);
  if (version !== undefined) q = q.where('version', '=', version);
  const rows = await q.orderBy('name').orderBy('version').orderBy('valid_from').execute();
  return rows.map(correctionFromRow);
}

/** Record this tool's state on this host (one row per host and program, time = now). */
export async function heartbeat(
  conn: Connection, s: { host: string; program: string; pid: number; state: string; info?: JsonObject; now?: Date },
): Promise<void> {
  await conn.db.insertInto('host_status')
    .values({
      host: s.host, program: s.program, pid: s.pid, state: s.state,
      time: (s.now ?? new Date()).getTime(), info: toJson(s.info ?? {}),
    })
    .onConflict((oc) => oc.columns(['host', 'program']).doUpdateSet((eb) => ({
      pid: eb.ref('excluded.pid'),
      state: eb.ref('excluded.state'),
      time: eb.ref('excluded.time'),
      info: eb.ref('excluded.info'),
    })))
    .execute();
}

export async function listHosts(
  conn: Connection, opts: { program?: string; aliveSince?: Date } = {},
): Promise<HostStatus[]> {
  let q = conn.db.selectFrom('host_status').selectAll();
  if (opts.program !== undefined) q = q.where('program', '=', opts.program);
  if (opts.aliveSince !== undefined) q = q.where('time', '>=', opts.aliveSince.getTime());
  const rows = await q.orderBy('host').orderBy('program').execute();
  return rows.map((r) => ({
    host: r.host, program: r.program, pid: num(r.pid), state: r.state,
    time: new Date(num(r.time)), info: fromJson<JsonObject>(r.info),
  }));
}
