// The context: registered plugins, their configuration, the storage, and the calls that get
// data (getIter, getArray, make). The pieces live in context/ (registry, graph and lineage,
// planning, selections, queries) and engine/ (the processing itself).
//
//   const ctx = new Context({ storage: [new DataDirectory('./strax_data')] });
//   ctx.register(PulseProcessing, Peaklets, ...);          // classes or instances
//   ctx.setConfig({ n_tpc_pmts: 494, gain_model: 'list-to-array://...' });
//   ctx.setOptionResolver(resolveUrl, { moduleUrl: import.meta.url, exportName: 'resolveUrl' });
//   await ctx.make('012100', 'peak_basics', { workers: 2 });
//   const peaks = await ctx.getArray('012100', 'peak_basics', { selection: 'area > 100' });

import { Chunk } from '../chunk.js';
import { DType } from '../dtype.js';
import { Records } from '../records.js';
import { MergeOnlyPlugin, type Plugin, type PluginClass } from '../plugin.js';
import { deterministicHash } from '../lineage.js';
import { checkOptionType } from '../options.js';
import { DataBeingWritten, type DataKey, type Lineage, type StorageFrontend } from '../storage-api.js';
import { Processor } from '../engine/processor.js';
import { usableWorkers } from '../engine/pool.js';
import { DEFAULT_CONTEXT_OPTIONS, updateContextOptions, type ContextOptions } from './context-options.js';
import { ensureDtypes, resolveUrlOptions } from './dtypes.js';
import { buildGraph, optionsOf, type PluginGraph } from './graph.js';
import { findStored, keyFor, planProcessing, type PlanRequest } from './planning.js';
import type { ProcessingPlan } from '../engine/processor.js';
import { Progress, type ProgressCallback } from './progress.js';
import { showConfig, searchFields, type ConfigRow, type FieldMatch } from './queries.js';
import { PluginRegistry } from './registry.js';
import type { OptionResolver, ResolverSource } from '../option-resolve.js';
import { runExtentFromMetadata, runStartFromData } from './run-extent.js';
import { applySelection, hasRowSelection, type Selection } from './selection.js';
import { workerInitFor } from './workers.js';

export type { ContextOptions } from './context-options.js';
export type { OptionResolver, ResolveAt, ResolverSource } from '../option-resolve.js';
export type { Selection, TimeSelection } from './selection.js';
export type { ProgressCallback, ProgressInfo } from './progress.js';

export type ConfigMode = 'update' | 'setdefault' | 'replace';

export interface ContextInit {
  storage?: StorageFrontend | readonly StorageFrontend[];
  config?: Record<string, unknown>;
  options?: Partial<ContextOptions> & Record<string, unknown>;
  register?: readonly (PluginClass | Plugin)[];
}

export interface GetOptions extends Selection {
  /** Data types with saveWhen EXPLICIT to save as well. */
  save?: string | readonly string[];
  /** [a, b] seconds since the run start (instead of timeRange). */
  secondsRange?: readonly [number, number];
  /** Override context options for this call (workers, maxMessages, allowIncomplete, ...). */
  options?: Partial<ContextOptions> & Record<string, unknown>;
  /** Progress callback; false disables the stderr bar. */
  progress?: boolean | ProgressCallback;
  /** make(): stop when aborted (savers record the reason as a failure); rejects with the reason. */
  signal?: AbortSignal;
}

const TEMP_PREFIX = '_temp_';
const asList = (x: string | readonly string[] | undefined): string[] =>
  x === undefined ? [] : typeof x === 'string' ? [x] : [...x];

export class Context {
  storage: StorageFrontend[];
  private registry = new PluginRegistry();
  private config: Record<string, unknown> = {};
  private options: ContextOptions = { ...DEFAULT_CONTEXT_OPTIONS };
  private resolver: OptionResolver | null = null;
  private resolverSource: ResolverSource | null = null;
  private readonly warned = new Set<string>();
  /** Data keys by run and type: each look-up otherwise builds a plugin graph and hashes its
   * lineage anew (~100 times in one straxer run). Emptied by anything that changes lineage. */
  private readonly keys = new Map<string, DataKey>();
  /** Where warnings go (once each); replace to route them to a logger. */
  warn: (msg: string) => void = (msg) => {
    if (this.warned.has(msg)) return;
    this.warned.add(msg);
    process.emitWarning(msg, 'StraxtsWarning');
  };

  constructor(init: ContextInit = {}) {
    this.storage =
      init.storage === undefined
        ? []
        : Array.isArray(init.storage)
          ? [...init.storage]
          : [init.storage as StorageFrontend];
    if (init.options) this.setContextConfig(init.options);
    for (const p of init.register ?? []) this.register(p);
    if (init.config) this.setConfig(init.config);
  }

