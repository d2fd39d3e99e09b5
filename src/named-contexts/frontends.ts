// Storage frontends as a context assembles them: a view of another frontend that is read-only
// and/or only offers some data types (straxer's --add_folder, --only_strax_data and
// --from_scratch), and a frontend that only knows run starts and ends (for progress and for
// corrections valid at the run start) when no runs database holds the run.

import type { Chunk } from '../core/chunk.js';
import type { RunMetadataSource } from '../core/context/run-extent.js';
import type { DataKey, LoadOptions, SaveMetadata, Saver, StorageFrontend } from '../core/storage-api.js';
import { DataNotAvailable, ReadOnlyStorage } from '../storage/errors.js';

export interface RestrictOptions {
  readonly?: boolean;
  /** Only these data types are offered (strax's take_only); others look absent. */
  takeOnly?: readonly string[];
}

/** Run metadata from a frontend that may not have it (null instead of an error). */
export async function runMetadataOf(
  fe: StorageFrontend,
  runId: string,
): Promise<Record<string, unknown> | null> {
  const src = fe as Partial<RunMetadataSource>;
  if (typeof src.runMetadata !== 'function') return null;
  try {
    return (await src.runMetadata.call(fe, runId)) ?? null;
  } catch {
    return null;
  }
}

export class RestrictedFrontend implements StorageFrontend, RunMetadataSource {
  readonly name: string;
  readonly readonly: boolean;

  constructor(
    readonly inner: StorageFrontend,
    private readonly opts: RestrictOptions,
  ) {
    this.readonly = inner.readonly || (opts.readonly ?? false);
    const notes = [
      this.readonly ? 'read-only' : '',
      opts.takeOnly ? `only ${opts.takeOnly.join(', ')}` : '',
    ].filter(Boolean);
    this.name = notes.length ? `${inner.name} [${notes.join('; ')}]` : inner.name;
  }

  private offers(dataType: string): boolean {
    return !this.opts.takeOnly || this.opts.takeOnly.includes(dataType);
  }

  async isStored(key: DataKey, opts?: { allowIncomplete?: boolean }): Promise<boolean> {
    return this.offers(key.dataType) && this.inner.isStored(key, opts);
  }

  load(key: DataKey, opts?: LoadOptions): AsyncIterable<Chunk> {
    if (!this.offers(key.dataType)) throw new DataNotAvailable(`${this.name} does not offer ${key.dataType}`);
    return this.inner.load(key, opts);
  }

  async saver(key: DataKey, metadata: SaveMetadata): Promise<Saver> {
    if (this.readonly) throw new ReadOnlyStorage(`${this.name} is read-only; cannot save ${key.dataType}`);
    // Planning skips this frontend instead of failing.
    if (!this.offers(key.dataType)) throw new DataNotAvailable(`${this.name} does not take ${key.dataType}`);
    return this.inner.saver(key, metadata);
  }

  async chunkStarts(key: DataKey): Promise<bigint[] | null> {
    if (!this.offers(key.dataType) || !this.inner.chunkStarts) return null;
    return this.inner.chunkStarts(key);
  }

  runMetadata(runId: string): Promise<Record<string, unknown> | null> {
    return runMetadataOf(this.inner, runId);
  }
}

/** The innermost frontend behind any RestrictedFrontend views. */
export function unwrapFrontend(fe: StorageFrontend): StorageFrontend {
  return fe instanceof RestrictedFrontend ? unwrapFrontend(fe.inner) : fe;
}

/** Run start/end (ns since the epoch) known to the caller; holds no data. */
export class RunInfoFrontend implements StorageFrontend, RunMetadataSource {
  readonly name = 'run info';
  readonly readonly = true;
  private readonly runs = new Map<string, { start: bigint; end: bigint | null }>();

  set(runId: string, start: bigint, end: bigint | null): void {
    this.runs.set(runId, { start, end });
  }

  async isStored(): Promise<boolean> {
    return false;
  }

  load(key: DataKey): AsyncIterable<Chunk> {
    throw new DataNotAvailable(`no ${key.dataType} data in ${this.name}`);
  }

  async saver(key: DataKey): Promise<Saver> {
    throw new ReadOnlyStorage(`${this.name} holds no data; cannot save ${key.dataType}`);
  }

  runMetadata(runId: string): Record<string, unknown> | null {
    const r = this.runs.get(runId);
    return r ? { start: r.start, end: r.end } : null;
  }
}
