// straxen's RunDB storage frontend: data is found through the runs database. A data entry for
// (run, type, lineage hash) on this host (or one of its aliases) gives a folder
// `<root>/<run_id>-<type>-<hash>`, read with the data-directory frontend. Saving registers the
// entry before any byte is written (as straxen), status `transferring`, then `complete` when the
// data-directory saver has closed (`failed` if it failed).

import { hostname as osHostname } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import type { Chunk } from '../core/chunk.js';
import type { DataKey, LoadOptions, SaveMetadata, Saver, StorageFrontend } from '../core/storage-api.js';
import type { DataEntry, RunDb, RunDoc } from '../rundb/rundb.js';
import { DataDirectory, folderName } from './data-directory.js';
import { DataNotAvailable, ReadOnlyStorage, StorageError } from './errors.js';

/** Host of remote (Rucio) replicas: never local data. */
export const RUCIO_HOST = 'rucio-catalogue';

export interface RunDbFrontendOptions {
  /** Root folder for new data (straxen's new_data_path); without it the frontend is read-only. */
  newDataPath?: string;
  readonly?: boolean;
  /** This host's name as data entries record it (default: the OS host name). */
  hostname?: string;
  /** Other host names whose entries are readable here (straxen's aliases such as `dali`). */
  hostAliases?: readonly string[];
  /** Replace data already stored complete for the key (default: refuse, as strax). */
  overwrite?: boolean;
  /** Savers mirror their uncut rows so that a rerun after a crash resumes (default true). Off
   * on the DAQ's hosts: the mirror doubles the disk a run takes until its files are cut, and
   * bootstrax retries a failed run from the start anyway. */
  resume?: boolean;
}

/** strax run ids of XENONnT runs are zero-padded run numbers; others (superruns `_...`) are not here. */
function runNumberOf(runId: string): number | undefined {
  return /^\d+$/.test(runId) ? Number(runId) : undefined;
}

export class RunDbFrontend implements StorageFrontend {
  readonly name: string;
  readonly readonly: boolean;
  readonly hostname: string;
  private readonly hosts: string[];

  constructor(
    private readonly db: RunDb,
    private readonly opts: RunDbFrontendOptions = {},
  ) {
    this.readonly = opts.readonly ?? opts.newDataPath === undefined;
    this.hostname = opts.hostname ?? osHostname();
    this.hosts = [this.hostname, ...(opts.hostAliases ?? [])];
    this.name = `RunDbFrontend(${db.display})`;
  }

  /** Entries of the key readable on this host whose folder name matches the key, oldest first. */
  private async entries(key: DataKey): Promise<DataEntry[]> {
    const run = runNumberOf(key.runId);
    if (run === undefined) return [];
    const found = await this.db.findData(run, key.dataType, key.lineageHash, { hosts: this.hosts });
    const folder = folderName(key);
    return found.filter((e) => e.host !== RUCIO_HOST && basename(e.location) === folder);
  }

  /** The data directory holding the first registered copy (complete, or incomplete if allowed). */
  async locate(key: DataKey, allowIncomplete = false): Promise<DataDirectory | undefined> {
    for (const e of await this.entries(key)) {
      const dir = new DataDirectory(dirname(e.location), { readonly: true, create: false });
      if (await dir.isStored(key, { allowIncomplete })) return dir;
    }
    return undefined;
  }

  async chunkStarts(key: DataKey): Promise<bigint[] | null> {
    const dir = await this.locate(key);
    return dir ? dir.chunkStarts(key) : null;
  }

  async isStored(key: DataKey, opts: { allowIncomplete?: boolean } = {}): Promise<boolean> {
    return (await this.locate(key, opts.allowIncomplete ?? false)) !== undefined;
  }

