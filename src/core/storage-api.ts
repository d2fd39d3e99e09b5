// What the context needs from a place that stores data (a data directory, the runs database,
// ...). Implementations live in src/storage/; the context only sees this interface.

import type { Chunk } from './chunk.js';

/** Storage failures a user can act on; each message names the file, folder or data concerned. */
export class StorageError extends Error {}

/** The data is not here (not stored, not complete, or not offered by this frontend), or may
 * not be made: planning tries the next frontend, savers skip a frontend that throws it. */
export class DataNotAvailable extends StorageError {}

/** Another process is writing data this one was about to write. `waitUntilWritten` resolves
 * when that writer is done (then plan again: the data may be stored now); null when it cannot
 * be waited for (a writer on another host that stopped refreshing its lock). */
export class DataBeingWritten extends StorageError {
  constructor(
    message: string,
    readonly waitUntilWritten: (() => Promise<void>) | null,
  ) {
    super(message);
  }
}

/** Lineage as strax stores it: data type → [plugin class, version, tracked options]. */
export type Lineage = Record<string, [string, string, Record<string, unknown>]>;

export interface DataKey {
  runId: string;
  dataType: string;
  lineage: Lineage;
  /** strax's deterministic hash of the lineage (10 lower-case base32 characters). */
  lineageHash: string;
}

export interface LoadOptions {
  /** Only chunks overlapping [start, end) (the caller cuts rows exactly). */
  timeRange?: readonly [bigint, bigint];
  allowIncomplete?: boolean;
}

/** What strax writes into a data type's metadata besides the per-chunk entries. */
export interface SaveMetadata {
  runId: string;
  dataType: string;
  dataKind: string;
  /** numpy descr text */
  dtype: string;
  lineage: Lineage;
  lineageHash: string;
  compressor: string;
  chunkTargetSizeMb: number;
  /** Extra keys for the metadata JSON (e.g. resolved correction values). */
  extra?: Record<string, unknown>;
  /** Join and re-split chunks toward chunkTargetSizeMb before writing (strax's
   * rechunk_on_save; default true). */
  rechunk?: boolean;
  /** MB of rows buffered per file before they are compressed and written (default
   * DEFAULT_SAVE_BUFFER_MB); files are cut as strax cuts them whatever this is. */
  maxBufferMb?: number;
}

/** Files stream to disk in blocks of this size. Every output being written holds one block (a
 * chain to event_info_double writes ~14 at once, so 4 MB blocks held ~50 MB); compressed sizes
 * grow by under 1 % from 4 MB blocks to 1 MB. */
export const DEFAULT_SAVE_BUFFER_MB = 1;

export interface Saver {
  /** Save the next chunk (chunks arrive in order, contiguous). */
  save(chunk: Chunk): Promise<void>;
  /** Mark complete and move into place. */
  close(): Promise<void>;
  /** Record the failure; the data is never taken as complete. */
  fail(error: unknown): Promise<void>;
  /** Give up before anything was saved: remove what was prepared, leave no trace. */
  abandon?(): Promise<void>;
  /** Set when this saver continues a dead writer's unfinished output: its rows before this time
   * are on disk already, and rows saved again before it are dropped. */
  readonly keptUntil?: bigint | null;
  /** How many of the dead writer's chunk files were kept (with keptUntil). */
  readonly keptChunks?: number;
  /** How many kept rows start before t (null unless t < keptUntil). */
  keptRowsBefore?(t: bigint): Promise<number | null>;
}

export interface StorageFrontend {
  readonly name: string;
  /** A read-only frontend is never written to. */
  readonly readonly: boolean;
  /** Is complete data for this key stored here? */
  isStored(key: DataKey, opts?: { allowIncomplete?: boolean }): Promise<boolean>;
  /** Chunks of stored data, in order; throws a clear error if absent or incomplete. */
  load(key: DataKey, opts?: LoadOptions): AsyncIterable<Chunk>;
  /** A saver; throws DataBeingWritten when another process is writing key here. */
  saver(key: DataKey, metadata: SaveMetadata): Promise<Saver>;
  /** Start times of the stored chunks (complete data), where the frontend can tell cheaply:
   * a processing that resumes may start loading at one of them. */
  chunkStarts?(key: DataKey): Promise<bigint[] | null>;
}
