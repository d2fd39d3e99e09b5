// What microstrax serves: the stored data a read-only context finds, by run and data type.

import type { Chunk } from '../core/chunk.js';
import type { Context } from '../core/context/context.js';
import { dataDirectoriesOf, findStoredData } from '../named-contexts/read-only.js';
import type { StraxtsContext } from '../named-contexts/contexts.js';
import type { DataMetadata } from '../storage/metadata.js';
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

export class StoredData {
  readonly context: Context;
  readonly dataTypes: readonly string[];

  constructor(readonly sc: StraxtsContext) {
    this.context = sc.context;
    this.dataTypes = [...sc.dataTypes].sort();
  }

  checkType(target: string): void {
    if (!this.dataTypes.includes(target))
      throw notFound(
        `unknown data type '${target}': context ${this.sc.name} knows ${this.dataTypes.join(', ')}`,
      );
  }

  /** Metadata of stored data (404 when there is none). */
  async locate(runId: string, target: string): Promise<DataMetadata> {
    this.checkType(target);
    const key = this.context.keyFor(runId, target);
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
      const key = this.context.keyFor(runId, t);
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

  /** Run ids with any data folder in the context's data folders, sorted. */
  runIds(): string[] {
    const ids = new Set<string>();
    for (const dir of dataDirectoriesOf(this.context.storage))
      for (const e of dir.entries()) ids.add(e.key.runId);
    return [...ids].sort();
  }
}