  // ---- registration and configuration ----

  register(...plugins: (PluginClass | Plugin)[]): this {
    for (const p of plugins) this.registry.register(p);
    this.keys.clear();
    return this;
  }

  /** Plugin options, one flat dict for all plugins. Wrong types are refused right away. */
  setConfig(config: Readonly<Record<string, unknown>>, mode: ConfigMode = 'update'): this {
    const owners = this.registry.optionOwners();
    for (const [k, v] of Object.entries(config)) {
      for (const r of owners.get(k) ?? []) {
        const spec = optionsOf(r.proto).find((o) => o.name === k)!;
        checkOptionType(spec, v, r.proto.className);
      }
    }
    if (mode === 'replace') this.config = { ...config };
    else if (mode === 'setdefault') this.config = { ...config, ...this.config };
    else if (mode === 'update') this.config = { ...this.config, ...config };
    else throw new Error(`setConfig: unknown mode '${String(mode)}' (update, setdefault or replace)`);
    this.keys.clear();
    return this;
  }

  getConfig(): Readonly<Record<string, unknown>> {
    return this.config;
  }

  setContextConfig(options: Readonly<Record<string, unknown>>, mode: 'update' | 'replace' = 'update'): this {
    const base = mode === 'replace' ? { ...DEFAULT_CONTEXT_OPTIONS } : this.options;
    this.options = updateContextOptions(base, options, this.warn);
    this.keys.clear();
    return this;
  }

  get contextConfig(): Readonly<ContextOptions> {
    return this.options;
  }

  /** Resolve URL-style option values at setup time. Give `source` (a module exporting the same
   * function) so worker threads can resolve them too; else resolved values are cloned there. */
  setOptionResolver(fn: OptionResolver | null, source?: ResolverSource): this {
    this.resolver = fn;
    this.resolverSource = fn && source ? source : null;
    this.keys.clear();
    return this;
  }

  /** A copy sharing plugins and storage, with more config/options (strax new_context). */
  newContext(init: ContextInit = {}): Context {
    const c = new Context({ storage: [...this.storage, ...asFrontends(init.storage)] });
    c.registry = this.registry.copy();
    c.config = { ...this.config };
    c.options = { ...this.options };
    c.resolver = this.resolver;
    c.resolverSource = this.resolverSource;
    c.warn = this.warn;
    if (init.options) c.setContextConfig(init.options);
    for (const p of init.register ?? []) c.register(p);
    if (init.config) c.setConfig(init.config);
    return c;
  }

  // ---- lineage and storage queries ----

  private graph(runId: string, targets: readonly string[], registry = this.registry): PluginGraph {
    this.warnUnusedConfig(registry);
    return buildGraph(registry, this.config, runId, targets);
  }

  private warnUnusedConfig(registry: PluginRegistry): void {
    const owners = registry.optionOwners();
    for (const k of Object.keys(this.config)) {
      if (!owners.has(k) && !this.options.freeOptions.includes(k)) {
        this.warn(`option '${k}' is set but no plugin of this context takes it: is it misspelt?`);
      }
    }
  }

  lineage(runId: string, dataType: string): Lineage {
    return this.graph(runId, [dataType]).plugins.get(dataType)!.lineage;
  }

  keyFor(runId: string, dataType: string): DataKey {
    const id = `${runId}\u0000${dataType}`;
    let key = this.keys.get(id);
    if (!key) this.keys.set(id, (key = keyFor(this.graph(runId, [dataType]), runId, dataType)));
    return key;
  }

  /** Is every target stored (completely) in some frontend? */
  async isStored(runId: string, targets: string | readonly string[]): Promise<boolean> {
    for (const t of asList(targets)) {
      if (!(await findStored(this.storage, this.keyFor(runId, t), this.options.allowIncomplete)))
        return false;
    }
    return true;
  }

