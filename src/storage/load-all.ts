// Convenience for tools and tests: all rows of one stored data type as a single batch.

import type { Chunk } from '../core/chunk.js';
import { endtimes } from '../core/chunk.js';
import { Records } from '../core/records.js';
import { DataDirectory, type FolderKey } from './data-directory.js';
import { DataNotAvailable } from './errors.js';
import type { DataMetadata } from './metadata.js';

export interface LoadAllOptions {
  /** Lineage hash, needed only when several are stored for the run and type. */
  hash?: string;
  /** Keep rows fully inside [start, end) (strax's default time selection). */
  timeRange?: readonly [bigint, bigint];
  allowIncomplete?: boolean;
}

/** The folder key of a run's data type, resolving the hash when only one is stored. */
export function resolveKey(dir: DataDirectory, runId: string, dataType: string, hash?: string): FolderKey {
  if (hash) return { runId, dataType, lineageHash: hash };
  const keys = dir.keysFor(runId, dataType);
  if (keys.length === 0) throw new DataNotAvailable(`no ${dataType} for run ${runId} in ${dir.path}`);
  if (keys.length > 1) {
    throw new DataNotAvailable(
      `several ${dataType} for run ${runId} in ${dir.path} (hashes ${keys.map((k) => k.lineageHash).join(', ')}); give the hash`,
    );
  }
  return keys[0]!;
}

export async function loadAllWithMetadata(
  path: string,
  runId: string,
  dataType: string,
  opts: LoadAllOptions = {},
): Promise<{ records: Records; metadata: DataMetadata; key: FolderKey }> {
  const dir = new DataDirectory(path, { readonly: true });
  const key = resolveKey(dir, runId, dataType, opts.hash);
  const metadata = dir.metadata(key, opts);
  const parts: Chunk[] = [];
  const load = opts.timeRange
    ? { timeRange: opts.timeRange, allowIncomplete: opts.allowIncomplete ?? false }
    : { allowIncomplete: opts.allowIncomplete ?? false };
  for await (const c of dir.load(key, load)) parts.push(c);
  let records = parts.length
    ? Records.concat(
        parts.map((c) => c.data),
        metadata.dtype,
      )
    : Records.empty(metadata.dtype, 0);
  if (opts.timeRange) records = selectFullyContained(records, opts.timeRange);
  return { records, metadata, key };
}

/** All rows of a data type stored in a data directory. */
export async function loadAll(
  path: string,
  runId: string,
  dataType: string,
  opts: LoadAllOptions = {},
): Promise<Records> {
  return (await loadAllWithMetadata(path, runId, dataType, opts)).records;
}

/** Rows with start ≥ range start and end ≤ range end. */
export function selectFullyContained(r: Records, [start, end]: readonly [bigint, bigint]): Records {
  if (!r.dtype.has('time')) return r;
  const t = r.i64('time');
  const e = endtimes(r);
  const mask = new Uint8Array(r.length);
  for (let i = 0; i < r.length; i++) mask[i] = t[i]! >= start && e[i]! <= end ? 1 : 0;
  return r.filter(mask);
}
