// Corrections from the runs database, behind the CorrectionsSource interface of
// src/config/corrections.ts. The database selects the documents that can apply at the run
// start; the matching rules (labels, intervals, interpolation of sampled series) are the
// JSON source's, applied to those documents, so both sources answer alike.

import {
  JsonCorrectionsSource,
  parseTime,
  type CorrectionDoc,
  type CorrectionQuery,
  type CorrectionsSource,
} from './corrections.js';
import type { RunDb } from '../rundb/rundb.js';
import type { CorrectionKind, NewCorrectionDoc } from '../rundb/types.js';

export class RunDbCorrectionsSource implements CorrectionsSource {
  readonly description: string;

  constructor(private readonly db: RunDb) {
    this.description = `runs database ${db.display}`;
  }

  async find(query: CorrectionQuery): Promise<CorrectionDoc[]> {
    const stored = await this.db.correctionDocs(query.schema, query.time);
    if (!stored) return [];
    const view = new JsonCorrectionsSource(
      { straxts_corrections: 1, corrections: { [query.schema]: { kind: stored.kind, docs: stored.docs } } },
      this.description,
    );
    return view.find(query);
  }

  /** A run's start from its run document (run ids are zero-padded run numbers). */
  async runStart(runId: string): Promise<bigint | undefined> {
    if (!/^\d+$/.test(runId)) return undefined;
    const run = await this.db.getRun(Number(runId));
    return run?.start ? BigInt(run.start.getTime()) * 1_000_000n : undefined;
  }
}

/**
 * Copy the corrections of a corrections JSON document (the format of src/config/corrections.ts)
 * into the runs database, replacing what it held under the same names.
 */
export async function importCorrections(
  db: RunDb,
  data: unknown,
  description = 'corrections JSON',
): Promise<{ name: string; kind: CorrectionKind; count: number }[]> {
  // The JSON source validates the whole document first (format marker, kinds, times).
  new JsonCorrectionsSource(data, description);
  const corrections = ((data as Record<string, unknown>).corrections ?? {}) as Record<string, unknown>;
  const out: { name: string; kind: CorrectionKind; count: number }[] = [];
  for (const [name, entry] of Object.entries(corrections)) {
    const e = Array.isArray(entry)
      ? { kind: 'interval', docs: entry }
      : (entry as { kind?: string; docs: unknown[] });
    const kind = (e.kind ?? 'interval') as CorrectionKind;
    const docs = (e.docs as Record<string, unknown>[]).map((doc): NewCorrectionDoc => {
      const what = `${description}: ${name}`;
      const d: NewCorrectionDoc = { doc };
      const from = parseTime(doc.valid_from, what),
        until = parseTime(doc.valid_until, what),
        time = parseTime(doc.time, what);
      if (from !== undefined) d.validFrom = from;
      if (until !== undefined) d.validUntil = until;
      if (time !== undefined) d.time = time;
      return d;
    });
    out.push({ name, kind, count: await db.addCorrections(name, kind, docs, { replace: true }) });
  }
  return out;
}
