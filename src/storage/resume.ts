// What a rerun may keep of a dead writer's unfinished RUN-TYPE-HASH_temp/ folder: its first
// chunk files, each found on disk with the size and checksum its metadata entry records, up to
// the last one after which the writer's rechunker held only rows it had not cut yet (so that a
// saver fed the same rows again from there cuts the next files exactly where the writer would
// have). Everything else in the folder is removed and written again.

import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pyJsonParse, type PyJson } from '../core/python/json.js';
import { checksumMismatch } from './checksum.js';

/** Per chunk entry, while the folder is unfinished: the end of the last chunk the saver had
 * received when it wrote this file, set only on a file after which its rechunker cut no other
 * (removed when the folder is finished: strax's metadata is left as strax writes it). */
export const RECEIVED_UNTIL_KEY = 'received_until';
/** Top-level, while unfinished: how the saver cut files (a rerun cutting otherwise starts over). */
export const SAVE_POLICY_KEY = 'save_policy';

type Entry = { [key: string]: PyJson };

export interface KeptPart {
  /** The metadata entries of the kept chunks, in order (chunk_i 0 .. n-1). */
  entries: Entry[];
  /** End of the last kept chunk: rows before it are on disk. */
  keptUntil: bigint;
  /** End of the chunk the writer had received when it cut the last kept file: a resumed saver
   * must be sent a chunk ending exactly there (else the rows arrived otherwise; it stops). */
  receivedUntil: bigint;
  /** The dead writer's metadata (its writing_started is kept). */
  metadata: Entry;
}

/** What the new writer will write; the dead one's must agree or nothing is kept. */
export interface WriteSpec {
  metadataFile: string;
  dataType: string;
  lineageHash: string;
  dtype: string;
  compressor: string;
  chunkTargetSizeMb: number;
  savePolicy: Entry;
}

const big = (v: PyJson | undefined): bigint | null =>
  typeof v === 'bigint' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : null;

/** The part of `tempDir` a resumed saver may keep, or null (with the reason) when none. */
export function keptPart(tempDir: string, spec: WriteSpec): { kept: KeptPart } | { why: string } {
  const file = join(tempDir, spec.metadataFile);
  let md: Entry;
  try {
    const parsed = pyJsonParse(readFileSync(file, 'utf8'), file);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return { why: 'bad metadata' };
    md = parsed as Entry;
  } catch (e) {
    return { why: `unreadable metadata (${(e as Error).message})` };
  }
  if ('exception' in md) return { why: 'its writer recorded a failure' };
  if ('writing_ended' in md) return { why: 'it was finished' };
  const same = (k: string, v: PyJson): boolean => JSON.stringify(md[k]) === JSON.stringify(v);
  if (
    md.data_type !== spec.dataType ||
    md.lineage_hash !== spec.lineageHash ||
    md.dtype !== spec.dtype ||
    md.compressor !== spec.compressor ||
    Number(md.chunk_target_size_mb) !== spec.chunkTargetSizeMb ||
    !same(SAVE_POLICY_KEY, spec.savePolicy)
  )
    return { why: 'it was written with other settings' };
  const chunks = Array.isArray(md.chunks) ? (md.chunks as PyJson[]) : [];
  let best = -1;
  let prevEnd: bigint | null = null;
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i] as Entry;
    const start = big(c.start),
      end = big(c.end),
      n = big(c.n);
    if (start === null || end === null || n === null || big(c.chunk_i) !== BigInt(i)) break;
    if (prevEnd !== null && start !== prevEnd) break;
    if (n > 0n && !fileIntact(tempDir, c)) break;
    prevEnd = end;
    if (big(c[RECEIVED_UNTIL_KEY]) !== null) best = i;
  }
  if (best < 0) return { why: 'no chunk of it is complete' };
  const entries = chunks.slice(0, best + 1) as Entry[];
  const last = entries[best]!;
  return {
    kept: {
      entries,
      keptUntil: big(last.end)!,
      receivedUntil: big(last[RECEIVED_UNTIL_KEY])!,
      metadata: md,
    },
  };
}

function fileIntact(dir: string, c: Entry): boolean {
  if (typeof c.filename !== 'string' || typeof c.checksum !== 'string') return false;
  const path = join(dir, c.filename);
  try {
    if (statSync(path).size !== Number(c.filesize)) return false;
    return checksumMismatch(readFileSync(path), c.checksum) === null;
  } catch {
    return false;
  }
}

/** Remove every file of `tempDir` but the kept chunks' files and the metadata. */
export function clearAllBut(tempDir: string, kept: KeptPart, metadataFile: string): void {
  if (!existsSync(tempDir)) return;
  const keep = new Set<string>([metadataFile]);
  for (const e of kept.entries) if (typeof e.filename === 'string') keep.add(e.filename);
  for (const f of readdirSync(tempDir))
    if (!keep.has(f)) rmSync(join(tempDir, f), { recursive: true, force: true });
}
