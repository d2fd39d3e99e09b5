// strax's DataDirectory: one folder RUN-TYPE-HASH per stored data type, holding the metadata
// JSON and one compressed file per non-empty chunk. Reads what strax wrote; writes what strax reads.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Chunk } from '../core/chunk.js';
import { pyJsonDumps, pyJsonParse, type PyJson } from '../core/python/json.js';
import { markSoleOwner } from '../core/engine/hand-over.js';
import { Records } from '../core/records.js';
import type { DataKey, LoadOptions, SaveMetadata, Saver, StorageFrontend } from '../core/storage-api.js';
import { CorruptDataError, getCodec, UnknownCompressorError } from './codecs/index.js';
import {
  DataBeingWritten,
  DataCorrupted,
  DataIncomplete,
  DataNotAvailable,
  ReadOnlyStorage,
  StorageError,
} from './errors.js';
import { metadataFileName, readMetadata, type ChunkInfo, type DataMetadata } from './metadata.js';
import { checksumMismatch } from './checksum.js';
import { chunkFileProblem } from './chunk-files.js';
import { DirectorySaver } from './directory-saver.js';
import {
  describeOwner,
  lockFileName,
  ownerState,
  readLockOwner,
  REMOTE_LOCK_STALE_MS,
  tryLock,
  waitForLock,
  type WriteLock,
} from './write-lock.js';

/** What identifies stored data on disk (a DataKey without the lineage itself). */
export interface FolderKey {
  runId: string;
  dataType: string;
  lineageHash: string;
}

export interface DataDirectoryOptions {
  readonly?: boolean;
  /** Create the directory if missing (writable frontends only; default true). */
  create?: boolean;
  /** A saver replaces complete data already here (default: takes it as written by another
   * process since planning, and refuses, so that it is loaded instead). For a directory behind
   * another frontend, whose complete but unregistered data is meant to be rewritten. */
  replaceComplete?: boolean;
  /** A saver keeps the complete chunks of a dead writer's _temp folder and continues after them
   * (default true; see resume.ts). */
  resume?: boolean;
}

export function folderName(key: FolderKey): string {
  return `${key.runId}-${key.dataType}-${key.lineageHash}`;
}

/** RUN-TYPE-HASH → its parts, or null for other names (strax splits on '-': exactly three parts). */
export function parseFolderName(name: string): FolderKey | null {
  if (name.startsWith('.')) return null; // lock files and other hidden names
  const parts = name.split('-');
  if (parts.length !== 3 || parts.some((p) => p === '')) return null;
  return { runId: parts[0]!, dataType: parts[1]!, lineageHash: parts[2]! };
}

export class DataDirectory implements StorageFrontend {
  readonly name: string;
  readonly readonly: boolean;
  private readonly replaceComplete: boolean;
  private readonly resume: boolean;

  constructor(
    readonly path: string,
    opts: DataDirectoryOptions = {},
  ) {
    this.readonly = opts.readonly ?? false;
    this.replaceComplete = opts.replaceComplete ?? false;
    this.resume = opts.resume ?? true;
    this.name = `DataDirectory(${path})`;
    if (!this.readonly && (opts.create ?? true) && !existsSync(path)) mkdirSync(path, { recursive: true });
  }

  folderPath(key: FolderKey): string {
    checkRunId(key.runId);
    return join(this.path, folderName(key));
  }

  /** The folder holding the key's data: complete, or (if allowed) the interrupted _temp folder. */
  find(
    key: FolderKey,
    opts: { allowIncomplete?: boolean } = {},
  ): { dir: string; metadata: DataMetadata } | null {
    const dir = this.folderPath(key);
    if (existsSync(dir)) {
      const metadata = readMetadata(join(dir, metadataFileName(key.dataType, key.lineageHash)));
      if (metadata.exception !== undefined) return null;
      if (!metadata.writingEnded && !opts.allowIncomplete) return null;
      return { dir, metadata };
    }
    if (opts.allowIncomplete && existsSync(`${dir}_temp`)) {
      const file = join(`${dir}_temp`, metadataFileName(key.dataType, key.lineageHash));
      if (existsSync(file)) {
        const metadata = readMetadata(file);
        if (metadata.exception === undefined) return { dir: `${dir}_temp`, metadata };
      }
    }
    return null;
  }

  async isStored(key: DataKey | FolderKey, opts: { allowIncomplete?: boolean } = {}): Promise<boolean> {
    try {
      return this.find(key, opts) !== null;
    } catch (e) {
      if (e instanceof DataCorrupted) return false;
      throw e;
    }
  }

