// Converting between table rows and the run-document types.

import type { Selectable } from 'kysely';
import { pyJsonParse } from '../core/python/json.js';
import type { Lineage } from '../core/storage-api.js';
import type { DataEntriesTable, RunsTable } from './schema.js';
import type { BootstraxState, DataEntry, JsonObject, JsonValue, RunDoc } from './types.js';

export const ms = (d: Date): number => d.getTime();
export const msOrNull = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);

export function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

export function dateOrNull(v: unknown): Date | null {
  return v === null || v === undefined ? null : new Date(num(v));
}

/**
 * JSON text for a column. Python-float wrappers (objects whose valueOf is a number) become
 * numbers; bigints become digit strings (exact; how correction files write ns times).
 */
export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint'
      ? x.toString()
      : x !== null &&
          typeof x === 'object' &&
          !Array.isArray(x) &&
          Object.getPrototypeOf(x) !== Object.prototype &&
          typeof (x as { valueOf(): unknown }).valueOf() === 'number'
        ? (x as { valueOf(): number }).valueOf()
        : x,
  );
}

export function toJsonOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : toJson(v);
}

/** Both dialects hand JSON columns back as text (see connection.ts). */
export function fromJson<T = JsonValue>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

export function fromJsonOrNull<T = JsonValue>(v: unknown): T | null {
  return v === null || v === undefined ? null : fromJson<T>(v);
}

export type RunRow = Selectable<RunsTable>;
export type DataRow = Selectable<DataEntriesTable>;

export function runFromRow(r: RunRow): RunDoc {
  return {
    number: num(r.number),
    name: r.name,
    start: dateOrNull(r.start_time),
    end: dateOrNull(r.end_time),
    mode: r.mode,
    detectors: fromJson<string[]>(r.detectors),
    source: r.source,
    tags: [],
    comments: [],
    status: r.status,
    rate: fromJsonOrNull<RunDoc['rate']>(r.rate),
    daqConfig: fromJsonOrNull<JsonObject>(r.daq_config),
    restrax: fromJsonOrNull<JsonObject>(r.restrax),
    extra: fromJson<JsonObject>(r.extra),
    bootstrax: {
      state: r.bootstrax_state as BootstraxState | null,
      host: r.bootstrax_host,
      time: dateOrNull(r.bootstrax_time),
      nFailures: num(r.bootstrax_n_failures),
      reason: r.bootstrax_reason,
      nextRetry: dateOrNull(r.bootstrax_next_retry),
      startedProcessing: dateOrNull(r.bootstrax_started_processing),
    },
  };
}

export function dataFromRow(r: DataRow): DataEntry {
  return {
    id: num(r.id),
    run: num(r.run_number),
    type: r.type,
    host: r.host,
    location: r.location,
    protocol: r.protocol,
    lineageHash: r.lineage_hash,
    lineage:
      r.lineage === null ? null : (pyJsonParse(r.lineage, 'lineage of a data entry') as unknown as Lineage),
    status: r.status,
    meta: fromJson<Record<string, unknown>>(r.meta),
    did: r.did,
    fileCount: r.file_count === null ? null : num(r.file_count),
    created: new Date(num(r.created_at)),
    updated: new Date(num(r.updated_at)),
  };
}
