// The one place that decides whether a copy of a run's data may be deleted, and that deletes it.
// ajax, restrax and bootstrax all go through deleteCopy. The rules, stricter than straxen's:
// - a raw copy (live_data, raw_records*) is deleted only while another raw copy of it is
//   registered AND complete on disk (or a transferred Rucio replica): live_data for a
//   raw_records* copy or another copy of the same type; for live_data, a complete copy of
//   every raw_records* type the run has registered;
// - the check and the unregistration are one database transaction (two hosts cannot each
//   delete "the other" copy), and only the entry of that copy is removed (straxen removes
//   every entry of the type on the host);
// - the folder is removed only after its entry, and out of sight first (folders.ts).

import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataEntry, RunDb } from '../rundb/rundb.js';
import { parseFolderName } from '../storage/data-directory.js';
import { metadataFileName, readMetadata } from '../storage/metadata.js';
import { RUCIO_HOST } from '../storage/rundb-frontend.js';
import { folderBytes, removeFolder } from './data-life/folders.js';

/** Data-entry type and host of the DAQ's live_data. */
export const LIVE_TYPE = 'live';
export const LIVE_HOST = 'daq';
/** The file redax writes (per readout thread) into THE_END when a run has ended. */
const LIVE_END_FOLDER = 'THE_END';

export const isRawType = (type: string): boolean => type.startsWith('raw_records');
export const runIdOf = (run: number): string => String(run).padStart(6, '0');

/** Where a copy lives on disk: the run's folder inside live_data, else the entry's folder. */
export function copyPath(entry: DataEntry): string {
  return entry.type === LIVE_TYPE ? join(entry.location, runIdOf(entry.run)) : entry.location;
}

export interface SafetyContext {
  /** This host, as data entries name it. */
  hostname: string;
  /** Other names of this host in data entries. */
  hostAliases?: readonly string[];
  /** This host may delete live_data (straxen: only eb0 does, so hosts never race on it). */
  liveHost: boolean;
}

export interface CopyState {
  entry: DataEntry;
  /** Folders of this copy that exist here: the location and/or its unfinished `_temp`. */
  folders: string[];
  /** Whole and readable from here (or a transferred Rucio replica): a copy one may rely on. */
  verified: boolean;
  /** This host may act on the copy (its own data, or live_data on the live host). */
  ours: boolean;
}

const isLocal = (e: DataEntry, ctx: SafetyContext): boolean =>
  e.host === ctx.hostname || (ctx.hostAliases ?? []).includes(e.host);

/** What this host can see of one registered copy. */
export function inspectCopy(entry: DataEntry, ctx: SafetyContext): CopyState {
  if (entry.host === RUCIO_HOST)
    return { entry, folders: [], verified: entry.status === 'transferred', ours: false };
  if (entry.type === LIVE_TYPE) {
    const dir = copyPath(entry);
    const exists = existsSync(dir);
    return {
      entry,
      folders: exists ? [dir] : [],
      verified: exists && existsSync(join(dir, LIVE_END_FOLDER)),
      ours: ctx.liveHost,
    };
  }
  // Another eventbuilder's folder is not visible from here (the same path here is ours).
  if (!isLocal(entry, ctx)) return { entry, folders: [], verified: false, ours: false };
  const folders = [entry.location, `${entry.location}_temp`].filter((f) => existsSync(f));
  return { entry, folders, verified: isCompleteFolder(entry.location), ours: true };
}

/** A strax data folder whose metadata says writing ended without error and whose chunk files are all there. */
export function isCompleteFolder(dir: string): boolean {
  const name = dir.replace(/\/+$/, '').split('/').pop() ?? '';
  const key = parseFolderName(name);
  if (!key || !existsSync(dir)) return false;
  try {
    const md = readMetadata(join(dir, metadataFileName(key.dataType, key.lineageHash)));
    if (!md.writingEnded || md.exception !== undefined) return false;
    const files = new Set(readdirSync(dir));
    return md.chunks.every((c) => c.n === 0 || (c.filename !== undefined && files.has(c.filename)));
  } catch {
    return false;
  }
}

