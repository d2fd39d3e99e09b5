// straxer's storage options, applied in straxen's order (from_scratch → only_strax_data →
// add_folder), and what is stored where (for the availability table and the summary).

import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Context } from '../../core/context/context.js';
import type { StorageFrontend } from '../../core/storage-api.js';
import { DataDirectory } from '../../storage/data-directory.js';
import type { ChunkInfo } from '../../storage/metadata.js';
import { RestrictedFrontend, unwrapFrontend } from '../../named-contexts/frontends.js';
import { StraxerUsageError } from './errors.js';

export const DEFAULT_DATA_FOLDER = './strax_data';

export interface StorageFlags {
  fromScratch: boolean;
  onlyStraxData: boolean;
  addFolder?: string;
}

const isDirectoryAt = (fe: StorageFrontend, path: string): boolean => {
  const inner = unwrapFrontend(fe);
  return inner instanceof DataDirectory && resolve(inner.path) === resolve(path);
};

/** Change ctx.storage as the flags ask; returns the folder data is written to, if any. */
export function applyStorageFlags(ctx: Context, flags: StorageFlags, contextFolder: string): string | null {
  let writable: string | null = contextFolder;
  if (flags.fromScratch) {
    ctx.storage = ctx.storage.map((fe) => new RestrictedFrontend(fe, { takeOnly: ['raw_records'] }));
    ctx.storage.push(new DataDirectory(DEFAULT_DATA_FOLDER, { create: false }));
    writable = DEFAULT_DATA_FOLDER;
  }
  if (flags.onlyStraxData) {
    // straxen makes ./strax_data read-only too when it is already there; straxts keeps it writable.
    const present = ctx.storage.some((fe) => isDirectoryAt(fe, DEFAULT_DATA_FOLDER));
    ctx.storage = ctx.storage.map((fe) =>
      isDirectoryAt(fe, DEFAULT_DATA_FOLDER) ? fe : new RestrictedFrontend(fe, { readonly: true }),
    );
    if (!present) ctx.storage.push(new DataDirectory(DEFAULT_DATA_FOLDER, { create: false }));
    writable = DEFAULT_DATA_FOLDER;
  }
  if (flags.addFolder !== undefined) {
    const dir = flags.addFolder;
    if (existsSync(dir) && !statSync(dir).isDirectory())
      throw new StraxerUsageError(`--add_folder ${dir}: not a directory`);
    ensureWritableFolder(dir);
    ctx.storage = ctx.storage
      .filter((fe) => !isDirectoryAt(fe, dir))
      .map((fe) => new RestrictedFrontend(fe, { readonly: true }));
    ctx.storage.push(new DataDirectory(dir));
    writable = dir;
  }
  return writable;
}

/** The folder straxer writes into: created if missing, and writable (a read-only mount said
 * only ENOENT before). */
function ensureWritableFolder(dir: string): void {
  let existing = resolve(dir);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    accessSync(existing, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = existing === resolve(dir) ? dir : `${existing}, where it would be created,`;
    throw new StraxerUsageError(
      `--add_folder ${dir}: ${what} is read-only (${code}); straxer writes its results there, give a writable folder`,
    );
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new StraxerUsageError(
      `--add_folder ${dir}: cannot create it (${(e as NodeJS.ErrnoException).code})`,
    );
  }
}

export interface StoredInfo {
  /** Folder holding the data (or the frontend's name). */
  dir: string;
  /** Size, when a data directory holds it. */
  rows: number | null;
  chunks: ChunkInfo[] | null;
  /** Uncompressed bytes. */
  nbytes: number | null;
}

/** Where complete data of a type is (the first frontend that has it), with its size from a data
 * directory holding it (possibly found later in the list or among `folders`, e.g. the folder
 * behind the runs database). */
export async function storedInfo(
  ctx: Context,
  runId: string,
  dataType: string,
  folders: readonly string[] = [],
): Promise<StoredInfo | null> {
  const key = ctx.keyFor(runId, dataType);
  let first: string | null = null;
  const extra = folders.map((f) => new DataDirectory(f, { readonly: true, create: false }));
  for (const fe of [...ctx.storage, ...extra]) {
    const inner = unwrapFrontend(fe);
    if (!(inner instanceof DataDirectory) && first !== null) continue;
    if (extra.includes(fe as DataDirectory) && first === null) break;
    if (!(await fe.isStored(key))) continue;
    if (inner instanceof DataDirectory) {
      const found = inner.find(key);
      if (found) {
        const chunks = found.metadata.chunks;
        return {
          dir: found.dir,
          chunks,
          rows: chunks.reduce((s, c) => s + c.n, 0),
          nbytes: chunks.reduce((s, c) => s + c.nbytes, 0),
        };
      }
    }
    first ??= fe.name;
  }
  return first === null ? null : { dir: first, rows: null, chunks: null, nbytes: null };
}
