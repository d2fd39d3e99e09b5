// Writes one data type into RUN-TYPE-HASH_temp/ chunk by chunk, as strax's FileSaver does:
// metadata rewritten after every chunk, chunk files written as NAME_temp then renamed, and the
// folder renamed into place on close. A failure is recorded in the metadata ('exception').
// Each file is written as its rows arrive (the rechunker hands them out once sure of their
// file), its metadata entry kept as running values: memory does not grow with the target.
// While unfinished, the rows received since the last completed file are also mirrored
// (pending-spill.ts), so that a rerun after a crash continues the folder where it stopped
// (resume.ts): the unfinished NAME_temp is never kept, its rows come back from the mirror.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { endtimes, type Chunk } from '../core/chunk.js';
import { DType } from '../core/dtype.js';
import { pyJsonParse, type PyJson } from '../core/python/json.js';
import { DEFAULT_SAVE_BUFFER_MB, type DataKey, type SaveMetadata, type Saver } from '../core/storage-api.js';
import { CHECKSUM_KEY } from './checksum.js';
import { ChunkFileWriter } from './chunk-file-writer.js';
import { getCodec, type Codec } from './codecs/index.js';
import { metadataFileName, pyTimeNow, STRAX_FORMAT_VERSION, writeMetadataFile } from './metadata.js';
import { Rechunker, type FileStep } from './rechunker.js';
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
  /** MB of rows buffered per file before they are compressed and written (else the
   * metadata's maxBufferMb, else the default). */
  maxBufferMb?: number;
  /** The folder's write lock, released once the folder is in place (or abandoned). */
  lock?: WriteLock;
  /** Keep the complete chunks of a dead writer's _temp folder and continue after them (else
   * that folder is replaced). false also leaves out the mirror of uncut rows that makes a
   * rerun possible (default: mirrored). */
  resume?: boolean;
}

type ChunkEntry = { [key: string]: PyJson };

/** The chunk file being written: its metadata entry as running values. */
interface OpenFile {
  i: number;
  start: bigint;
  end: bigint;
  runId: string;
  n: number;
  firstTime?: bigint;
  firstEndtime?: bigint;
  lastTime?: bigint;
  lastEndtime?: bigint;
  writer: ChunkFileWriter | null;
}

