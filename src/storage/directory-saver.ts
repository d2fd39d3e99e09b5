// Writes one data type into RUN-TYPE-HASH_temp/ chunk by chunk, as strax's FileSaver does:
// metadata rewritten after every chunk, chunk files written as NAME_temp then renamed, and the
// folder renamed into place on close. A failure is recorded in the metadata ('exception').
// While unfinished, the rows not yet cut into a file are mirrored (pending-spill.ts), so that a
// rerun after a crash continues the folder where it stopped (resume.ts).

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { endtimes, type Chunk } from '../core/chunk.js';
import { DType } from '../core/dtype.js';
import { pyJsonParse, type PyJson } from '../core/python/json.js';
import { DEFAULT_SAVE_BUFFER_MB, type DataKey, type SaveMetadata, type Saver } from '../core/storage-api.js';
import { CHECKSUM_KEY, chunkChecksum } from './checksum.js';
import { getCodec, type Codec } from './codecs/index.js';
import { BLOSC_MAX_BYTES } from './codecs/blosc.js';
import { metadataFileName, pyTimeNow, STRAX_FORMAT_VERSION, writeMetadataFile } from './metadata.js';
import { Rechunker } from './rechunker.js';
import { PENDING_KEY, PendingSpill, readPendingChunks } from './pending-spill.js';
import {
  clearAllBut,
  keptPart,
  keptRowsBefore,
  RECEIVED_UNTIL_KEY,
  resentDiffers,
  SAVE_POLICY_KEY,
  type KeptPart,
} from './resume.js';
import type { WriteLock } from './write-lock.js';

export interface DirectorySaverOptions {
  /** Join and re-split chunks toward the target size before writing (strax's rechunk_on_save). */
  rechunk?: boolean;
  /** MB of rows held while rechunking (else the metadata's maxBufferMb, else the default). */
  maxBufferMb?: number;
  /** The folder's write lock, released once the folder is in place (or abandoned). */
  lock?: WriteLock;
  /** Keep the complete chunks of a dead writer's _temp folder and continue after them (else
   * that folder is replaced). */
  resume?: boolean;
}

type ChunkEntry = { [key: string]: PyJson };

export class DirectorySaver implements Saver {
  private readonly md: { [key: string]: unknown };
  private readonly chunks: ChunkEntry[] = [];
  private readonly tempDir: string;
  private readonly prefix: string;
  private readonly metaFile: string;
  private readonly codec: Codec;
  private readonly rechunker: Rechunker;
  private chunkI = 0;
  private closed = false;
  /** Continuing a dead writer's output: rows before keptUntil are on disk already. */
  keptUntil: bigint | null = null;
  keptChunks = 0;
  /** The chunk end the dead writer had received when it cut its last kept file: the rows
   * resent must come in a chunk ending there, or the files would be cut otherwise. */
  private receivedUntil: bigint | null = null;
  /** Where the kept rows held uncut (not in a file) start. */
  private heldFrom: bigint | null = null;
  private readonly dtypeText: string;
  /** The rechunker's uncut rows, mirrored on disk for a rerun (when it rechunks). */
  private spill: PendingSpill | null;
  private readonly rechunk: boolean;