  async *load(key: DataKey, opts: LoadOptions = {}): AsyncIterable<Chunk> {
    const dir = await this.locate(key, opts.allowIncomplete ?? false);
    if (!dir) {
      const registered = await this.entries(key);
      const where = registered.length
        ? `registered at ${registered.map((e) => e.location).join(', ')} but not complete there`
        : `not registered for host ${this.hostname} in ${this.db.display}`;
      throw new DataNotAvailable(`${key.dataType} of run ${key.runId} (hash ${key.lineageHash}) is ${where}`);
    }
    yield* dir.load(key, opts);
  }

  async saver(key: DataKey, metadata: SaveMetadata): Promise<Saver> {
    if (this.readonly || this.opts.newDataPath === undefined) {
      throw new ReadOnlyStorage(
        `${this.name} is read-only (no folder for new data); cannot save ${key.dataType}`,
      );
    }
    const run = runNumberOf(key.runId);
    if (run === undefined) {
      throw new DataNotAvailable(`${this.name} holds only numbered runs; ${key.runId} is saved elsewhere`);
    }
    if (!this.opts.overwrite && (await this.isStored(key))) {
      throw new StorageError(
        `${key.dataType} of run ${key.runId} (hash ${key.lineageHash}) is already stored and registered in ${this.db.display}; delete it or allow overwriting`,
      );
    }
    // Complete data there that the database does not list (or overwrite is asked for) is rewritten.
    const target = new DataDirectory(this.opts.newDataPath, {
      replaceComplete: true,
      resume: this.opts.resume ?? true,
    });
    // Absolute: the entry is read by other processes with other working directories.
    const location = resolve(target.folderPath(key));
    // The folder's write lock first (another process writing it makes this throw), then the entry,
    // before any chunk is written (as straxen): a crash leaves an entry whose folder is only <location>_temp.
    const inner = await target.saver(key, metadata);
    let entry: DataEntry;
    try {
      entry = await this.db.registerData({
        run,
        type: key.dataType,
        host: this.hostname,
        location,
        lineageHash: key.lineageHash,
        lineage: key.lineage,
        status: 'transferring',
        meta: { lineage: key.lineage },
      });
    } catch (e) {
      await (inner.abandon ? inner.abandon() : inner.fail(e));
      throw e;
    }
    return new RegisteringSaver(this.db, entry.id, inner);
  }

  /** The run document, as straxen's RunDB frontend provides run metadata. */
  async runMetadata(runId: string): Promise<Record<string, unknown> | null> {
    const run = runNumberOf(runId);
    if (run === undefined) return null;
    const doc = await this.db.getRun(run);
    return doc ? runMetadataOf(doc) : null;
  }
}

/** Run-document fields under straxen's names. */
function runMetadataOf(doc: RunDoc): Record<string, unknown> {
  return {
    ...doc.extra,
    number: doc.number,
    name: doc.name ?? String(doc.number).padStart(6, '0'),
    start: doc.start,
    end: doc.end,
    mode: doc.mode,
    detectors: doc.detectors,
    source: doc.source,
    tags: doc.tags,
    comments: doc.comments,
    status: doc.status,
    rate: doc.rate,
    daq_config: doc.daqConfig,
    bootstrax: doc.bootstrax,
    data: doc.data,
  };
}

class RegisteringSaver implements Saver {
  constructor(
    private readonly db: RunDb,
    private readonly entryId: number,
    private readonly inner: Saver,
  ) {}

  get keptUntil(): bigint | null {
    return this.inner.keptUntil ?? null;
  }

  get keptChunks(): number {
    return this.inner.keptChunks ?? 0;
  }

  save(chunk: Chunk): Promise<void> {
    return this.inner.save(chunk);
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.db.updateData(this.entryId, { status: 'complete' });
  }

  async fail(error: unknown): Promise<void> {
    try {
      await this.inner.fail(error);
    } finally {
      await this.db.updateData(this.entryId, { status: 'failed' }).catch(() => undefined);
    }
  }

  async abandon(): Promise<void> {
    await this.db.updateData(this.entryId, { status: 'failed' }).catch(() => undefined);
    await (this.inner.abandon ? this.inner.abandon() : this.inner.fail(new Error('abandoned')));
  }
}