  /** Registered data types stored for a run. */
  async listAvailable(runId: string, dataTypes?: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const d of dataTypes ?? this.registry.dataTypes().sort())
      if (await this.isStored(runId, d)) out.push(d);
    return out;
  }

  /** A configured plugin, dtypes inferred and setup() run (strax get_single_plugin). */
  async getSinglePlugin(runId: string, dataType: string): Promise<Plugin> {
    const g = this.graph(runId, [dataType]);
    const p = g.plugins.get(dataType)!;
    await resolveUrlOptions(p, this.resolver);
    await ensureDtypes(g, dataType, this.resolver);
    await p.setup();
    return p;
  }

  async dtypeOf(dataType: string, runId = '0'): Promise<DType> {
    return (await ensureDtypes(this.graph(runId, [dataType]), dataType, this.resolver)).dtypeFor(dataType);
  }

  /** Fields of a data type: name, numpy type, description. */
  async dataInfo(dataType: string): Promise<{ name: string; type: string; comment: string }[]> {
    const dt = await this.dtypeOf(dataType);
    return dt.fields
      .filter((f) => f.name !== '')
      .map((f) => ({
        name: f.name,
        type: f.type + (f.shape.length ? `(${f.shape.join(',')})` : ''),
        comment: f.title ?? '',
      }));
  }

  showConfig(dataType?: string, pattern = '*'): ConfigRow[] {
    return showConfig(this.registry, this.config, dataType, pattern);
  }

  /** Which data types have fields matching a pattern (fnmatch: 'area*'). */
  async searchField(pattern: string): Promise<FieldMatch[]> {
    const types = this.registry.dataTypes();
    const g = this.graph('0', types);
    const done = new Set<Plugin>();
    for (const d of types) await ensureDtypes(g, d, this.resolver, done);
    return searchFields([...new Set(g.plugins.values())], pattern);
  }

  /** Run start and end (ns, floored to seconds): run metadata, else the first stored chunk. */
  async runExtent(runId: string, targets: readonly string[] = []): Promise<[bigint, bigint | null] | null> {
    const md = await runExtentFromMetadata(this.storage, runId);
    if (md) return md;
    const keys = targets.map((t) => this.keyFor(runId, t));
    const start = await runStartFromData(this.storage, keys);
    return start === null ? null : [start, null];
  }

  // ---- getting data ----

  /** Chunks of the target(s), in order. Several targets must be of one data kind (merged). */
  async *getIter(
    runId: string,
    targets: string | readonly string[],
    opts: GetOptions = {},
  ): AsyncGenerator<Chunk> {
    const ctx = opts.options ? this.newContext({ options: opts.options }) : this;
    yield* ctx.iterate(runId, asList(targets), opts);
  }

  private async *iterate(runId: string, targetList: string[], opts: GetOptions): AsyncGenerator<Chunk> {
    const targets = [...new Set(targetList)];
    if (targets.length === 0) throw new Error('getIter: no target given');
    let registry = this.registry;
    let target = targets[0]!;
    if (targets.length > 1) [registry, target] = this.tempMerge(runId, targets);

    let timeRange = opts.timeRange;
    if (opts.secondsRange) {
      if (timeRange) throw new Error('give timeRange or secondsRange, not both');
      const ext = await this.runExtent(runId, targets);
      const t0 = ext ? ext[0] : 0n;
      timeRange = [
        t0 + BigInt(Math.trunc(1e9 * opts.secondsRange[0])),
        t0 + BigInt(Math.trunc(1e9 * opts.secondsRange[1])),
      ];
    }
    const selection: Selection = { ...opts, timeRange };
    const plan = await this.planWhenFree(() => this.graph(runId, [target], registry), {
      runId,
      targets: [target],
      save: asList(opts.save),
      timeRange,
      filtered: hasRowSelection({ ...selection, timeRange: undefined }),
    });
    const proc = new Processor(plan, [target], this.engineOptions());
    const progress = await this.progressFor(runId, target, targets, opts);
    let prevEnd: bigint | null = null;
    let n = 0;
    try {
      for await (let c of proc.iter(target)) {
        if (prevEnd !== null && c.start !== prevEnd) {
          throw new Error(
            `${target} of run ${runId} is not continuous: a chunk starts at ${c.start}, the previous ended at ${prevEnd}`,
          );
        }
        prevEnd = c.end;
        progress?.update(c.end, c.nbytes);
        let data = c.data;
        for (const f of this.options.applyDataFunction) data = f(data, runId, targets);
        data = applySelection(data, selection);
        if (data !== c.data) c = withSelectedData(c, data);
        n++;
        yield c;
      }
    } finally {
      progress?.done();
    }
    if (n === 0)
      throw new Error(
        timeRange
          ? `time range [${timeRange[0]}, ${timeRange[1]}) of run ${runId} gave no chunks of ${target}`
          : `no ${target} returned for run ${runId}`,
      );
  }

  /** All rows of the target(s) in one batch. */
  async getArray(
    runId: string,
    targets: string | readonly string[],
    opts: GetOptions = {},
  ): Promise<Records> {
    const parts: Records[] = [];
    let dtype: DType | null = null;
    for await (const c of this.getIter(runId, targets, opts)) {
      dtype ??= c.dtype;
      if (c.length) parts.push(c.data);
    }
    if (parts.length === 0) return Records.empty(dtype!, 0);
    return Records.concat(parts, dtype!);
  }

  /** Compute and save the targets (nothing if all are stored). Several runs: one after another. */
  async make(
    runIds: string | readonly string[],
    targets: string | readonly string[],
    opts: Omit<GetOptions, keyof Selection | 'secondsRange'> = {},
  ): Promise<void> {
    const ctx = opts.options ? this.newContext({ options: opts.options }) : this;
    for (const runId of asList(runIds)) await ctx.makeOne(runId, [...new Set(asList(targets))], opts);
  }

  private async makeOne(runId: string, targets: string[], opts: GetOptions): Promise<void> {
    if (await this.isStored(runId, targets)) return;
    const plan = await this.planWhenFree(() => this.graph(runId, targets), {
      runId,
      targets,
      ...(opts.signal ? { signal: opts.signal } : {}),
      save: asList(opts.save),
      filtered: false,
      resume: true,
    });
    const read = targets.filter((t) => plan.compute.has(t));
    const proc = new Processor(plan, read, this.engineOptions());
    const progress = read.length
      ? await this.progressFor(runId, read[0]!, targets, { ...opts, progress: opts.progress ?? false })
      : null;
    try {
      await proc.drainAll((t, c) => {
        if (t === read[0]) progress?.update(c.end, c.nbytes);
      }, opts.signal);
    } finally {
      progress?.done();
    }
  }

  /** Plan; while another process writes data this plan would write, wait for it and plan again
   * (what it wrote is then loaded instead of computed). */
  private async planWhenFree(
    makeGraph: () => PluginGraph,
    req: PlanRequest & { signal?: AbortSignal },
  ): Promise<ProcessingPlan> {
    for (;;) {
      req.signal?.throwIfAborted();
      try {
        return await planProcessing(
          {
            graph: makeGraph(),
            frontends: this.storage,
            options: this.options,
            resolver: this.resolver,
            isTemporary: (d) => d.startsWith(TEMP_PREFIX),
            warn: this.warn,
          },
          req,
        );
      } catch (e) {
        if (!(e instanceof DataBeingWritten) || e.waitUntilWritten === null) throw e;
        this.warn(`waiting: ${e.message}`);
        await abortable(e.waitUntilWritten(), req.signal);
      }
    }
  }

  private engineOptions(): ConstructorParameters<typeof Processor>[2] {
    const workers = usableWorkers(this.options.workers);
    if (workers < this.options.workers)
      this.warn(
        `workers ${this.options.workers} is more than this machine's ${workers - 1} cores can use: using ${workers}`,
      );
    return {
      workers,
      maxMessages: this.options.maxMessages,
      workerInit: (p, key) => workerInitFor(p, key, this.resolverSource, this.warn),
    };
  }

  private async progressFor(
    runId: string,
    target: string,
    targets: readonly string[],
    opts: GetOptions,
  ): Promise<Progress | null> {
    const cb = typeof opts.progress === 'function' ? opts.progress : undefined;
    const bar = opts.progress !== false && this.options.progressBar && !!process.stderr.isTTY;
    if (!cb && !bar) return null;
    const ext = await runExtentFromMetadata(this.storage, runId).catch(() => null);
    void targets;
    return new Progress(runId, target, ext && ext[1] !== null ? [ext[0], ext[1]] : null, bar, cb);
  }

  /** Several same-kind targets become one temporary merge-only data type (strax get_iter). */
  private tempMerge(runId: string, targets: string[]): [PluginRegistry, string] {
    const g = this.graph(runId, targets);
    const kinds = new Set(targets.map((t) => g.plugins.get(t)!.dataKindFor(t)));
    if (kinds.size > 1)
      throw new Error(
        `cannot merge targets of different data kinds (${[...kinds].join(', ')}): get them one at a time`,
      );
    const name = TEMP_PREFIX + deterministicHash(targets);
    class TempMerge extends MergeOnlyPlugin {
      override readonly provides = [name];
      override readonly dependsOn = targets;
      override get className(): string {
        return name;
      }
    }
    const reg = this.registry.copy();
    reg.register(TempMerge);
    return [reg, name];
  }
}

/** The same chunk holding selected rows/columns. Not re-validated: after keepColumns the rows
 * may lack time fields, and the chunk keeps its original range (as strax). */
function withSelectedData(c: Chunk, data: Records): Chunk {
  return Object.assign(Object.create(Chunk.prototype) as Chunk, { ...c, data });
}

function asFrontends(s: ContextInit['storage']): StorageFrontend[] {
  if (s === undefined) return [];
  return Array.isArray(s) ? [...s] : [s as StorageFrontend];
}

/** The promise, or the signal's reason as soon as it is aborted. */
function abortable(p: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const stop = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', stop, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}
