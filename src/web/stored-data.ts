// What microstrax serves: the stored data a read-only context finds, by run and data type.

import { readdirSync } from 'node:fs';
import type { Chunk } from '../core/chunk.js';
import type { DataKey } from '../core/storage-api.js';
import type { Context } from '../core/context/context.js';
import { dataDirectoriesOf, findStoredData } from '../named-contexts/read-only.js';
import type { StraxtsContext } from '../named-contexts/contexts.js';
import { parseFolderName } from '../storage/data-directory.js';
import type { DataMetadata } from '../storage/metadata.js';
import type { RunDb } from '../rundb/rundb.js';
import { notFound } from './http-error.js';

const SECOND = 1_000_000_000n;

export interface StoredType {
  data_type: string;
  lineage_hash: string;
  rows: number;
  chunks: number;
  /** Uncompressed bytes (as strax's size_mb counts them). */
  nbytes: number;
  /** false while the data is still being written. */
  complete: boolean;
}

/** Keys remembered at most (run ids are checked, but any number of them may be asked for). */
const MAX_KEYS = 100_000;
/** Runs of the runs database listed by /runs (newest first; older ones are asked for by number). */
export const RUNDB_RUNS = 50;

export class StoredData {
  readonly context: Context;
  readonly dataTypes: readonly string[];
  /** (run, type) → key: building the plugin graph for a lineage takes milliseconds. */
  private readonly keys = new Map<string, DataKey>();

  constructor(
    readonly sc: StraxtsContext,
    /** The runs database the context reads, for listing its runs. */
    private readonly runDb: RunDb | null = null,
  ) {
    this.context = sc.context;
    this.dataTypes = [...sc.dataTypes].sort();
  }

  checkType(target: string): void {
    if (!this.dataTypes.includes(target))
      throw notFound(
        `unknown data type '${target}': context ${this.sc.name} knows ${this.dataTypes.join(', ')}`,
      );
  }

  /** The key (lineage hash) of a run's data type under this context. */
  keyFor(runId: string, dataType: string): DataKey {
    const id = `${runId}/${dataType}`;
    let key = this.keys.get(id);
    if (!key) {
      if (this.keys.size >= MAX_KEYS) this.keys.clear();
      key = this.context.keyFor(runId, dataType);
      this.keys.set(id, key);
    }
    return key;
  }

  /** Metadata of stored data (404 when there is none). */
  async locate(runId: string, target: string): Promise<DataMetadata> {
    this.checkType(target);
    const key = this.keyFor(runId, target);
    const found = await findStoredData(this.context.storage, key);
    if (!found) {
      const stored = (await this.typesOf(runId)).map((t) => t.data_type);
      const hint = stored.length
        ? `stored for it: ${stored.join(', ')}`
        : 'nothing of this run is stored (see /runs)';
      throw notFound(`no ${target} of run ${runId} (lineage hash ${key.lineageHash}) is stored; ${hint}`);
    }
    return found.metadata;
  }

  /** strax's estimate of the run start (ns): run metadata, else the first chunk floored to seconds. */
  async runStart(runId: string, md: DataMetadata): Promise<bigint> {
    const ext = await this.context.runExtent(runId, []);
    if (ext) return ext[0];
    const first = md.chunks[0];
    return first ? (first.start / SECOND) * SECOND : 0n;
  }

  /** Chunks of the target in a time range, through the context's load path (it cannot compute). */
  iterate(
    runId: string,
    target: string,
    timeRange: readonly [bigint, bigint],
    selection?: string,
  ): AsyncGenerator<Chunk> {
    return this.context.getIter(runId, target, {
      timeRange,
      ...(selection !== undefined ? { selection } : {}),
    });
  }

  /** Data types stored for a run under this context's lineage. */
  async typesOf(runId: string): Promise<StoredType[]> {
    const out: StoredType[] = [];
    for (const t of this.dataTypes) {
      const key = this.keyFor(runId, t);
      const found = await findStoredData(this.context.storage, key).catch(() => null);
      if (!found) continue;
      const c = found.metadata.chunks;
      out.push({
        data_type: t,
        lineage_hash: key.lineageHash,
        rows: c.reduce((s, x) => s + x.n, 0),
        chunks: c.length,
        nbytes: c.reduce((s, x) => s + x.nbytes, 0),
        complete: found.metadata.writingEnded && !found.dir.endsWith('_temp'),
      });
    }
    return out;
  }

  /** Run ids with any data folder (complete or being written) in the context's data folders,
   * and the newest RUNDB_RUNS runs of the runs database. */
  async runIds(): Promise<string[]> {
    const ids = new Set<string>();
    if (this.runDb) {
      const runs = await this.runDb.listRuns({}, { order: 'start' });
      for (const r of runs.slice(0, RUNDB_RUNS)) ids.add(String(r.number).padStart(6, '0'));
    }
    for (const dir of dataDirectoriesOf(this.context.storage)) {
      let names: string[];
      try {
        names = readdirSync(dir.path);
      } catch {
        continue; // a folder that is not there (yet) holds no runs
      }
      for (const name of names) {
        const key = parseFolderName(name.replace(/_temp$/, ''));
        if (key) ids.add(key.runId);
      }
    }
    return [...ids].sort();
  }
}
