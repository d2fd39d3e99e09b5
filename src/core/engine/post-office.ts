// Pull-based message bus between producers (loaders, plugins) and their readers (as strax's
// PostOffice): a topic is a data type; readers pull numbered chunks; a message is kept only
// until every reader has it; savers are spies that see each chunk the moment it is produced
// and are closed when their topic ends. Rechunking on save is the saver's job (SaveMetadata.rechunk).

import type { Chunk } from '../chunk.js';
import type { Saver } from '../storage-api.js';
import type { Outputs } from './output.js';
import { unpinned } from './unpinned.js';

export class SaverSpy {
  state: 'open' | 'closed' | 'failed' = 'open';
  /** Saves still running (compression on the thread pool, file writes), oldest first. */
  private inflight: Promise<void>[] = [];
  private error: { e: unknown } | null = null;

  /** `maxInflight` chunks may be saving while processing goes on (order is kept). */
  constructor(
    readonly dataType: string,
    readonly savers: readonly Saver[],
    private readonly maxInflight = 2,
  ) {}

  async receive(chunk: Chunk): Promise<void> {
    this.rethrow();
    const prev = this.inflight[this.inflight.length - 1] ?? Promise.resolve();
    const p = prev
      .then(async () => {
        if (this.error) return;
        for (const s of this.savers) await s.save(chunk);
      })
      .catch((e: unknown) => {
        this.error ??= { e };
      });
    this.inflight.push(p);
    while (this.inflight.length > this.maxInflight) await this.inflight.shift();
    this.rethrow();
  }

  async close(): Promise<void> {
    if (this.state !== 'open') return;
    await this.settle();
    this.rethrow();
    this.state = 'closed';
    for (const s of this.savers) await s.close();
  }

  /** Record the failure in every saver; never throws (the original error matters more). */
  async fail(error: unknown): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'failed';
    await this.settle();
    for (const s of this.savers) {
      try {
        await s.fail(error);
      } catch {
        /* keep failing the others */
      }
    }
  }

  private async settle(): Promise<void> {
    while (this.inflight.length) await this.inflight.shift();
  }

  private rethrow(): void {
    if (this.error) throw this.error.e;
  }
}

interface Producer {
  name: string;
  iter: AsyncIterator<Outputs>;
  topics: string[];
  exhausted: boolean;
  error: unknown;
  lock: Promise<void>;
}

interface Topic {
  producer: Producer;
  readers: Map<string, number>;
  spies: SaverSpy[];
  mail: Map<number, Chunk>;
  produced: number;
  exhausted: boolean;
}

export class PostOffice {
  private readonly topics = new Map<string, Topic>();
  private readonly producers: Producer[] = [];

  addProducer(name: string, topics: readonly string[], iter: AsyncIterator<Outputs>): void {
    const p: Producer = {
      name,
      iter,
      topics: [...topics],
      exhausted: false,
      error: undefined,
      lock: Promise.resolve(),
    };
    this.producers.push(p);
    for (const t of topics) {
      if (this.topics.has(t)) throw new Error(`${t} already has a producer`);
      this.topics.set(t, {
        producer: p,
        readers: new Map(),
        spies: [],
        mail: new Map(),
        produced: 0,
        exhausted: false,
      });
    }
  }

  private topic(name: string): Topic {
    const t = this.topics.get(name);
    if (!t) throw new Error(`nothing produces ${name}`);
    return t;
  }

  addReader(topic: string, reader: string): void {
    this.topic(topic).readers.set(reader, 0);
  }

  addSpy(topic: string, spy: SaverSpy): void {
    this.topic(topic).spies.push(spy);
  }

  /** Does exactly one reader, and no saver, take this topic's chunks? */
  isSoleReader(topic: string): boolean {
    const t = this.topic(topic);
    return t.readers.size === 1 && t.spies.length === 0;
  }

  spies(): SaverSpy[] {
    return [...this.topics.values()].flatMap((t) => t.spies);
  }

  read(topic: string, reader: string): AsyncGenerator<Chunk> {
    let n = 0;
    let found: Topic | null = null; // looked up on the first read: producers may register later
    // unpinned: this reader's generator does not keep the chunk it handed out last
    return unpinned(async () => {
      const t = (found ??= this.topic(topic));
      if (!t.readers.has(reader)) throw new Error(`${reader} is not a registered reader of ${topic}`);
      while (n >= t.produced && !t.exhausted)
        await this.pull(t.producer, () => n >= t.produced && !t.exhausted);
      if (n >= t.produced) return undefined;
      const c = t.mail.get(n)!;
      t.readers.set(reader, ++n);
      let low = Infinity;
      for (const v of t.readers.values()) if (v < low) low = v;
      for (const k of t.mail.keys()) if (k < low) t.mail.delete(k);
      return c;
    });
  }

  /** Run a producer until it ends (for savers of outputs nobody reads). */
  async drain(topic: string): Promise<void> {
    const t = this.topic(topic);
    while (!t.exhausted) await this.pull(t.producer, () => !t.exhausted);
  }

  isExhausted(topic: string): boolean {
    return this.topic(topic).exhausted;
  }

  /** One step of a producer; serialised, and skipped when another reader's pull already served. */
  private async pull(p: Producer, stillNeeded: () => boolean): Promise<void> {
    const run = p.lock.then(async () => {
      if (p.error !== undefined) throw p.error;
      if (p.exhausted || !stillNeeded()) return;
      let r: IteratorResult<Outputs>;
      try {
        r = await p.iter.next();
      } catch (e) {
        p.error = e;
        throw e;
      }
      if (r.done) {
        p.exhausted = true;
        for (const name of p.topics) {
          const t = this.topics.get(name)!;
          t.exhausted = true;
          for (const s of t.spies) await s.close();
        }
        return;
      }
      for (const [type, chunk] of r.value) {
        const t = this.topics.get(type);
        if (!t || t.producer !== p) continue; // e.g. an output that is loaded from storage instead
        for (const s of t.spies) await s.receive(chunk);
        if (t.readers.size) t.mail.set(t.produced, chunk);
        t.produced++;
      }
    });
    p.lock = run.catch(() => {});
    await run;
  }

  /** Stop every producer (releases loaders and plugin generators). */
  async stop(): Promise<void> {
    for (const p of this.producers) {
      if (p.exhausted) continue;
      try {
        await p.iter.return?.(undefined);
      } catch {
        /* already failing */
      }
    }
  }
}
