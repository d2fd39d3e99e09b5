// A small worker_threads pool for parallel-safe plugins: each task is one chunk of one plugin.
// Results come back as promises; callers await them in submission order, so output order never
// depends on which worker finished first.

import { availableParallelism } from 'node:os';
import { SHARE_ENV, Worker, type WorkerOptions } from 'node:worker_threads';
import type { ComputeResult } from '../plugin.js';
import type { Records } from '../records.js';
import { detachOnceEarly, isSoleOwned } from './hand-over.js';
import { recordsToWire, resultFromWire, type WireResult } from './transfer.js';
import type { ComputeMessage, InitMessage } from './worker.js';
import { WORKER_YOUNG_GENERATION_MB } from './memory-tuning.js';

interface Pending {
  resolve: (r: ComputeResult) => void;
  reject: (e: Error) => void;
}

function workerUrl(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './worker.ts' : './worker.js', here);
}

let sourceLoader: string | null = null;

/** Run from TypeScript sources (the test runner does), worker.ts needs a loader in each worker
 * thread: the module URL of an ESM API whose register() installs one (the test setup gives it). */
export function useSourceLoader(registerModuleUrl: string): void {
  sourceLoader = registerModuleUrl;
}

function spawn(): Worker {
  const url = workerUrl();
  // The environment is shared, not copied at start: settings mirrored there (option-resolver.ts)
  // reach threads started before the run was set up (WorkerPool.prestart).
  const options: WorkerOptions = {
    env: SHARE_ENV,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  };
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  if (!sourceLoader)
    throw new Error('worker threads cannot load worker.ts without a loader: call useSourceLoader() first');
  const code = `const m = await import(${JSON.stringify(sourceLoader)}); m.register(); await import(${JSON.stringify(url.href)});`;
  return new Worker(new URL('data:text/javascript,' + encodeURIComponent(code)), options);
}

/** Computing threads for a request of `workers`: at most one more than the cores. A chain is a
 * pipeline whose threads each wait part of the time (the main thread, reading and saving, waits
 * for records and peaklets about a third of it), so one thread beyond the cores can keep them
 * busy (bench000333 on two cores: 3 threads 8–11 % faster than 2 when the machine ran slow, 5 %
 * slower when it ran fast); more only add memory (a copy of every plugin each) and switching. */
export function usableWorkers(workers: number): number {
  return Math.min(workers, availableParallelism() + 1);
}

const shared = new Map<number, WorkerPool>();
let nextKey = 0;

export class WorkerPool {
  /** A pool of this size shared by successive processing runs (workers start once). Its threads
   * do not keep the process alive; closeShared() ends them explicitly. */
  static shared(size: number): WorkerPool {
    let p = shared.get(size);
    if (!p || p.closed) shared.set(size, (p = new WorkerPool(size)));
    return p;
  }

  /** Start the pool that processing with `workers` computing threads will use (capped at the
   * cores, as the context caps it): its threads boot (~0.15 s each) while this one still loads
   * modules and sets up the run. */
  static prestart(workers: number): void {
    const threads = usableWorkers(workers) - 1;
    if (threads >= 1) WorkerPool.shared(threads);
  }

  static async closeShared(): Promise<void> {
    const pools = [...shared.values()];
    shared.clear();
    await Promise.all(pools.map((p) => p.close()));
  }

  /** A key no other plugin in any run uses. */
  static newKey(name: string): string {
    return `${nextKey++}:${name}`;
  }

  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly inited: Set<string>[] = [];
  private readonly pending = new Map<number, Pending & { w: number }>();
  private nextTask = 0;
  private closed = false;
  private readonly inits = new Map<string, InitMessage>();
  /** Each registered plugin's own thread (registration order, round robin). */
  private readonly home = new Map<string, number>();
  private nextHome = 0;

  constructor(readonly size: number) {
    detachOnceEarly();
    for (let i = 0; i < size; i++) {
      const w = spawn();
      w.on('message', (m: { type: string; taskId: number; result?: WireResult; message?: string }) =>
        this.onMessage(i, m),
      );
      w.on('error', (e) => this.failWorker(i, e));
      w.on('exit', (code) => {
        if (!this.closed) this.failWorker(i, new Error(`worker thread exited with code ${code}`));
      });
      w.unref();
      this.workers.push(w);
      this.load.push(0);
      this.inited.push(new Set());
    }
  }

