// What processing left on the disk, read for the checks: the chunk list of each data folder of a
// run (from its metadata) and, before live_data may be deleted, the raw_records read back.

import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadChunks, parseFolderName } from '../../storage/data-directory.js';
import { metadataFileName, readMetadata, type DataMetadata } from '../../storage/metadata.js';
import type { StoredTypeFacts } from './checks.js';

/** Metadata of a data folder `<root>/<run>-<type>-<hash>`, or undefined if it is not there. */
export function folderMetadata(folder: string): DataMetadata | undefined {
  const key = parseFolderName(basename(folder));
  if (!key) return undefined;
  const file = join(folder, metadataFileName(key.dataType, key.lineageHash));
  return existsSync(file) ? readMetadata(file) : undefined;
}

/** Chunk facts of each folder (missing folders are skipped). */
export function storedFacts(folders: readonly string[]): StoredTypeFacts[] {
  const out: StoredTypeFacts[] = [];
  for (const f of folders) {
    const md = folderMetadata(f);
    if (!md) continue;
    const chunks = md.chunks.map((c) => ({
      n: c.n,
      nbytes: c.nbytes,
      ...(c.filesize !== undefined ? { filesize: c.filesize } : {}),
      ...(c.firstTime !== undefined ? { firstTime: c.firstTime } : {}),
      ...(c.lastEndtime !== undefined ? { lastEndtime: c.lastEndtime } : {}),
    }));
    out.push({ dataType: md.dataType, chunks });
  }
  return out;
}

/** Finished data folders of a run in a folder (test mode: nothing is registered). */
export function runFolders(root: string, runId: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => parseFolderName(n)?.runId === runId)
    .map((n) => join(root, n));
}

/**
 * Rows of each raw_records* folder, counted by decompressing every chunk file (a missing or
 * damaged file throws): the copy is proven readable before the live_data may go.
 */
export async function readBackRawRows(folders: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const f of folders) {
    const md = folderMetadata(f);
    if (!md || !md.dataType.startsWith('raw_records')) continue;
    let n = 0;
    for await (const c of loadChunks(f, md)) n += c.data.length;
    out.set(md.dataType, (out.get(md.dataType) ?? 0) + n);
  }
  return out;
}