  /** The metadata of stored data; explains clearly why data is not usable. */
  metadata(key: FolderKey, opts: { allowIncomplete?: boolean } = {}): DataMetadata {
    const dir = this.folderPath(key);
    const file = join(dir, metadataFileName(key.dataType, key.lineageHash));
    if (!existsSync(dir)) {
      if (opts.allowIncomplete) {
        const found = this.find(key, opts);
        if (found) return found.metadata;
      }
      const temp = existsSync(`${dir}_temp`) ? ` (only an unfinished ${dir}_temp exists)` : '';
      throw new DataNotAvailable(
        `no ${key.dataType} for run ${key.runId} with hash ${key.lineageHash} in ${this.path}${temp}`,
      );
    }
    const md = readMetadata(file);
    if (md.exception !== undefined) {
      const first = md.exception.trim().split('\n').pop() ?? '';
      throw new DataIncomplete(`${dir}: writing failed (${first}); delete the folder and process again`);
    }
    if (!md.writingEnded && !opts.allowIncomplete) {
      throw new DataIncomplete(`${dir}: writing has not finished (no writing_ended in ${file})`);
    }
    return md;
  }

  async *load(key: DataKey | FolderKey, opts: LoadOptions = {}): AsyncIterable<Chunk> {
    const md = this.metadata(key, opts);
    const found = this.find(key, opts);
    const dir = found?.dir ?? this.folderPath(key);
    yield* loadChunks(dir, md, opts.timeRange);
  }

