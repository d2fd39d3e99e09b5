// Corrections that change with time (electron lifetime, drift velocity, PMT gains, maps, ...),
// looked up by a run's start time. One interface with two sources: a JSON file (this module,
// the standalone default) and the runs database (src/rundb implements the same interface).
//
// JSON file format (version 1):
//   {
//     "straxts_corrections": 1,
//     "description": "free text",
//     "runs": { "012100": "2025-12-06T06:20:00Z" },       // optional run id → run start
//     "corrections": {
//       "electron_lifetimes": [                            // a list = validity intervals
//         { "version": "ONLINE", "valid_from": "2024-01-01T00:00:00Z", "valid_until": null, "value": 1.5e7 }
//       ],
//       "electron_drift_velocities": {                     // or an object with a kind
//         "kind": "sampled",                               // values interpolated in time
//         "docs": [ { "version": "ONLINE", "time": "2024-01-01T00:00:00Z", "value": 6.75e-5 }, ... ]
//       },
//       "pmt_area_to_pes": [ { "version": "ONLINE", "detector": "tpc", "pmt": 0, "value": 0.0149 }, ... ]
//     }
//   }
// Times are ISO-8601 strings, or integers (ns since the epoch; write them as strings of digits
// to keep them exact). valid_from/valid_until may be left out or null for an open end; the
// interval is [valid_from, valid_until). Every other field of a document is a label (matched
// against the query, e.g. version, detector, pmt, partition) or a value (value, map, ...). A
// query label a document does not have is not used to filter it.
// Sampled kind: documents with equal labels form one time series; numeric fields are linearly
// interpolated between the samples around the run start; after the last sample only version
// ONLINE extrapolates (keeps the last value), as xedocs does.

import { readFileSync } from 'node:fs';

export type CorrectionDoc = Readonly<Record<string, unknown>>;

export interface CorrectionQuery {
  /** Correction (schema) name, e.g. "electron_lifetimes". */
  schema: string;
  /** Run start in ns since the epoch; undefined when unknown (then only documents valid at all times match). */
  time?: bigint;
  /** Labels to match, e.g. { version: "ONLINE", detector: "tpc" }. */
  labels: Readonly<Record<string, unknown>>;
}

export interface CorrectionsSource {
  /** Human-readable origin (file path, database), for messages and output metadata. */
  readonly description: string;
  /** Documents of a correction valid at the query time that match its labels ([] if none). */
  find(query: CorrectionQuery): CorrectionDoc[] | Promise<CorrectionDoc[]>;
  /** Start time [ns] of a run, when the source knows it. */
  runStart?(runId: string): bigint | undefined | Promise<bigint | undefined>;
}

/** One correction lookup as it was resolved, for recording in output metadata. */
export interface ResolvedCorrection {
  source: string;
  schema: string;
  labels: Record<string, unknown>;
  time?: bigint;
  docs: CorrectionDoc[];
}