export class DirectorySaver implements Saver {
  private readonly md: { [key: string]: unknown };
  private readonly chunks: ChunkEntry[] = [];
  private readonly tempDir: string;
  private readonly prefix: string;
  private readonly metaFile: string;
  private readonly codec: Codec;
  private readonly rechunker: Rechunker;
  private readonly writeBlockBytes: number;
  private file: OpenFile | null = null;
  private chunkI = 0;
  private closed = false;
  /** Continuing a dead writer's output: rows before keptUntil are on disk already. */
  keptUntil: bigint | null = null;
  keptChunks = 0;
  /** The chunk end the dead writer had received when it cut its last kept file: the rows
   * resent must come in a chunk ending there, or the files would be cut otherwise. */
  private receivedUntil: bigint | null = null;
  /** The dead writer's mirrored rows (after its last kept file), until the chunk sent again
   * up to their end has been checked against them. */
  private keptHeld: readonly Chunk[] = [];
  private readonly dtypeText: string;
  /** The rechunker's uncut rows, mirrored on disk for a rerun (when it rechunks). */
  private spill: PendingSpill | null;
  /** Mirror uncut rows for a rerun (not where no rerun will resume: opts.resume false). */
  private readonly resumable: boolean;
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
    // Files are cut as strax cuts them (the write block does not change where).
    this.md[SAVE_POLICY_KEY] = { rechunk, cuts: 'strax' };
    this.rechunker = new Rechunker(rechunk);
    this.writeBlockBytes = (opts.maxBufferMb ?? meta.maxBufferMb ?? DEFAULT_SAVE_BUFFER_MB) * 1e6;
    this.rechunk = rechunk;
    this.resumable = opts.resume ?? true;
    this.spill = rechunk && this.resumable ? new PendingSpill(this.tempDir, this.prefix) : null;
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
      s.keptHeld = [];
      await s.dropOpenFile();
      s.rechunker.flush();
      s.spill = s.rechunk && s.resumable ? new PendingSpill(s.tempDir, s.prefix) : null;
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
    this.keptHeld = held ?? [];
    if (this.rechunk) {
      this.spill = new PendingSpill(this.tempDir, this.prefix, kept.cut?.end ?? null, kept.pending?.file);
      if (kept.pending && mirror && this.chunks.length === files)
        this.spill.continueFile(kept.pending.file, mirror.bytes);
      else {
        // Files were cut from them after all: mirror the rows after the last one afresh.
        const last = this.chunks[this.chunks.length - 1]!;
        const after = BigInt(String(last.end));
        await this.spill.reset(
          held!.filter((c) => c.end > after).map((c) => (c.start < after ? c.split(after, false)[1] : c)),
          after,
        );
        if (kept.pending) this.spill.remove(kept.pending.file);
      }
    } else if (kept.pending) rmSync(join(this.tempDir, kept.pending.file), { force: true });
    const until = held?.length ? held[held.length - 1]!.end : kept.cut!.end;
    this.keptUntil = until;
    this.receivedUntil = held?.length ? until : kept.cut!.receivedUntil;
    return true;
  }

  async keptRowsBefore(t: bigint): Promise<number | null> {
    if (this.keptUntil === null || t >= this.keptUntil) return null;
    const dtype = DType.fromDescr(this.dtypeText);
    const files = this.chunks.slice(0, this.keptChunks);
    return keptRowsBefore(t, this.tempDir, files, this.keptHeld, this.codec, dtype);
  }

  /** The part of a resent chunk after the kept rows (null: all of it is kept). */
  private afterKept(chunk: Chunk): Chunk | null {
    const r = this.receivedUntil;
    if (r !== null && chunk.start >= r) {
      this.receivedUntil = null; // sent again from there on
      this.keptHeld = [];
    } else if (r !== null) {
      if (chunk.end > r)
        throw new Error(
          `cannot continue ${this.tempDir}: its kept rows were received until ${r}, but they now come in a chunk [${chunk.start}, ${chunk.end}); it is marked failed, a rerun recomputes it`,
        );
      if (chunk.end === r) {
        this.receivedUntil = null;
        // The last chunk sent again before the kept end must repeat what is kept (else the
        // processing did not resume in the interrupted run's state).
        const held = this.keptHeld;
        this.keptHeld = [];
        const why = held.length && chunk.start >= held[0]!.start ? resentDiffers(chunk, held) : null;
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
    const steps: readonly FileStep[] = rechunkable
      ? this.rechunker.receive(chunk)
      : [{ rows: chunk }, { end: true }];
    let lastEnd = -1;
    for (let k = 0; k < steps.length; k++) if ('end' in steps[k]!) lastEnd = k;
    // After the last file completed here, the rows received beyond it are the ones handed out
    // after it (into the next file) and those the rechunker holds, exactly up to chunk.end (the
    // rechunker hands out no row before its file's cut is sure): a rerun resending them (and the
    // same chunks after) cuts as this one.
    for (let k = 0; k < steps.length; k++) {
      const s = steps[k]!;
      if ('rows' in s) await this.appendRows(s.rows);
      else await this.endFile(k === lastEnd ? chunk.end : null);
    }
    if (!this.spill || !rechunkable) return;
    // Every received chunk not yet inside a completed file is mirrored (its rows also stream into
    // the unfinished NAME_temp, which a rerun never keeps).
    if (lastEnd < 0) return this.spill.append(chunk);
    const beyond: Chunk[] = [];
    for (const s of steps.slice(lastEnd + 1)) if ('rows' in s) beyond.push(s.rows);
    beyond.push(...this.rechunker.heldChunks());
    const old = await this.spill.reset(beyond, BigInt(String(this.chunks[this.chunks.length - 1]!.end)));
    this.flushMetadata();
    this.spill.remove(old);
  }

  async close(): Promise<void> {
    if (this.closed) throw new Error(`saver for ${basename(this.dir)} is already closed`);
    await this.follow(this.rechunker.flush());
    this.finish();
  }

  async fail(error: unknown): Promise<void> {
    if (this.closed) return;
    await this.dropOpenFile();
    this.md.exception =
      error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    this.finish();
  }

  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.dropOpenFile();
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

  /** An unfinished chunk file goes (it never had its final name). */
  private async dropOpenFile(): Promise<void> {
    const w = this.file?.writer;
    this.file = null;
    await w?.abort().catch(() => undefined);
  }

  private async follow(steps: readonly FileStep[]): Promise<void> {
    for (const s of steps) {
      if ('rows' in s) await this.appendRows(s.rows);
      else await this.endFile(null);
    }
  }

  /** Rows of the file being written (the first piece opens it). */
  private async appendRows(c: Chunk): Promise<void> {
    let f = this.file;
    if (f === null) {
      f = this.file = { i: this.chunkI++, start: c.start, end: c.end, runId: c.runId, n: 0, writer: null };
      if (f.i === 0) this.md.start = c.start;
    }
    f.end = c.end;
    const d = c.data;
    if (d.length === 0) return;
    if (d.dtype.has('time')) {
      const time = d.i64('time');
      if (f.n === 0) {
        f.firstTime = time[0]!;
        f.firstEndtime = endtimes(d.slice(0, 1))[0]!;
      }
      f.lastTime = time[d.length - 1]!;
      f.lastEndtime = endtimes(d.slice(d.length - 1))[0]!;
    }
    f.writer ??= new ChunkFileWriter(
      join(this.tempDir, this.fileName(f.i)),
      this.codec,
      this.writeBlockBytes,
    );
    f.n += d.length;
    await f.writer.append(d);
  }

  /** Complete the file being written, and its metadata entry (receivedUntil: the end of the
   * chunk received when it completed, when the rows held since then are all mirrored). */
  private async endFile(receivedUntil: bigint | null): Promise<void> {
    const f = this.file;
    if (f === null) return;
    const info: ChunkEntry = {
      chunk_i: f.i,
      n: f.n,
      start: f.start,
      end: f.end,
      run_id: f.runId,
      subruns: null,
      nbytes: f.writer?.nbytes ?? 0,
    };
    if (f.firstTime !== undefined) {
      info.first_time = f.firstTime;
      info.first_endtime = f.firstEndtime!;
      info.last_time = f.lastTime!;
      info.last_endtime = f.lastEndtime!;
    }
    if (f.writer) {
      const { filesize, checksum } = await f.writer.close();
      info.filename = this.fileName(f.i);
      info.filesize = filesize;
      info[CHECKSUM_KEY] = checksum;
    }
    if (receivedUntil !== null) info[RECEIVED_UNTIL_KEY] = receivedUntil;
    this.file = null;
    this.chunks.push(info);
    this.flushMetadata();
  }

  private fileName(i: number): string {
    return `${this.prefix}-${String(i).padStart(6, '0')}`;
  }
}