/**
 * Why `target` must be kept, or null if deleting it loses no data. `all` are the run's copies
 * (target included). A copy with nothing on disk may always be unregistered.
 */
export function whyKeep(target: CopyState, all: readonly CopyState[]): string | null {
  if (!target.folders.length) return null;
  const t = target.entry;
  if (t.type !== LIVE_TYPE && !isRawType(t.type)) return null;
  const mine = new Set(target.folders.map((f) => resolve(f)));
  // Another copy counts only if it is verified and not the very same folder.
  const others = all.filter(
    (c) => c.entry.id !== t.id && c.verified && !c.folders.some((f) => mine.has(resolve(f))),
  );
  const run = runIdOf(t.run);
  if (t.type === LIVE_TYPE) {
    const rawTypes = [...new Set(all.filter((c) => isRawType(c.entry.type)).map((c) => c.entry.type))];
    const missing = rawTypes.filter((ty) => !others.some((c) => c.entry.type === ty));
    if (rawTypes.length === 0)
      return `live_data is the only raw data of run ${run}: no raw_records registered`;
    if (missing.length)
      return `live_data is the only complete raw data of run ${run} for ${missing.join(', ')}: no complete copy registered and on disk`;
    return null;
  }
  if (others.some((c) => c.entry.type === LIVE_TYPE || c.entry.type === t.type)) return null;
  return `last copy of ${t.type} of run ${run}: neither live_data nor another complete ${t.type} copy is registered and on disk`;
}

export type DeletionAction = 'deleted' | 'would-delete' | 'refused' | 'declined' | 'gone';

export interface DeletionOutcome {
  action: DeletionAction;
  entry: DataEntry;
  /** Folders removed (or that would be). */
  folders: string[];
  bytes: number;
  /** Why it was refused, declined or gone. */
  why?: string;
  /** Deleted although it was a last copy (allowLastCopy). */
  forced?: boolean;
}

export interface DeleteRequest {
  entry: DataEntry;
  /** Recorded in deleted_data (e.g. 'clean ceph'). */
  reason: string;
  /** Recorded in deleted_data as who deleted it (straxen: `ajax.<host>`). */
  by: string;
  /** false: decide and report only; neither disk nor database changes. */
  production: boolean;
  /** Delete even a last copy (only for a run an operator named, with --force). */
  allowLastCopy?: boolean;
  /** Asked before a production deletion (--ask_confirm); false keeps the copy. */
  confirm?: (question: string) => Promise<boolean>;
}

/**
 * Delete one registered copy if that loses no data: check, unregister (recorded in
 * deleted_data) in one transaction, then remove its folders. Dry runs decide the same way.
 */
export async function deleteCopy(
  db: RunDb,
  ctx: SafetyContext,
  req: DeleteRequest,
): Promise<DeletionOutcome> {
  const first = inspectCopy(req.entry, ctx);
  const folders = first.folders;
  const bytes = folders.reduce((n, f) => n + folderBytes(f), 0);
  const base = { entry: req.entry, folders, bytes };
  if (!first.ours) {
    const why =
      req.entry.type === LIVE_TYPE
        ? `live_data is deleted only on the live host`
        : `copy on ${req.entry.host}, not on this host (${ctx.hostname})`;
    return { ...base, action: 'refused', why };
  }
  let forced = false;
  const guard = (target: DataEntry, entries: readonly DataEntry[]): string | null => {
    const states = entries.map((e) => inspectCopy(e, ctx));
    const why = whyKeep(
      states.find((s) => s.entry.id === target.id)!,
      states,
    );
    if (why !== null && req.allowLastCopy) {
      forced = true;
      return null;
    }
    return why;
  };
  if (!req.production) {
    const entries = await db.listData(req.entry.run);
    const target = entries.find((e) => e.id === req.entry.id);
    if (!target) return { ...base, action: 'gone', why: 'no longer registered' };
    const why = guard(target, entries);
    return why === null ? { ...base, action: 'would-delete', forced } : { ...base, action: 'refused', why };
  }
  if (
    req.confirm &&
    !(await req.confirm(`delete ${folders.join(' and ') || 'the entry of ' + describe(req.entry)}?`))
  )
    return { ...base, action: 'declined', why: 'not confirmed' };
  const r = await db.unregisterCopy(req.entry.id, { by: req.by, reason: req.reason }, guard);
  if (r.outcome === 'gone') return { ...base, action: 'gone', why: 'no longer registered' };
  if (r.outcome === 'refused') return { ...base, action: 'refused', why: r.reason };
  // The entry is gone: remove whatever of the copy is on disk now.
  const now = inspectCopy(r.entry, ctx).folders;
  for (const f of now) removeFolder(f);
  return { ...base, folders: now, action: 'deleted', forced };
}

