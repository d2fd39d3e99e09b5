// Worker-thread side of the pool: re-creates plugins from their module URL and computes chunks.

import { parentPort } from 'node:worker_threads';
import type { ComputeResult, Plugin, PluginClass } from '../plugin.js';
import {
  dtypeFromWire,
  recordsFromWire,
  resultToWire,
  transferList,
  type WireDType,
  type WireRecords,
} from './transfer.js';
import type { OptionResolver, ResolveAt } from '../option-resolve.js';
import { detachOnceEarly } from './hand-over.js';

export interface InitMessage {
  type: 'init';
  pluginKey: string;
  moduleUrl: string;
  exportName: string;
  runId: string;
  config: Record<string, unknown>;
  /** URL options to resolve here (when the resolver is importable), else already in config. */
  urlOptions: Record<string, string>;
  resolver: { moduleUrl: string; exportName: string } | null;
  depDtypes: Record<string, WireDType>;
  dtypes: Record<string, WireDType>;
}

export interface ComputeMessage {
  type: 'compute';
  taskId: number;
  pluginKey: string;
  inputs: Record<string, WireRecords>;
  start: bigint;
  end: bigint;
  chunkI: number;
}

const plugins = new Map<string, Promise<Plugin>>();

async function importExport<T>(moduleUrl: string, exportName: string): Promise<T> {
  const mod = (await import(moduleUrl)) as Record<string, unknown>;
  const x = mod[exportName];
  if (x === undefined) throw new Error(`${moduleUrl} has no export '${exportName}'`);
  return x as T;
}

async function init(m: InitMessage): Promise<Plugin> {
  const Cls = await importExport<PluginClass>(m.moduleUrl, m.exportName);
  const p = new Cls();
  p.runId = m.runId;
  const config = { ...m.config };
  if (Object.keys(m.urlOptions).length) {
    if (!m.resolver) throw new Error('URL options without a resolver module');
    const resolve = await importExport<OptionResolver>(m.resolver.moduleUrl, m.resolver.exportName);
    for (const [name, url] of Object.entries(m.urlOptions)) {
      const at: ResolveAt = {
        runId: m.runId,
        plugin: p.className,
        dataType: p.provides[p.provides.length - 1]!,
        option: name,
        config,
      };
      config[name] = await resolve(url, at);
    }
  }
  p.config = config;
  const dd: Record<string, ReturnType<typeof dtypeFromWire>> = {};
  for (const [k, v] of Object.entries(m.depDtypes)) dd[k] = dtypeFromWire(v);
  p.depDtypes = dd;
  const dt: Record<string, ReturnType<typeof dtypeFromWire>> = {};
  for (const [k, v] of Object.entries(m.dtypes)) dt[k] = dtypeFromWire(v);
  p.dtypes = dt;
  await p.setup();
  return p;
}

// results go back transferred: pay V8's first-detach deoptimisation now, before any kernel runs
detachOnceEarly();

// Plugins whose setup has finished: their chunks are computed as soon as they arrive.
const ready = new Map<string, Plugin>();

function fail(taskId: number, e: unknown): void {
  parentPort!.postMessage({
    type: 'error',
    taskId,
    message: e instanceof Error ? e.message : String(e),
    stack: e instanceof Error ? e.stack : undefined,
  });
}

function reply(taskId: number, r: ComputeResult): void {
  const result = resultToWire(r);
  parentPort!.postMessage({ type: 'result', taskId, result }, transferList(result));
}

/** Each result is posted the moment it is computed: an `await` after a synchronous compute
 * would let the next queued chunk run first and hold this result back until it finished. */
function run(p: Plugin, m: ComputeMessage): void {
  try {
    const inputs: Record<string, ReturnType<typeof recordsFromWire>> = {};
    for (const [k, v] of Object.entries(m.inputs)) inputs[k] = recordsFromWire(v);
    const out = p.compute(inputs, { start: m.start, end: m.end, chunkI: m.chunkI });
    if (out instanceof Promise)
      out.then(
        (r) => {
          try {
            reply(m.taskId, r);
          } catch (e) {
            fail(m.taskId, e);
          }
        },
        (e: unknown) => fail(m.taskId, e),
      );
    else reply(m.taskId, out);
  } catch (e) {
    fail(m.taskId, e);
  }
}

parentPort!.on('message', (m: InitMessage | ComputeMessage | { type: 'release'; pluginKey: string }) => {
  if (m.type === 'release') {
    plugins.delete(m.pluginKey);
    ready.delete(m.pluginKey);
    return;
  }
  if (m.type === 'init') {
    const p = init(m);
    p.then(
      (x) => {
        if (plugins.get(m.pluginKey) === p) ready.set(m.pluginKey, x);
      },
      () => {}, // reported with the first compute that needs it
    );
    plugins.set(m.pluginKey, p);
    return;
  }
  const p = ready.get(m.pluginKey);
  if (p) run(p, m);
  else {
    const pending = plugins.get(m.pluginKey);
    if (!pending) fail(m.taskId, new Error(`plugin ${m.pluginKey} was not set up in this worker`));
    else
      pending.then(
        (x) => run(x, m),
        (e: unknown) => fail(m.taskId, e),
      );
  }
});