  private constructor(
    private readonly dir: string,
    key: DataKey,
    meta: SaveMetadata,
    opts: DirectorySaverOptions,
  ) {
    this.codec = getCodec(meta.compressor, `metadata of ${basename(dir)}`);
    this.tempDir = `${dir}_temp`;
    this.prefix = `${key.dataType}-${key.lineageHash}`;
    this.metaFile = metadataFileName(key.dataType, key.lineageHash);
    this.md = {
      ...(meta.extra ?? {}),
      run_id: meta.runId,
      data_type: meta.dataType,
      data_kind: meta.dataKind,
      dtype: meta.dtype,
      lineage_hash: meta.lineageHash,
      compressor: meta.compressor,
      lineage: meta.lineage,
      chunk_target_size_mb: meta.chunkTargetSizeMb,
      strax_version: STRAX_FORMAT_VERSION,
      writing_started: pyTimeNow(),
      chunks: this.chunks,
    };
    const rechunk = opts.rechunk ?? meta.rechunk ?? true;
    const maxBufferMb = opts.maxBufferMb ?? meta.maxBufferMb ?? DEFAULT_SAVE_BUFFER_MB;
    this.md[SAVE_POLICY_KEY] = { rechunk, max_buffer_mb: maxBufferMb };
    this.rechunker = new Rechunker(rechunk, maxBufferMb);
    this.rechunk = rechunk;
    this.spill = rechunk ? new PendingSpill(this.tempDir, this.prefix, this.codec) : null;
    this.targetSizeMb = meta.chunkTargetSizeMb;
    this.dtypeText = meta.dtype;
    this.lock = opts.lock ?? null;
  }

  private readonly lock: WriteLock | null;

  private readonly targetSizeMb: number;

  static async open(
    dir: string,
    key: DataKey,
    meta: SaveMetadata,
    opts: DirectorySaverOptions = {},
  ): Promise<DirectorySaver> {
    const s = new DirectorySaver(dir, key, meta, opts);
    // As strax: writing replaces old data and any unfinished attempt (but see resume.ts).
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    const kept = opts.resume && existsSync(s.tempDir) ? s.keptOf(meta) : null;
    if (kept && !(await s.keep(kept, meta))) {
      s.chunks.length = s.chunkI = s.keptChunks = 0;
      s.keptUntil = s.receivedUntil = null;
      s.rechunker.flushPieces();
      s.spill = s.rechunk ? new PendingSpill(s.tempDir, s.prefix, s.codec) : null;
    }
    if (s.keptUntil === null && existsSync(s.tempDir)) rmSync(s.tempDir, { recursive: true, force: true });
    mkdirSync(s.tempDir, { recursive: true });
    s.flushMetadata();
    return s;
  }

  private keptOf(meta: SaveMetadata): KeptPart | null {
    const r = keptPart(this.tempDir, {
      metadataFile: this.metaFile,
      dataType: meta.dataType,
      lineageHash: meta.lineageHash,
      dtype: meta.dtype,
      compressor: meta.compressor,
      chunkTargetSizeMb: meta.chunkTargetSizeMb,
      savePolicy: this.md[SAVE_POLICY_KEY] as ChunkEntry,
    });
    return 'kept' in r ? r.kept : null;
  }

  /** Continue after a dead writer's kept chunks: its uncut rows (if mirrored intact) go through
   * the rechunker again, as they first did. False when nothing could be kept. */
  private async keep(kept: KeptPart, meta: SaveMetadata): Promise<boolean> {
    clearAllBut(this.tempDir, kept, this.metaFile);
    const mirror = kept.pending
      ? await readPendingChunks(this.tempDir, kept.pending, this.codec, {
          ...meta,
          targetSizeMb: this.targetSizeMb,
        })
      : null;
    const held = mirror?.chunks ?? null;
    if (!kept.cut && !held?.length) return false;
    this.chunks.push(...kept.entries);
    this.chunkI = this.keptChunks = kept.entries.length;
    if (kept.entries.length) this.md.start = kept.entries[0]!.start;
    if (kept.metadata.writing_started !== undefined) this.md.writing_started = kept.metadata.writing_started;
    // The rows held go through the rechunker again (they are mirrored already: no spill).
    this.spill = null;
    const files = this.chunks.length;
    for (const c of held ?? []) await this.receive(c);
    if (this.rechunk) {
      this.spill = new PendingSpill(
        this.tempDir,
        this.prefix,
        this.codec,
        kept.cut?.end ?? null,
        kept.pending?.file,
      );
      if (kept.pending && mirror && this.chunks.length === files)
        this.spill.continueFile(kept.pending.file, mirror.bytes);
      else {
        // The rechunker cut files from them after all: mirror what it still holds afresh.
        const last = this.chunks[this.chunks.length - 1];
        await this.spill.reset(this.rechunker.pendingChunks(), last ? BigInt(String(last.end)) : 0n);
        if (kept.pending) this.spill.remove(kept.pending.file);
      }
    } else if (kept.pending) rmSync(join(this.tempDir, kept.pending.file), { force: true });
    const until = held?.length ? held[held.length - 1]!.end : kept.cut!.end;
    this.keptUntil = until;
    if (held?.length) this.heldFrom = held[0]!.start;
    this.receivedUntil = held?.length ? until : kept.cut!.receivedUntil;
    return true;
  }