  /** A saver holding the folder's write lock (see write-lock.ts). */
  async saver(key: DataKey, metadata: SaveMetadata): Promise<Saver> {
    if (this.readonly) throw new ReadOnlyStorage(`${this.path} is read-only; cannot save ${key.dataType}`);
    const lock = this.lockForWriting(key);
    try {
      // Holding the lock, any _temp folder here is a dead writer's.
      return await DirectorySaver.open(this.folderPath(key), key, metadata, { lock, resume: this.resume });
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  async chunkStarts(key: DataKey): Promise<bigint[] | null> {
    const found = this.find(key);
    return found ? found.metadata.chunks.map((c) => c.start) : null;
  }

  /** Take the write lock of key's folder, or throw DataBeingWritten naming the writer. */
  lockForWriting(key: FolderKey): WriteLock {
    const folder = folderName(key);
    const what = `${key.dataType} of run ${key.runId} (${join(this.path, folder)})`;
    mkdirSync(this.path, { recursive: true });
    const got = tryLock(this.path, folder);
    if ('lock' in got) {
      // Finished by another writer after this process found it missing: read it instead.
      if (!this.replaceComplete && this.isComplete(key)) {
        got.lock.release();
        throw new DataBeingWritten(`${what} was written by another process meanwhile`, async () => {});
      }
      return got.lock;
    }
    const lockFile = join(this.path, lockFileName(folder));
    if (got.owner === 'unreadable')
      throw new DataBeingWritten(`${what} is being written (lock file ${lockFile} just created)`, () =>
        waitForLock(this.path, folder),
      );
    const who = describeOwner(got.owner);
    if (got.state === 'this-process')
      throw new StorageError(`${what} is already being written by this process: two savers for one folder`);
    if (got.state === 'unknown' && got.ageMs > REMOTE_LOCK_STALE_MS)
      throw new DataBeingWritten(
        `${what} is being written by ${who}, whose lock ${lockFile} was last refreshed ${Math.round(got.ageMs / 60_000)} min ago; if that process is gone, delete the lock file and the _temp folder`,
        null,
      );
    throw new DataBeingWritten(`${what} is being written by ${who}`, () => waitForLock(this.path, folder));
  }

  private isComplete(key: FolderKey): boolean {
    try {
      return this.find(key) !== null;
    } catch {
      return false;
    }
  }

  /** Every data folder here (complete or not), for listing. */
  entries(): StoredEntry[] {
    if (!existsSync(this.path)) return [];
    const out: StoredEntry[] = [];
    for (const name of readdirSync(this.path).sort()) {
      const temp = name.endsWith('_temp');
      const key = parseFolderName(temp ? name.slice(0, -5) : name);
      if (!key) continue;
      const dir = join(this.path, name);
      if (!statSync(dir).isDirectory()) continue;
      out.push(describeFolder(dir, key, temp));
    }
    return out;
  }

  /** Folders of one run and data type (any lineage). */
  keysFor(runId: string, dataType: string): FolderKey[] {
    if (!existsSync(this.path)) return [];
    return readdirSync(this.path)
      .sort()
      .map(parseFolderName)
      .filter(
        (k): k is FolderKey =>
          k !== null && k.runId === runId && k.dataType === dataType && !k.lineageHash.endsWith('_temp'),
      );
  }

  runMetadataPath(runId: string): string {
    return join(this.path, `${runId}-metadata.json`);
  }

  runMetadata(runId: string): { [key: string]: PyJson } {
    const file = this.runMetadataPath(runId);
    if (!existsSync(file)) throw new DataNotAvailable(`no run metadata for ${runId}: ${file} does not exist`);
    return pyJsonParse(readFileSync(file, 'utf8'), file) as { [key: string]: PyJson };
  }

  writeRunMetadata(runId: string, metadata: { [key: string]: unknown }): void {
    if (this.readonly) throw new ReadOnlyStorage(`${this.path} is read-only; cannot write run metadata`);
    const md = { name: runId, ...metadata };
    writeFileSync(this.runMetadataPath(runId), pyJsonDumps(md, { sortKeys: true, indent: 4 }));
  }
}

export interface StoredEntry {
  key: FolderKey;
  dir: string;
  temp: boolean;
  complete: boolean;
  metadata: DataMetadata | null;
  /** Why the folder is unusable, if it is. */
  problem?: string;
  sizeOnDisk: number;
}

function describeFolder(dir: string, key: FolderKey, temp: boolean): StoredEntry {
  let sizeOnDisk = 0;
  for (const f of readdirSync(dir)) sizeOnDisk += statSync(join(dir, f)).size;
  try {
    const metadata = readMetadata(join(dir, metadataFileName(key.dataType, key.lineageHash)));
    const problem =
      metadata.exception !== undefined
        ? 'writing failed'
        : !metadata.writingEnded || temp
          ? writerOf(dir, key, temp)
          : (chunkFileProblem(dir, metadata) ?? undefined);
    const entry: StoredEntry = { key, dir, temp, complete: problem === undefined, metadata, sizeOnDisk };
    if (problem) entry.problem = problem;
    return entry;
  } catch (e) {
    return { key, dir, temp, complete: false, metadata: null, problem: (e as Error).message, sizeOnDisk };
  }
}

/** An unfinished folder's state: its writer named, or abandoned by one that is gone. */
function writerOf(dir: string, key: FolderKey, temp: boolean): string {
  if (!temp) return 'writing not finished';
  const owner = readLockOwner(join(dirname(dir), lockFileName(folderName(key))));
  if (owner === null || owner === 'unreadable') return 'writing not finished';
  return ownerState(owner) === 'dead'
    ? `writing not finished; its writer, ${describeOwner(owner)}, is gone`
    : `being written by ${describeOwner(owner)}`;
}

function checkRunId(runId: string): void {
  if (runId.includes('-'))
    throw new Error(`run id '${runId}' contains '-', which a data directory cannot hold; use '_'`);
}

/** One chunk file's rows as bytes (numpy's packed layout), checked against the metadata: size
 * on disk is the recorded checksum's, decoded length the recorded rows'. */
export async function readChunkBytes(dir: string, md: DataMetadata, info: ChunkInfo): Promise<Uint8Array> {
  if (info.n === 0) return new Uint8Array(0);
  const file = join(dir, info.filename!);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataCorrupted(
      code === 'ENOENT' ? `${file}: chunk file is missing` : `${file}: cannot read (${code})`,
    );
  }
  if (info.checksum !== undefined) {
    const bad = checksumMismatch(bytes, info.checksum);
    if (bad) throw new DataCorrupted(`${file}: damaged chunk file (${bad})`);
  }
  let raw: Uint8Array;
  try {
    raw = await getCodec(md.compressor, file).decompress(bytes, info.nbytes);
  } catch (e) {
    if (e instanceof UnknownCompressorError) throw new DataCorrupted(e.message);
    const why = e instanceof CorruptDataError ? e.message : `${md.compressor}: ${(e as Error).message}`;
    throw new DataCorrupted(`${file}: corrupt chunk (${why})`);
  }
  if (raw.length !== info.n * md.dtype.itemsize) {
    throw new DataCorrupted(
      `${file}: chunk holds ${raw.length} bytes, but the metadata says ${info.n} rows of ${md.dtype.itemsize} bytes`,
    );
  }
  return raw;
}

/** Read and decode one chunk file. */
export async function readChunk(dir: string, md: DataMetadata, info: ChunkInfo): Promise<Chunk> {
  let data: Records;
  if (info.n === 0) data = Records.empty(md.dtype, 0);
  else {
    data = Records.fromBytes(md.dtype, await readChunkBytes(dir, md, info));
    markSoleOwner(data);
  }
  return new Chunk({
    runId: info.runId,
    dataType: md.dataType,
    dataKind: md.dataKind,
    start: info.start,
    end: info.end,
    data,
    targetSizeMb: md.chunkTargetSizeMb,
  });
}

/** Chunks in order (those overlapping timeRange, if given), reading one chunk ahead. */
export async function* loadChunks(
  dir: string,
  md: DataMetadata,
  timeRange?: readonly [bigint, bigint],
): AsyncIterable<Chunk> {
  const infos = md.chunks.filter((c) => !timeRange || (c.end > timeRange[0] && c.start < timeRange[1]));
  let next: Promise<Chunk> | null = infos.length ? readChunk(dir, md, infos[0]!) : null;
  for (let i = 0; i < infos.length; i++) {
    const current = next!;
    next = i + 1 < infos.length ? readChunk(dir, md, infos[i + 1]!) : null;
    // Keep a failing read-ahead from surfacing as an unhandled rejection.
    next?.catch(() => undefined);
    yield await current;
  }
}
