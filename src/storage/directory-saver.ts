// Writes one data type into RUN-TYPE-HASH_temp/ chunk by chunk, as strax's FileSaver does:
// metadata rewritten after every chunk, chunk files written as NAME_temp then renamed, and the
// folder renamed into place on close. A failure is recorded in the metadata ('exception').
// Each file is written as its rows arrive (the rechunker hands them out once sure of their
// file), its metadata entry kept as running values: memory does not grow with the target.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { endtimes, type Chunk } from '../core/chunk.js';
import { pyJsonParse, type PyJson } from '../core/python/json.js';
import { DEFAULT_SAVE_BUFFER_MB, type DataKey, type SaveMetadata, type Saver } from '../core/storage-api.js';
import { CHECKSUM_KEY } from './checksum.js';
import { ChunkFileWriter } from './chunk-file-writer.js';
import { getCodec, type Codec } from './codecs/index.js';
import { metadataFileName, pyTimeNow, STRAX_FORMAT_VERSION, writeMetadataFile } from './metadata.js';
import { Rechunker, type FileStep } from './rechunker.js';
import type { WriteLock } from './write-lock.js';

export interface DirectorySaverOptions {
  /** Join and re-split chunks toward the target size before writing (strax's rechunk_on_save). */
  rechunk?: boolean;
  /** MB of rows buffered per file before they are compressed and written (else the
   * metadata's maxBufferMb, else the default). */
  maxBufferMb?: number;
  /** The folder's write lock, released once the folder is in place (or abandoned). */
  lock?: WriteLock;
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
    this.rechunker = new Rechunker(opts.rechunk ?? meta.rechunk ?? true);
    this.writeBlockBytes = (opts.maxBufferMb ?? meta.maxBufferMb ?? DEFAULT_SAVE_BUFFER_MB) * 1e6;
    this.targetSizeMb = meta.chunkTargetSizeMb;
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
    // As strax: writing replaces old data and any unfinished attempt.
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    if (existsSync(s.tempDir)) rmSync(s.tempDir, { recursive: true, force: true });
    mkdirSync(s.tempDir, { recursive: true });
    s.flushMetadata();
    return s;
  }

  async save(chunk: Chunk): Promise<void> {
    if (this.closed) throw new Error(`saver for ${basename(this.dir)} is already closed`);
    if (chunk.targetSizeMb !== this.targetSizeMb) chunk = chunk.with({ targetSizeMb: this.targetSizeMb });
    const rechunkable = chunk.dtype.has('time');
    await this.follow(rechunkable ? this.rechunker.receive(chunk) : [{ rows: chunk }, { end: true }]);
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
    rmSync(this.tempDir, { recursive: true, force: true });
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
    this.md.writing_ended = pyTimeNow();
    this.flushMetadata();
    renameSync(this.tempDir, this.dir);
  }

  private flushMetadata(): void {
    writeMetadataFile(join(this.tempDir, this.metaFile), this.md);
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
      else await this.endFile();
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

  /** Complete the file being written, and its metadata entry. */
  private async endFile(): Promise<void> {
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
    this.file = null;
    this.chunks.push(info);
    this.flushMetadata();
  }

  private fileName(i: number): string {
    return `${this.prefix}-${String(i).padStart(6, '0')}`;
  }
}