export function describe(e: DataEntry): string {
  return e.type === LIVE_TYPE
    ? `live_data of run ${runIdOf(e.run)}`
    : `${e.type} of run ${runIdOf(e.run)} on ${e.host} (${e.location})`;
}

/** Rows and bytes a complete data folder holds, from its metadata. */
export function folderTotals(dir: string): { rows: number; nbytes: number } {
  const key = parseFolderName(dir.replace(/\/+$/, '').split('/').pop() ?? '');
  if (!key) throw new Error(`${dir} is not a strax data folder (RUN-TYPE-HASH)`);
  const md = readMetadata(join(dir, metadataFileName(key.dataType, key.lineageHash)));
  let rows = 0,
    nbytes = 0;
  for (const c of md.chunks) {
    rows += c.n;
    nbytes += c.nbytes;
  }
  return { rows, nbytes };
}

/** Two complete folders with the same rows (the check before one replaces the other). */
function sameRows(a: string, b: string): string | null {
  if (!isCompleteFolder(a)) return `${a} is not complete`;
  if (!isCompleteFolder(b)) return `${b} is not complete`;
  const ta = folderTotals(a),
    tb = folderTotals(b);
  if (ta.rows !== tb.rows || ta.nbytes !== tb.nbytes)
    return `${b} holds ${tb.rows} rows (${tb.nbytes} bytes) but ${a} holds ${ta.rows} (${ta.nbytes} bytes)`;
  return null;
}

/**
 * A registered copy moves to `newLocation` (a complete copy already written there, e.g. by
 * restrax): the entry is pointed at it, then the original is removed. Refused (nothing
 * changes) unless the new folder is complete and holds the same rows. At every moment the
 * entry names a complete folder.
 */
export async function replaceCopy(
  db: RunDb,
  entry: DataEntry,
  newLocation: string,
  patch: { meta?: Record<string, unknown>; fileCount?: number },
  /** Test hook: between re-pointing the entry and removing the original. */
  onRepointed?: () => void,
): Promise<DataEntry> {
  const bad = sameRows(entry.location, newLocation);
  if (bad) throw new Error(`will not replace ${entry.location} with ${newLocation}: ${bad}`);
  const updated = await db.updateData(entry.id, { location: newLocation, ...patch });
  if (!updated)
    throw new Error(`${describe(entry)} is no longer registered; ${newLocation} is left unregistered`);
  onRepointed?.();
  if (resolve(entry.location) !== resolve(newLocation)) removeFolder(entry.location);
  return updated;
}

/**
 * The original of a copy replaced earlier, left on disk by a crash between re-pointing the
 * entry and removing the original: removed only if the registered copy is complete and holds
 * the same rows. Returns whether it was removed.
 */
export function removeReplacedOriginal(registered: DataEntry, original: string): boolean {
  if (resolve(registered.location) === resolve(original) || !existsSync(original)) return false;
  if (sameRows(original, registered.location) !== null) return false;
  removeFolder(original);
  return true;
}
