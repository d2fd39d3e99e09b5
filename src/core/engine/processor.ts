// Wire a processing plan into the post office and pull the targets through it. Any error stops
// the run, every saver still open records the failure (never complete-looking), and the error
// (already naming plugin, run and chunk) is re-raised.

import type { Chunk } from '../chunk.js';
import type { Plugin } from '../plugin.js';
import type { Saver } from '../storage-api.js';
import { ProcessingInterrupted } from './errors.js';
import type { Outputs } from './output.js';
import { WorkerPool } from './pool.js';
import { PostOffice, SaverSpy } from './post-office.js';
import { runPlugin } from './runner.js';
import { dependenciesByKind } from './sync.js';
import { Taker, unpinned } from './unpinned.js';
import type { InitMessage } from './worker.js';

export interface PlannedSave {
  savers: Saver[];
}

export interface ProcessingPlan {
  runId: string;
  /** Data types computed here → their plugin (a multi-output plugin appears under each). */
  compute: Map<string, Plugin>;
  /** Data types loaded from storage → their chunks. */
  load: Map<string, () => AsyncIterable<Chunk>>;
  save: Map<string, PlannedSave>;
  /** Data kind of every data type involved. */
  kindOf: (dataType: string) => string;
}

export interface EngineOptions {
  /** Threads that compute, this one included: parallel plugins go to `workers - 1` worker
   * threads (≤ 1: everything in this thread). */
  workers: number;
  /** Chunks in flight per parallel plugin. */
  maxMessages: number;
  /** How to set up a plugin in a worker, or null to keep it in this thread. */
  workerInit?: (plugin: Plugin, key: string) => InitMessage | null;
}

function loaderOutputs(dataType: string, source: () => AsyncIterable<Chunk>): AsyncGenerator<Outputs> {
  const chunks = Taker.of(source());
  return unpinned(
    async () => ((await chunks.more()) ? new Map([[dataType, chunks.take()]]) : undefined),
    () => chunks.close(),
  );
}

export class Processor {
  private readonly po = new PostOffice();
  private pool: WorkerPool | null = null;
  private readonly inits = new Map<Plugin, InitMessage>();
  private finished = false;

  constructor(
    private readonly plan: ProcessingPlan,
    readonly targets: readonly string[],
    opts: EngineOptions,
  ) {
    const plugins = new Map<Plugin, string>();
    for (const [d, p] of plan.compute) if (!plugins.has(p)) plugins.set(p, d);

    const inits = this.inits;
    if (opts.workers > 1 && opts.workerInit) {
      // `workers` threads compute, this one included: the pool has one thread fewer.
      const threads = opts.workers - 1;
      // The parallel plugins compute in the pool; this thread reads, decodes and saves, runs
      // the serial plugins and the light parallel ones (computeOnPool false), and passes chunks
      // on. (Keeping the first stage, records, here made this thread the bottleneck: the pool
      // thread waited on it for a third of the run.)
      const parallel = [...plugins.keys()].filter((p) => p.parallel && p.computeOnPool);
      for (const p of parallel) {
        const init = opts.workerInit(p, WorkerPool.newKey(p.className));
        if (init) inits.set(p, init);
      }
      if (inits.size) {
        this.pool = WorkerPool.shared(threads);
        for (const init of inits.values()) this.pool.register(init);
      }
    }

    for (const [d, source] of plan.load) this.po.addProducer(`load ${d}`, [d], loaderOutputs(d, source));
    const handOvers = new Map<Plugin, Set<string>>();
    for (const [p, first] of plugins) {
      // Outputs that are loaded instead keep their loader; the plugin's copy is dropped.
      const topics = p.provides.filter((d) => plan.compute.get(d) === p);
      const iters: Record<string, AsyncIterator<Chunk>> = {};
      for (const dep of p.dependsOn) iters[dep] = this.po.read(dep, first);
      const init = inits.get(p);
      const gen = runPlugin(p, iters, {
        kindOf: plan.kindOf,
        pool: init ? this.pool : null,
        poolKey: init ? init.pluginKey : null,
        inflight: p.maxMessages ?? opts.maxMessages,
        handOver: init ? handOvers.set(p, new Set()).get(p) : undefined,
      });
      this.po.addProducer(p.className, topics, gen);
    }
    // Readers are registered before anything runs, so no message is dropped early.
    for (const [p, first] of plugins) for (const dep of p.dependsOn) this.po.addReader(dep, first);
    for (const t of targets) this.po.addReader(t, `FINAL ${t}`);
    for (const [d, s] of plan.save) this.po.addSpy(d, new SaverSpy(d, s.savers));

    // Rows of a kind may move to a worker uncopied when each of its data types comes from storage
    // or from the pool (fresh memory nothing else holds), has this plugin as its only reader, and
    // no saver.
    const fresh = (d: string): boolean => {
      const maker = plan.compute.get(d);
      return maker ? inits.has(maker) : plan.load.has(d);
    };
    for (const [p, kinds] of handOvers) {
      for (const [kind, deps] of dependenciesByKind(p.dependsOn, plan.kindOf))
        if (deps.every((d) => fresh(d) && this.po.isSoleReader(d))) kinds.add(kind);
    }
  }

  /** Chunks of one target, in order. */
  async *iter(target: string): AsyncGenerator<Chunk> {
    try {
      for await (const c of this.po.read(target, `FINAL ${target}`)) yield c;
      await this.finish();
    } catch (e) {
      await this.abort(e);
      throw e;
    } finally {
      if (!this.finished)
        await this.abort(new ProcessingInterrupted('processing was stopped before the end of the data'));
    }
  }

  /** Pull every target to the end (round-robin, so memory stays flat), discarding chunks;
   * stop with the signal's reason when it is aborted. */
  async drainAll(onChunk?: (target: string, c: Chunk) => void, signal?: AbortSignal): Promise<void> {
    const its = this.targets.map((t) => [t, this.iterRaw(t)] as const);
    try {
      let active = [...its];
      while (active.length) {
        const next: typeof active = [];
        for (const [t, it] of active) {
          // A stop request (signal, timeout) fails the savers like any error: nothing looks complete.
          signal?.throwIfAborted();
          const r = await it.next();
          if (!r.done) {
            onChunk?.(t, r.value);
            next.push([t, it]);
          }
        }
        active = next;
      }
      await this.finish();
    } catch (e) {
      await this.abort(e);
      throw e;
    } finally {
      if (!this.finished)
        await this.abort(new ProcessingInterrupted('processing was stopped before the end of the data'));
    }
  }

  private iterRaw(target: string): AsyncGenerator<Chunk> {
    return this.po.read(target, `FINAL ${target}`);
  }

  private async finish(): Promise<void> {
    // Savers of outputs nobody read to the end still get all their data.
    for (const [d] of this.plan.save) if (!this.po.isExhausted(d)) await this.po.drain(d);
    this.finished = true;
    this.releasePool();
  }

  private releasePool(): void {
    for (const init of this.inits.values()) this.pool?.release(init.pluginKey);
  }

  private async abort(e: unknown): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await Promise.all(this.po.spies().map((s) => s.fail(e)));
    await this.po.stop();
    this.releasePool();
  }
}