/** ns since the epoch from an ISO string, a digit string or a number; undefined for null/absent. */
export function parseTime(v: unknown, what: string): bigint | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${what}: time ${v} is not finite`);
    return BigInt(Math.round(v));
  }
  if (typeof v === 'string') {
    if (/^-?\d+$/.test(v)) return BigInt(v);
    const ms = Date.parse(v);
    if (Number.isNaN(ms))
      throw new Error(
        `${what}: cannot read time '${v}' (use ISO-8601, e.g. 2025-01-31T12:00:00Z, or ns since the epoch)`,
      );
    return BigInt(ms) * 1_000_000n;
  }
  throw new Error(`${what}: time must be a string or number, got ${typeof v}`);
}

const INTERVAL_KEYS = new Set(['valid_from', 'valid_until']);

function labelMatches(doc: CorrectionDoc, labels: Readonly<Record<string, unknown>>): boolean {
  for (const [k, want] of Object.entries(labels)) {
    if (!(k in doc) || want === undefined) continue;
    const have = doc[k];
    const wants = Array.isArray(want) ? want : [want];
    if (!wants.some((w) => String(w) === String(have))) return false;
  }
  return true;
}

interface SchemaEntry {
  kind: 'interval' | 'sampled';
  docs: CorrectionDoc[];
}

export class JsonCorrectionsSource implements CorrectionsSource {
  readonly description: string;
  private readonly schemas = new Map<string, SchemaEntry>();
  private readonly runs = new Map<string, bigint>();

  constructor(data: unknown, description = 'corrections JSON') {
    this.description = description;
    if (!data || typeof data !== 'object' || Array.isArray(data))
      throw new Error(`${description}: expected a JSON object`);
    const d = data as Record<string, unknown>;
    if (d.straxts_corrections !== 1) {
      throw new Error(`${description}: not a straxts corrections file (needs "straxts_corrections": 1)`);
    }
    for (const [run, t] of Object.entries((d.runs ?? {}) as Record<string, unknown>)) {
      this.runs.set(run, parseTime(t, `${description}: runs.${run}`)!);
    }
    const corrections = (d.corrections ?? {}) as Record<string, unknown>;
    for (const [schema, entry] of Object.entries(corrections)) {
      const e = Array.isArray(entry)
        ? { kind: 'interval', docs: entry }
        : (entry as { kind?: string; docs?: unknown });
      const kind = e.kind ?? 'interval';
      if (kind !== 'interval' && kind !== 'sampled')
        throw new Error(`${description}: correction ${schema}: kind must be interval or sampled`);
      if (!Array.isArray(e.docs))
        throw new Error(`${description}: correction ${schema}: docs must be a list`);
      for (const doc of e.docs as CorrectionDoc[]) {
        if (kind === 'sampled' && doc.time === undefined)
          throw new Error(`${description}: correction ${schema}: a sampled document needs a time`);
        // Validate times early: a typo should fail at load, not at processing.
        parseTime(doc.valid_from, `${description}: ${schema}`);
        parseTime(doc.valid_until, `${description}: ${schema}`);
        parseTime(doc.time, `${description}: ${schema}`);
      }
      this.schemas.set(schema, { kind, docs: e.docs as CorrectionDoc[] });
    }
  }

  static fromFile(path: string): JsonCorrectionsSource {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new Error(`corrections file ${path} cannot be read: check the path`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new Error(`corrections file ${path} is not valid JSON: ${(e as Error).message}`);
    }
    return new JsonCorrectionsSource(data, path);
  }

  runStart(runId: string): bigint | undefined {
    return this.runs.get(runId);
  }

  /** Names of the corrections this file defines. */
  get names(): string[] {
    return [...this.schemas.keys()];
  }

  /** Every version label its documents carry. */
  get versions(): string[] {
    const out = new Set<string>();
    for (const { docs } of this.schemas.values())
      for (const d of docs) if (typeof d.version === 'string') out.add(d.version);
    return [...out].sort();
  }

  find(query: CorrectionQuery): CorrectionDoc[] {
    const entry = this.schemas.get(query.schema);
    if (!entry) return [];
    const docs = entry.docs.filter((doc) => labelMatches(doc, query.labels));
    return entry.kind === 'interval' ? this.findInterval(docs, query) : this.findSampled(docs, query);
  }

  private findInterval(docs: CorrectionDoc[], query: CorrectionQuery): CorrectionDoc[] {
    const what = `${this.description}: ${query.schema}`;
    return docs
      .filter((doc) => {
        const from = parseTime(doc.valid_from, what),
          until = parseTime(doc.valid_until, what);
        if (query.time === undefined) return from === undefined && until === undefined;
        return (from === undefined || from <= query.time) && (until === undefined || query.time < until);
      })
      .map((doc) => Object.fromEntries(Object.entries(doc).filter(([k]) => !INTERVAL_KEYS.has(k))));
  }

  private findSampled(docs: CorrectionDoc[], query: CorrectionQuery): CorrectionDoc[] {
    if (query.time === undefined) return [];
    const what = `${this.description}: ${query.schema}`;
    const t = query.time;
    const labelKey = (doc: CorrectionDoc) =>
      JSON.stringify(
        Object.entries(doc)
          .filter(([k, v]) => k !== 'time' && typeof v !== 'number' && k !== 'value')
          .sort(),
      );
    const groups = new Map<string, CorrectionDoc[]>();
    for (const doc of docs) {
      const k = labelKey(doc);
      groups.set(k, [...(groups.get(k) ?? []), doc]);
    }
    const out: CorrectionDoc[] = [];
    for (const series of groups.values()) {
      series.sort((a, b) => (parseTime(a.time, what)! < parseTime(b.time, what)! ? -1 : 1));
      const times = series.map((d) => parseTime(d.time, what)!);
      const last = series.length - 1;
      if (t < times[0]!) continue;
      if (t >= times[last]!) {
        if (t === times[last] || series[last]!.version === 'ONLINE') out.push(series[last]!);
        continue;
      }
      let i = 0;
      while (times[i + 1]! <= t) i++;
      const a = series[i]!,
        b = series[i + 1]!;
      const f = Number(t - times[i]!) / Number(times[i + 1]! - times[i]!);
      const doc: Record<string, unknown> = { ...a };
      for (const [k, v] of Object.entries(a)) {
        const w = b[k];
        if (k !== 'time' && typeof v === 'number' && typeof w === 'number') doc[k] = v + (w - v) * f;
      }
      doc.time = String(t);
      out.push(doc);
    }
    return out;
  }
}
