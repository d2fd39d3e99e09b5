// What bootstrax deletes, and when (spec scripts.md §1.11, §1.12, §10). The deleting itself and
// the rule that no last raw copy goes are data-safety.ts's, shared with ajax and restrax:
//  - before a retry, after a failure or a release, this host's copies of the run are removed,
//    except raw_records* copies that are the last raw data (live_data gone or not complete);
//  - live_data is removed only in production with --delete_live, after the checks passed AND
//    the raw_records on disk were read back with as many rows as the DAQReader handed on, and
//    only while every raw_records* type has a complete copy registered here.

import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deleteCopy, isRawType, LIVE_TYPE } from '../data-safety.js';
import { removeFolder } from '../data-life/folders.js';
import type { RunDb } from '../../rundb/rundb.js';
import { parseFolderName } from '../../storage/data-directory.js';
import { lockFileName, ownerState, readLockOwner } from '../../storage/write-lock.js';

export { LIVE_TYPE };

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

export interface CleanReport {
  deleted: string[];
  kept: string[];
}

/** Remove this host's copies of a run (data-safety decides which may go; each is recorded). */
export async function cleanRunOnHost(
  db: RunDb,
  run: number,
  host: string,
  reason: string,
): Promise<CleanReport> {
  const report: CleanReport = { deleted: [], kept: [] };
  for (const entry of await db.listData(run)) {
    if (entry.host !== host || entry.type === LIVE_TYPE) continue;
    const out = await deleteCopy(
      db,
      { hostname: host, liveHost: false },
      { entry, reason, by: host, production: true },
    );
    if (out.action === 'deleted') report.deleted.push(entry.location);
    else if (out.action === 'refused') report.kept.push(`kept ${entry.type}: ${out.why}`);
  }
  return report;
}

/** Delete a run's live_data (the caller checked liveDeletionRefusal); returns why not, if not. */
export async function deleteLiveData(
  db: RunDb,
  run: number,
  host: string,
): Promise<{ deleted: string[]; kept: string[] }> {
  const r = { deleted: [] as string[], kept: [] as string[] };
  for (const entry of await db.listData(run, { type: LIVE_TYPE })) {
    const out = await deleteCopy(
      db,
      { hostname: host, liveHost: true },
      { entry, reason: 'processed and checked by bootstrax', by: host, production: true },
    );
    if (out.action === 'deleted') r.deleted.push(...out.folders);
    else if (out.action === 'refused') r.kept.push(out.why ?? 'refused');
  }
  return r;
}

/**
 * After the processing child is gone: remove the run's `_temp` folders in `outputDir` that no
 * data entry names (a child killed between creating a folder and registering it leaves one),
 * with their write locks. Raw types stay (the next attempt writes over them), and so does a
 * folder whose lock a live process holds. `registered`: absolute locations. Returns the folders
 * removed.
 */
export function sweepUnregistered(
  outputDir: string,
  runId: string,
  registered: ReadonlySet<string>,
): string[] {
  const removed: string[] = [];
  if (!existsSync(outputDir)) return removed;
  for (const name of readdirSync(outputDir)) {
    if (!name.endsWith('_temp')) continue;
    const folder = name.slice(0, -'_temp'.length);
    const key = parseFolderName(folder);
    if (!key || key.runId !== runId || isRawType(key.dataType)) continue;
    if (registered.has(resolve(outputDir, folder))) continue;
    const lock = join(outputDir, lockFileName(folder));
    const owner = readLockOwner(lock);
    if (owner !== null && owner !== 'unreadable' && ownerState(owner) !== 'dead') continue;
    removeFolder(join(outputDir, name));
    try {
      unlinkSync(lock);
    } catch {
      /* no lock, or already gone */
    }
    removed.push(join(outputDir, name));
  }
  return removed;
}

/** This host's copies of a run still marked as being written: marked failed (their writer is
 * gone). Returns their types. */
export async function failUnfinishedEntries(db: RunDb, run: number, host: string): Promise<string[]> {
  const marked: string[] = [];
  for (const e of await db.listData(run, { host })) {
    if (e.type === LIVE_TYPE || e.status === 'complete' || e.status === 'failed') continue;
    await db.updateData(e.id, { status: 'failed' });
    marked.push(e.type);
  }
  return marked;
}
