// What a rerun may keep of a dead writer's unfinished RUN-TYPE-HASH_temp/ folder: its first
// chunk files, each found on disk with the size and checksum its metadata entry records, up to
// the last one after which the writer's rechunker held only rows it had not cut yet (so that a
// saver fed the same rows again from there cuts the next files exactly where the writer would
// have). Everything else in the folder is removed and written again.

import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Chunk } from '../core/chunk.js';
import type { DType } from '../core/dtype.js';
import { pyJsonParse, type PyJson } from '../core/python/json.js';
import { Records } from '../core/records.js';
import type { Codec } from './codecs/index.js';
import { checksumMismatch } from './checksum.js';
import { PENDING_KEY, pendingStateOf, type PendingState } from './pending-spill.js';

/** Per chunk entry, while the folder is unfinished: the end of the last chunk the saver had
 * received when it wrote this file, set only on a file after which its rechunker cut no other
 * (removed when the folder is finished: strax's metadata is left as strax writes it). */
export const RECEIVED_UNTIL_KEY = 'received_until';
/** Top-level, while unfinished: how the saver cut files (a rerun cutting otherwise starts over). */
export const SAVE_POLICY_KEY = 'save_policy';

type Entry = { [key: string]: PyJson };

export interface KeptPart {
  /** The metadata entries of the kept chunks, in order (chunk_i 0 .. n-1; maybe none). */
  entries: Entry[];
  /** With entries: the end of the last one, and the end of the chunk the writer had received
   * when it cut that file (a resumed saver must be sent a chunk ending exactly there, else the
   * rows arrive otherwise and the files would be cut otherwise). */
  cut: { end: bigint; receivedUntil: bigint } | null;
  /** The rows the writer held uncut after the last kept file, mirrored (pending-spill.ts). */
  pending: PendingState | null;
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
  const same = (k: string, v: PyJson): boolean => canonical(md[k]) === canonical(v);
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
  const entries = chunks.slice(0, best + 1) as Entry[];
  const last = entries[best];
  const cut = last ? { end: big(last.end)!, receivedUntil: big(last[RECEIVED_UNTIL_KEY])! } : null;
  let pending = pendingStateOf(md[PENDING_KEY]);
  // The mirror must hold the rows right after the last kept file (else it is of another moment).
  if (pending && pending.after !== (cut?.end ?? null)) pending = null;
  if (!cut && !pending) return { why: 'no chunk of it is complete' };
  return { kept: { entries, cut, pending, metadata: md } };
}

/** Text of a JSON value that does not depend on key order or on how numbers were parsed. */
function canonical(v: PyJson | undefined): string {
  if (v === null || v === undefined || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Entry;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${k}:${canonical(o[k])}`)
    .join(',')}}`;
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
  if (kept.pending) keep.add(kept.pending.file);
  for (const f of readdirSync(tempDir))
    if (!keep.has(f)) rmSync(join(tempDir, f), { recursive: true, force: true });
}

/** Rows of held chunks (in order) whose time lies in [from, to), as numpy bytes. */
function rowBytes(held: readonly Chunk[], from: bigint, to: bigint): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of held) {
    if (c.end <= from || c.start >= to || c.length === 0) continue;
    const t = c.data.i64('time');
    let a = 0,
      b = c.length;
    while (a < b && t[a]! < from) a++;
    while (b > a && t[b - 1]! >= to) b--;
    if (b > a) out.push(c.data.slice(a, b).toBytes());
  }
  return out;
}

/** Why the rows sent again differ from the ones kept over the same time, or null if equal. */
export function resentDiffers(resent: Chunk, held: readonly Chunk[]): string | null {
  if (!resent.dtype.has('time')) return null;
  const a = Buffer.concat(rowBytes([resent], resent.start, resent.end));
  const b = Buffer.concat(rowBytes(held, resent.start, resent.end));
  if (a.equals(b)) return null;
  const w = resent.dtype.itemsize;
  return a.length !== b.length
    ? `${a.length / w} rows computed again in [${resent.start}, ${resent.end}), ${b.length / w} kept`
    : `rows computed again in [${resent.start}, ${resent.end}) differ from the kept ones`;
}

/** Kept rows starting before t: whole files by their metadata, the file or held rows around t
 * decoded. */
export async function keptRowsBefore(
  t: bigint,
  dir: string,
  entries: readonly Entry[],
  held: readonly Chunk[],
  codec: Codec,
  dtype: DType,
): Promise<number> {
  let n = 0;
  for (const e of entries) {
    const start = big(e.start)!,
      end = big(e.end)!,
      rows = Number(e.n);
    if (end <= t) n += rows;
    else if (start < t && rows > 0 && typeof e.filename === 'string') {
      const raw = await codec.decompress(readFileSync(join(dir, e.filename)), Number(e.nbytes));
      const time = Records.fromBytes(dtype, raw).i64('time');
      for (let i = 0; i < time.length && time[i]! < t; i++) n++;
    }
  }
  for (const c of held) {
    const time = c.data.i64('time');
    for (let i = 0; i < c.length && time[i]! < t; i++) n++;
  }
  return n;
}