  /** Describe a plugin once; it is set up in its home thread at once, and in any other thread
   * before its first task there. */
  register(init: InitMessage): void {
    this.inits.set(init.pluginKey, init);
    const home = this.nextHome++ % this.size;
    this.home.set(init.pluginKey, home);
    // Set it up now: its thread imports and compiles the plugin while this one starts reading.
    this.workers[home]!.postMessage(init);
    this.inited[home]!.add(init.pluginKey);
  }

  /** Forget a plugin (end of a processing run): workers drop their instance. */
  release(pluginKey: string): void {
    this.inits.delete(pluginKey);
    this.home.delete(pluginKey);
    if (this.inits.size === 0) this.nextHome = 0;
    this.workers.forEach((w, i) => {
      if (this.inited[i]!.delete(pluginKey)) w.postMessage({ type: 'release', pluginKey });
    });
  }

  compute(
    pluginKey: string,
    inputs: Record<string, Records>,
    start: bigint,
    end: bigint,
    chunkI: number,
    /** Input kinds nothing else reads: their sole-owned buffers are transferred, not copied. */
    handOver: ReadonlySet<string> = new Set(),
  ): Promise<ComputeResult> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    const w = this.pick(pluginKey);
    if (!this.inited[w]!.has(pluginKey)) {
      const init = this.inits.get(pluginKey);
      if (!init) return Promise.reject(new Error(`plugin ${pluginKey} was not registered with the pool`));
      this.workers[w]!.postMessage(init);
      this.inited[w]!.add(pluginKey);
    }
    const taskId = this.nextTask++;
    // Posting a view clones its whole buffer: send compact copies, and hand those over.
    const wire: Record<string, ReturnType<typeof recordsToWire>> = {};
    const transfer = new Set<ArrayBuffer>();
    for (const [k, v] of Object.entries(inputs)) {
      const r = recordsToWire(v);
      const mayMove = handOver.has(k);
      const cols: typeof r.columns = {};
      for (const [name, c] of Object.entries(r.columns)) {
        const sent = mayMove && isSoleOwned(c) ? c : (c.slice() as typeof c);
        cols[name] = sent;
        if (sent.byteLength > 0) transfer.add(sent.buffer as ArrayBuffer);
      }
      wire[k] = { ...r, columns: cols };
    }
    const msg: ComputeMessage = { type: 'compute', taskId, pluginKey, inputs: wire, start, end, chunkI };
    return new Promise<ComputeResult>((resolve, reject) => {
      this.pending.set(taskId, { resolve, reject, w });
      if (this.load[w]!++ === 0) this.workers[w]!.ref(); // busy threads keep the process alive
      this.workers[w]!.postMessage(msg, [...transfer]);
    });
  }

  /** With at least one parallel plugin per thread, each plugin keeps to its own thread: the
   * threads then work as a pipeline (records on one, peaklets on the other) and every plugin's
   * code is compiled by one thread only (JIT warm-up is a large part of a run's cost). With
   * fewer plugins than threads, chunks go to the least-loaded thread. */
  private pick(pluginKey: string): number {
    const home = this.home.get(pluginKey);
    if (home !== undefined && this.inits.size >= this.size) return home;
    let w = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[w]!) w = i;
    return w;
  }

  private onMessage(
    w: number,
    m: { type: string; taskId: number; result?: WireResult; message?: string },
  ): void {
    const p = this.pending.get(m.taskId);
    if (!p) return;
    this.pending.delete(m.taskId);
    if (--this.load[w]! === 0) this.workers[w]!.unref(); // idle threads do not
    if (m.type === 'result') p.resolve(resultFromWire(m.result!));
    else p.reject(new Error(m.message ?? 'worker task failed'));
  }

  private failWorker(w: number, e: Error): void {
    this.closed = true; // a pool with a dead thread is not reused
    void Promise.all(this.workers.map((x) => x.terminate())).catch(() => {});
    for (const [id, p] of this.pending) {
      if (p.w !== w) continue;
      this.pending.delete(id);
      p.reject(e);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new Error('worker pool closed'));
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
