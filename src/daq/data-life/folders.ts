// Disk operations on data folders that never leave something half-done looking whole: a folder
// is renamed out of sight before it is removed, and copied under a _temp name before it
// appears under its own.

import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Prefix and suffix of a folder being removed (hidden: no tool takes it for data). */
const TRASH_PREFIX = '.';
export const TRASH_SUFFIX = '.straxts-deleting';

/** Bytes in the files of a folder (recursively); 0 if it does not exist. */
export function folderBytes(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) n += folderBytes(join(path, e.name));
  return n;
}

/** Files directly in a folder (the file_count admix checks). */
export function fileCount(path: string): number {
  return readdirSync(path).length;
}

export function isTrash(name: string): boolean {
  return name.startsWith(TRASH_PREFIX) && name.endsWith(TRASH_SUFFIX);
}

/**
 * Remove a folder: first renamed to a hidden name in the same parent (one atomic step: a reader
 * sees the whole folder or none of it), then deleted. An interrupted removal leaves only the
 * hidden folder, which removeTrash finishes.
 */
export function removeFolder(path: string): void {
  if (!existsSync(path)) return;
  const trash = join(dirname(path), `${TRASH_PREFIX}${basename(path)}.${process.pid}${TRASH_SUFFIX}`);
  renameSync(path, trash);
  rmSync(trash, { recursive: true, force: true });
}

/** Finish removals that were interrupted in this folder; returns the names removed. */
export function removeTrash(parent: string): string[] {
  if (!existsSync(parent)) return [];
  const names = readdirSync(parent).filter(isTrash);
  for (const n of names) rmSync(join(parent, n), { recursive: true, force: true });
  return names;
}

/**
 * Put a copy of folder `src` at `dest` (which must not exist): hard links where the file system
 * allows (no data is copied), else copies; built under `<dest>_temp`, renamed into place when
 * complete. `src` is left as it is.
 */
export function copyFolder(src: string, dest: string): void {
  if (existsSync(dest)) throw new Error(`cannot copy ${src} to ${dest}: it already exists`);
  const temp = `${dest}_temp`;
  rmSync(temp, { recursive: true, force: true });
  copyTree(src, temp);
  renameSync(temp, dest);
}

function copyTree(src: string, dest: string): void {
  mkdirSync(dest, { recursive: true });
  for (const e of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, e.name),
      to = join(dest, e.name);
    if (e.isDirectory()) copyTree(from, to);
    else {
      try {
        linkSync(from, to);
      } catch {
        copyFileSync(from, to);
      }
    }
  }
}

/**
 * Move a folder to `dest` (which must not exist): a rename, or across file systems a checked
 * copy (copyFolder) and then removal of the original.
 */
export function moveFolder(src: string, dest: string): void {
  if (existsSync(dest)) throw new Error(`cannot move ${src} to ${dest}: it already exists`);
  mkdirSync(dirname(dest), { recursive: true });
  try {
    renameSync(src, dest);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    copyFolder(src, dest);
    removeFolder(src);
  }
}
