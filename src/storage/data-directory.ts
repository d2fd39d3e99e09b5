// strax's DataDirectory: one folder RUN-TYPE-HASH per stored data type, holding the metadata
// JSON and one compressed file per non-empty chunk. Reads what strax wrote; writes what strax reads.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Chunk } from '../core/chunk.js';
import { pyJsonDumps, pyJsonParse, type PyJson } from '../core/python/json.js';
import { markSoleOwner } from '../core/engine/hand-over.js';
import { Records } from '../core/records.js';
import type { DataKey, LoadOptions, SaveMetadata, Saver, StorageFrontend } from '../core/storage-api.js';
import { CorruptDataError, getCodec, UnknownCompressorError } from './codecs/index.js';
import { DataCorrupted, DataIncomplete, DataNotAvailable, ReadOnlyStorage } from './errors.js';
import { metadataFileName, readMetadata, type ChunkInfo, type DataMetadata } from './metadata.js';
import { DirectorySaver } from './directory-saver.js';

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
}

export function folderName(key: FolderKey): string {
  return `${key.runId}-${key.dataType}-${key.lineageHash}`;
}

/** RUN-TYPE-HASH → its parts, or null for other names (strax splits on '-': exactly three parts). */
export function parseFolderName(name: string): FolderKey | null {
  const parts = name.split('-');
  if (parts.length !== 3 || parts.some((p) => p === '')) return null;
  return { runId: parts[0]!, dataType: parts[1]!, lineageHash: parts[2]! };
}

export class DataDirectory implements StorageFrontend {
  readonly name: string;
  readonly readonly: boolean;

  constructor(
    readonly path: string,
    opts: DataDirectoryOptions = {},
  ) {
    this.readonly = opts.readonly ?? false;
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

  async saver(key: DataKey, metadata: SaveMetadata): Promise<Saver> {
    if (this.readonly) throw new ReadOnlyStorage(`${this.path} is read-only; cannot save ${key.dataType}`);
    return DirectorySaver.open(this.folderPath(key), key, metadata);
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
          ? 'writing not finished'
          : undefined;
    const entry: StoredEntry = { key, dir, temp, complete: problem === undefined, metadata, sizeOnDisk };
    if (problem) entry.problem = problem;
    return entry;
  } catch (e) {
    return { key, dir, temp, complete: false, metadata: null, problem: (e as Error).message, sizeOnDisk };
  }
}

function checkRunId(runId: string): void {
  if (runId.includes('-'))
    throw new Error(`run id '${runId}' contains '-', which a data directory cannot hold; use '_'`);
}

/** Read and decode one chunk file. */
export async function readChunk(dir: string, md: DataMetadata, info: ChunkInfo): Promise<Chunk> {
  let data: Records;
  if (info.n === 0) data = Records.empty(md.dtype, 0);
  else {
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
    data = Records.fromBytes(md.dtype, raw);
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
