// The checks bootstrax makes after processing succeeded (spec scripts.md §1.7 step 6), before a
// run may be called done: chunks were written, none is empty on disk, the run has ended, the
// data covers the run's length, and every registered copy on this host exists. Pure functions
// over metadata facts; each failure is one sentence saying what is wrong.

import { MAX_TIMESTAMP_DIFF_S } from './constants.js';

/** raw_records types tried in this order for the coverage check. */
export const COVERAGE_TYPES = ['raw_records', 'raw_records_he', 'raw_records_mv', 'raw_records_nv'] as const;

export interface ChunkFacts {
  n: number;
  /** Uncompressed bytes. */
  nbytes?: number;
  filesize?: number;
  firstTime?: bigint;
  lastEndtime?: bigint;
}

export interface StoredTypeFacts {
  dataType: string;
  chunks: readonly ChunkFacts[];
}

/**
 * The type whose chunks judge the run: the first of COVERAGE_TYPES with chunks whose first chunk
 * has its first time and last end time; if none qualifies, the last one read (as straxen).
 */
export function coverageSource(stored: readonly StoredTypeFacts[]): StoredTypeFacts | undefined {
  let last: StoredTypeFacts | undefined;
  for (const t of COVERAGE_TYPES) {
    const s = stored.find((x) => x.dataType === t);
    if (!s) continue;
    last = s;
    const c0 = s.chunks[0];
    if (c0 && c0.firstTime !== undefined && c0.lastEndtime !== undefined) return s;
  }
  return last;
}

export interface RunTimes {
  start: Date;
  end: Date | null;
}

/** null when the data passes; else why it does not. */
export function checkProcessedData(stored: readonly StoredTypeFacts[], run: RunTimes): string | null {
  const src = coverageSource(stored);
  if (!src) return 'Processing succeeded, but metadata not readable: no raw_records metadata was written';
  if (!src.chunks.length) return 'Processing succeeded, but no chunks were written!';
  if (src.chunks.some((c) => c.n > 0 && c.filesize !== undefined && c.filesize === 0))
    return 'At least one chunk failed writing!';
  if (!run.end) return "Processing succeeded, but run hasn't yet ended!";
  let first: bigint | undefined;
  let last: bigint | undefined;
  for (const c of src.chunks) {
    if (c.firstTime !== undefined && (first === undefined || c.firstTime < first)) first = c.firstTime;
    if (c.lastEndtime !== undefined && (last === undefined || c.lastEndtime > last)) last = c.lastEndtime;
  }
  if (first === undefined || last === undefined || last <= first)
    return `Processed data covers nothing: ${src.dataType} chunks hold no records with times`;
  const covered = Number(last - first) / 1e9;
  const lasted = (run.end.getTime() - run.start.getTime()) / 1000;
  if (Math.abs(lasted - covered) >= MAX_TIMESTAMP_DIFF_S)
    return `Processing covered ${covered.toFixed(2)} s, but run lasted ${lasted.toFixed(2)} s!`;
  return null;
}

/** Registered copies on this host whose folder is missing (still `_temp`, or gone). */
export function missingLocations(
  entries: readonly { type: string; location: string }[],
  exists: (path: string) => boolean,
): string[] {
  return entries.filter((e) => !exists(e.location)).map((e) => `${e.type} at ${e.location}`);
}

/** Total rows of the raw_records types in `stored` (what the DAQReader handed on). */
export function rawRowCount(stored: readonly StoredTypeFacts[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of stored)
    if (s.dataType.startsWith('raw_records'))
      out.set(
        s.dataType,
        s.chunks.reduce((a, c) => a + c.n, 0),
      );
  return out;
}