  async keptRowsBefore(t: bigint): Promise<number | null> {
    if (this.keptUntil === null || t >= this.keptUntil) return null;
    const dtype = DType.fromDescr(this.dtypeText);
    return keptRowsBefore(t, this.tempDir, this.chunks, this.rechunker.pendingChunks(), this.codec, dtype);
  }

  /** The part of a resent chunk after the kept rows (null: all of it is kept). */
  private afterKept(chunk: Chunk): Chunk | null {
    const r = this.receivedUntil;
    if (r !== null && chunk.start >= r)
      this.receivedUntil = null; // sent again from there on
    else if (r !== null) {
      if (chunk.end > r)
        throw new Error(
          `cannot continue ${this.tempDir}: its kept rows were received until ${r}, but they now come in a chunk [${chunk.start}, ${chunk.end}); it is marked failed, a rerun recomputes it`,
        );
      if (chunk.end === r) {
        this.receivedUntil = null;
        // The last chunk sent again before the kept end must repeat what is kept (else the
        // processing did not resume in the interrupted run's state).
        const why =
          this.heldFrom !== null && chunk.start >= this.heldFrom
            ? resentDiffers(chunk, this.rechunker.pendingChunks())
            : null;
        if (why)
          throw new Error(
            `cannot continue ${this.tempDir}: ${why}; it is marked failed, a rerun recomputes it`,
          );
      }
    }
    const e = this.keptUntil!;
    if (chunk.end <= e) return null;
    // The kept rows end in a gap or at a chunk end: no row straddles e.
    return chunk.start < e ? chunk.split(e, false)[1] : chunk;
  }

  async save(chunk: Chunk): Promise<void> {
    if (this.closed) throw new Error(`saver for ${basename(this.dir)} is already closed`);
    if (chunk.targetSizeMb !== this.targetSizeMb) chunk = chunk.with({ targetSizeMb: this.targetSizeMb });
    if (this.keptUntil !== null) {
      const rest = this.afterKept(chunk);
      if (!rest) return;
      chunk = rest;
    }
    await this.receive(chunk);
  }

  private async receive(chunk: Chunk): Promise<void> {
    const rechunkable = chunk.dtype.has('time');
    const files = rechunkable ? this.rechunker.receivePieces(chunk) : [[chunk]];
    // After the last file cut here, the rechunker holds exactly the rows from its end to
    // chunk.end: a rerun resending those rows (and the same chunks after) cuts as this one.
    for (let k = 0; k < files.length; k++)
      await this.writeChunk(files[k]!, k === files.length - 1 ? chunk.end : null);
    if (!this.spill || !rechunkable) return;
    if (files.length === 0) return this.spill.append(chunk);
    const last = files[files.length - 1]!;
    const old = await this.spill.reset(this.rechunker.pendingChunks(), last[last.length - 1]!.end);
    this.flushMetadata();
    this.spill.remove(old);
  }

  async close(): Promise<void> {
    if (this.closed) throw new Error(`saver for ${basename(this.dir)} is already closed`);
    for (const c of this.rechunker.flushPieces()) await this.writeChunk(c, null);
    this.finish();
  }

