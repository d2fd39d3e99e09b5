// What bootstrax may delete, and deleting it (spec scripts.md §1.11, §1.12, §10). The rules that
// keep data from being lost are decided here, in one place:
//  - a run's processed data on this host is removed before a retry or after a failure, but its
//    raw_records* copies are kept once the live_data is gone (they are then the only copy);
//  - live_data is removed only in production with --delete_live, after the checks passed AND
//    the raw_records on disk were read back with as many rows as the DAQReader handed on;
//  - every removal is checked against the database (re-read just before) and the disk, removes
//    one registered copy (by its id, not every copy of the type) and is recorded in deleted_data.

import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DataEntry, RunDb } from '../../rundb/rundb.js';

export const LIVE_TYPE = 'live';

export interface CleanDecision {
  entry: DataEntry;
  delete: boolean;
  why: string;
}

/** Is the run's live_data still there (registered and on disk)? */
export function liveDataPresent(entries: readonly DataEntry[], runId: string, exists = existsSync): boolean {
  return entries.some((e) => e.type === LIVE_TYPE && exists(join(e.location, runId)));
}

/** Decide for each of this host's entries of a run whether cleaning may delete it. */
export function planCleaning(
  entries: readonly DataEntry[],
  host: string,
  liveAvailable: boolean,
): CleanDecision[] {
  return entries
    .filter((e) => e.host === host && e.type !== LIVE_TYPE)
    .map((entry) =>
      !liveAvailable && entry.type.includes('raw_records')
        ? { entry, delete: false, why: 'kept: the live_data is gone, this may be the only copy' }
        : { entry, delete: true, why: 'removed before the run is processed again' },
    );
}

export interface LiveDeletionFacts {
  production: boolean;
  deleteLive: boolean;
  checksPassed: boolean;
  /** Rows of each raw_records type the DAQReader handed on while processing. */
  readFromLive: ReadonlyMap<string, number>;
  /** Rows of each raw_records type read back from the folders on disk afterwards. */
  readBack: ReadonlyMap<string, number>;
}

/** null if the live_data may go; else why not. */
export function liveDeletionRefusal(f: LiveDeletionFacts): string | null {
  if (!f.production) return 'test mode never deletes';
  if (!f.deleteLive) return 'no --delete_live';
  if (!f.checksPassed) return 'the checks did not pass';
  if (!f.readFromLive.size) return 'the DAQReader reported no row counts';
  for (const [type, n] of f.readFromLive) {
    const back = f.readBack.get(type);
    if (back !== n) return `${type}: ${back ?? 'nothing'} rows read back from disk, ${n} read from live_data`;
  }
  return null;
}

/** The folder of an entry as it is on disk: the location, else its `_temp` (a crash mid-write). */
export function folderOnDisk(location: string, exists = existsSync): string | null {
  if (exists(location)) return location;
  if (exists(`${location}_temp`)) return `${location}_temp`;
  return null;
}

export interface CleanReport {
  deleted: string[];
  kept: string[];
}

/**
 * Remove this host's data of a run as planCleaning decides, from the database's current
 * entries. Each folder is removed first, then its entry (so a crash leaves an entry pointing
 * nowhere, which the next cleaning removes, never data without an entry).
 */
export async function cleanRunOnHost(
  db: RunDb,
  run: number,
  host: string,
  reason: string,
): Promise<CleanReport> {
  const runId = String(run).padStart(6, '0');
  const entries = await db.listData(run);
  const report: CleanReport = { deleted: [], kept: [] };
  for (const d of planCleaning(entries, host, liveDataPresent(entries, runId))) {
    if (!d.delete) {
      report.kept.push(`${d.entry.type} (${d.why})`);
      continue;
    }
    for (const path of [d.entry.location, `${d.entry.location}_temp`]) {
      rmSync(path, { recursive: true, force: true });
      if (existsSync(path)) throw new Error(`could not delete ${path}: it is still there`);
    }
    await db.deleteData({ id: d.entry.id }, { by: host, reason });
    report.deleted.push(d.entry.location);
  }
  return report;
}

/** Delete a run's live_data folder and its registration (the caller checked liveDeletionRefusal). */
export async function deleteLiveData(db: RunDb, run: number, host: string): Promise<string[]> {
  const runId = String(run).padStart(6, '0');
  const done: string[] = [];
  for (const e of await db.listData(run, { type: LIVE_TYPE })) {
    const folder = join(e.location, runId);
    rmSync(folder, { recursive: true, force: true });
    if (existsSync(folder)) throw new Error(`could not delete live_data ${folder}: it is still there`);
    await db.deleteData({ id: e.id }, { by: host, reason: 'processed and checked by bootstrax' });
    done.push(folder);
  }
  return done;
}
