// The rows a saver's rechunker holds uncut, mirrored into its _temp folder as they arrive, so that
// a rerun after a crash gets them back: a data type whose rows have no gaps (pulse_counts) or
// whose chunk target is large is otherwise written as one file at the very end, and a crash
// before it leaves nothing. TYPE-HASH-pending-N is a series of self-checking frames (header with
// the rows' range and a sha256, then the compressed rows), only ever appended to: a frame cut
// short by the crash is simply not read back. After files are cut, a new mirror holding what is
// still uncut replaces the old one; the metadata (while unfinished) names the current one.
// Frames are LZ4-coded whatever the data type's compressor: the mirror is written as the rows
// arrive and read only after a crash, and the type's compressor (zstd, or blosc in JS) cost
// ~0.2 s of a 20 s run's main thread for rows compressed again when their file is cut. Mirrors
// of earlier versions (frames in the type's compressor) are still read back.

import { appendFileSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Chunk } from '../core/chunk.js';
import { DType } from '../core/dtype.js';
import type { PyJson } from '../core/python/json.js';
import { Records } from '../core/records.js';
import type { Codec } from './codecs/index.js';
import { lz4Codec } from './codecs/lz4.js';

export const PENDING_KEY = 'pending';

/** Frames in the data type's compressor ('STXP', earlier versions) and in LZ4 ('STXL'). */
const MAGIC_TYPE_CODEC = 0x50585453;
const MAGIC_LZ4 = 0x4c585453;
const isFrame = (magic: number): boolean => magic === MAGIC_LZ4 || magic === MAGIC_TYPE_CODEC;
const HEADER = 64; // magic, size, n, nbytes (u32 each), start, end (i64), sha256 (32)

export interface PendingState {
  file: string;
  /** End of the last chunk file written before these rows (null: none yet). */
  after: bigint | null;
}

export class PendingSpill {
  private state: PendingState;
  private counter = 0;

  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    after: bigint | null = null,
    /** A dead writer's mirror still in the folder: the name goes on from it. */
    previous?: string,
  ) {
    if (previous) this.counter = Number(/-(\d+)$/.exec(previous)?.[1] ?? 0) + 1;
    this.state = { file: this.nextName(), after }; // the file comes with the first rows
  }

  private nextName(): string {
    return `${this.prefix}-pending-${this.counter++}`;
  }

  /** Rows just received and held uncut. */
  async append(chunk: Chunk): Promise<void> {
    appendFileSync(join(this.dir, this.state.file), await this.frame(chunk));
  }

  /** Files were cut (the last ending at `after`): what the rechunker still holds goes into a new
   * mirror. Returns the old one's name, to remove once the metadata names the new one. */
  async reset(held: readonly Chunk[], after: bigint): Promise<string> {
    const old = this.state.file;
    const file = this.nextName();
    const frames: Uint8Array[] = [];
    for (const c of held) frames.push(await this.frame(c));
    writeFileSync(join(this.dir, file), Buffer.concat(frames));
    this.state = { file, after };
    return old;
  }

  /** Go on appending to a dead writer's mirror (its first `bytes` read back whole; a frame
   * torn by the crash is cut off): its rows are what the rechunker holds again. */
  continueFile(file: string, bytes: number): void {
    truncateSync(join(this.dir, file), bytes);
    this.state = { ...this.state, file };
  }

  remove(file = this.state.file): void {
    rmSync(join(this.dir, file), { force: true });
  }

  private async frame(c: Chunk): Promise<Uint8Array> {
    const raw = c.data.toBytes(new Uint8Array(c.nbytes));
    const packed = c.length ? await lz4Codec.compress(raw) : new Uint8Array(0);
    const out = new Uint8Array(HEADER + packed.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, MAGIC_LZ4, true);
    v.setUint32(4, packed.length, true);
    v.setUint32(8, c.length, true);
    v.setUint32(12, raw.length, true);
    v.setBigInt64(16, c.start, true);
    v.setBigInt64(24, c.end, true);
    out.set(packed, HEADER);
    out.set(digest(out), 32);
    return out;
  }

  toJson(): { [key: string]: PyJson } {
    return { file: this.state.file, after: this.state.after };
  }
}

