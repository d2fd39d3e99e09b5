// Settings documents DAQ tools read while running (straxen keeps them in the daq database, e.g.
// restrax_config): one JSON object per name, replaced as a whole.

import type { Connection } from './connection.js';
import { fromJson, toJson } from './rows.js';
import type { JsonObject } from './types.js';

export async function getSettings(conn: Connection, name: string): Promise<JsonObject | undefined> {
  const row = await conn.db
    .selectFrom('daq_settings')
    .select('doc')
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? fromJson<JsonObject>(row.doc) : undefined;
}

export async function putSettings(conn: Connection, name: string, doc: JsonObject): Promise<void> {
  const values = { name, doc: toJson(doc), updated_at: Date.now() };
  await conn.db
    .insertInto('daq_settings')
    .values(values)
    .onConflict((oc) => oc.column('name').doUpdateSet({ doc: values.doc, updated_at: values.updated_at }))
    .execute();
}