  async fail(error: unknown): Promise<void> {
    if (this.closed) return;
    this.md.exception =
      error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    this.finish();
  }

  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A dead writer's kept chunks stay for the next attempt (the folder is as resumable as found).
    if (this.keptUntil === null) rmSync(this.tempDir, { recursive: true, force: true });
    this.lock?.release();
  }

  private finish(): void {
    try {
      this.finishFolder();
    } finally {
      this.lock?.release();
    }
  }

  private finishFolder(): void {
    this.closed = true;
    if (!existsSync(this.tempDir)) {
      throw new Error(
        `${this.tempDir} vanished before closing: was another saver writing ${basename(this.dir)}?`,
      );
    }
    // Chunk metadata written by parallel writers (metadata_<file>.json) joins the main list.
    for (const f of readdirSync(this.tempDir)
      .filter((n) => /^metadata_.*\.json$/.test(n))
      .sort()) {
      const p = join(this.tempDir, f);
      this.chunks.push(pyJsonParse(readFileSync(p, 'utf8'), p) as ChunkEntry);
      unlinkSync(p);
    }
    if (this.chunks.length) {
      this.md.start = this.chunks[0]!.start;
      this.md.end = this.chunks[this.chunks.length - 1]!.end;
    }
    // Resume marks matter only while unfinished: the finished metadata is strax's.
    for (const c of this.chunks) delete c[RECEIVED_UNTIL_KEY];
    delete this.md[SAVE_POLICY_KEY];
    delete this.md[PENDING_KEY];
    this.spill?.remove();
    this.md.writing_ended = pyTimeNow();
    this.flushMetadata();
    renameSync(this.tempDir, this.dir);
  }

  private flushMetadata(): void {
    if (this.spill && !this.closed) this.md[PENDING_KEY] = this.spill.toJson();
    // Written aside and renamed: a crash never leaves half a metadata file (a rerun reads it).
    const file = join(this.tempDir, this.metaFile);
    writeMetadataFile(`${file}_temp`, this.md);
    renameSync(`${file}_temp`, file);
  }

  /** Write one chunk file from the pieces that joined make it (their bytes go straight into
   * the file's buffer: no joined copy of the rows is made). */
  private async writeChunk(pieces: readonly Chunk[], receivedUntil: bigint | null): Promise<void> {
    const i = this.chunkI++;
    const first = pieces[0]!,
      last = pieces[pieces.length - 1]!;
    let n = 0;
    for (const p of pieces) n += p.length;
    const nbytes = n * first.dtype.itemsize;
    const info: ChunkEntry = {
      chunk_i: i,
      n,
      start: first.start,
      end: last.end,
      run_id: first.runId,
      subruns: null,
      nbytes,
    };
    if (n > 0) {
      if (first.dtype.has('time')) {
        const rows = pieces.filter((p) => p.length > 0);
        const a = rows[0]!.data,
          b = rows[rows.length - 1]!.data;
        info.first_time = a.i64('time')[0]!;
        info.first_endtime = endtimes(a.slice(0, 1))[0]!;
        info.last_time = b.i64('time')[b.length - 1]!;
        info.last_endtime = endtimes(b.slice(b.length - 1))[0]!;
      }
      const bytes = new Uint8Array(nbytes);
      let at = 0;
      for (const p of pieces) {
        p.data.toBytes(bytes.subarray(at, at + p.nbytes));
        at += p.nbytes;
      }
      if (this.codec.name === 'blosc' && bytes.length >= BLOSC_MAX_BYTES) {
        throw new Error(
          `chunk ${i} of ${basename(this.dir)} is ${bytes.length} bytes, too large for blosc (~2 GB); use a smaller chunk target or another compressor`,
        );
      }
      const packed = await this.codec.compress(bytes);
      const filename = `${this.prefix}-${String(i).padStart(6, '0')}`;
      const path = join(this.tempDir, filename);
      await writeFile(`${path}_temp`, packed);
      await rename(`${path}_temp`, path);
      info.filename = filename;
      info.filesize = packed.length;
      info[CHECKSUM_KEY] = chunkChecksum(packed);
    }
    if (receivedUntil !== null) info[RECEIVED_UNTIL_KEY] = receivedUntil;
    if (i === 0) this.md.start = first.start;
    this.chunks.push(info);
    this.flushMetadata();
  }
}