function digest(frame: Uint8Array): Uint8Array {
  return createHash('sha256').update(frame.subarray(0, 32)).update(frame.subarray(HEADER)).digest();
}

const big = (v: PyJson | undefined): bigint | null =>
  typeof v === 'bigint' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : null;

/** The mirror named in a dead writer's metadata. */
export function pendingStateOf(v: PyJson | undefined): PendingState | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as { [key: string]: PyJson };
  if (typeof o.file !== 'string' || !/^[^/\\]+-pending-\d+$/.test(o.file)) return null;
  return { file: o.file, after: big(o.after ?? undefined) };
}

/** The mirrored rows back, as they came, up to the first frame that is cut short or damaged
 * (they must follow `after` and each other without a hole; else what follows is dropped). */
export async function readPendingChunks(
  dir: string,
  state: PendingState,
  codec: Codec,
  c: { runId: string; dataType: string; dataKind: string; dtype: string; targetSizeMb: number },
): Promise<{ chunks: Chunk[]; bytes: number }> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(join(dir, state.file));
  } catch {
    return { chunks: [], bytes: 0 };
  }
  const dtype = DType.fromDescr(c.dtype);
  const out: Chunk[] = [];
  let at = 0;
  let prevEnd = state.after;
  while (at + HEADER <= bytes.length) {
    const v = new DataView(bytes.buffer, bytes.byteOffset + at, HEADER);
    const size = v.getUint32(4, true),
      n = v.getUint32(8, true),
      nbytes = v.getUint32(12, true);
    const start = v.getBigInt64(16, true),
      end = v.getBigInt64(24, true);
    const magic = v.getUint32(0, true);
    if (!isFrame(magic) || at + HEADER + size > bytes.length) break;
    const frame = bytes.subarray(at, at + HEADER + size);
    if (!Buffer.from(digest(frame)).equals(frame.subarray(32, HEADER))) break;
    if ((prevEnd !== null && start !== prevEnd) || end < start || nbytes !== n * dtype.itemsize) break;
    let data: Records;
    try {
      data = n
        ? Records.fromBytes(
            dtype,
            await (magic === MAGIC_LZ4 ? lz4Codec : codec).decompress(frame.subarray(HEADER), nbytes),
          )
        : Records.empty(dtype, 0);
    } catch {
      break;
    }
    out.push(
      new Chunk({
        runId: c.runId,
        dataType: c.dataType,
        dataKind: c.dataKind,
        start,
        end,
        data,
        targetSizeMb: c.targetSizeMb,
      }),
    );
    prevEnd = end;
    at += HEADER + size;
  }
  return { chunks: out, bytes: at };
}

/** The end of the last whole frame in a folder's current mirror(s): how far a saver that
 * cut no file yet had received rows (for watching a run's progress; null when none). */
export function mirroredUntil(tempDir: string): bigint | null {
  let best: bigint | null = null;
  let names: string[];
  try {
    names = readdirSync(tempDir).filter((f) => /-pending-\d+$/.test(f));
  } catch {
    return null;
  }
  for (const f of names) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(tempDir, f));
    } catch {
      continue;
    }
    for (let at = 0; at + HEADER <= bytes.length;) {
      const v = new DataView(bytes.buffer, bytes.byteOffset + at, HEADER);
      const size = v.getUint32(4, true);
      if (!isFrame(v.getUint32(0, true)) || at + HEADER + size > bytes.length) break;
      const end = v.getBigInt64(24, true);
      if (best === null || end > best) best = end;
      at += HEADER + size;
    }
  }
  return best;
}
