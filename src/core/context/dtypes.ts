// Settle what a plugin needs to compute: its URL options resolved through the context's hook
// (the lineage keeps the strings) and its dtypes inferred, inputs first.

import { DType } from '../dtype.js';
import { checkResolvedType, InvalidConfiguration } from '../options.js';
import type { Plugin } from '../plugin.js';
import { applyChildOptions, optionsOf, pendingUrlOptions, type PluginGraph } from './graph.js';
import type { OptionResolver } from '../option-resolve.js';

export async function resolveUrlOptions(p: Plugin, resolver: OptionResolver | null): Promise<void> {
  const pending = pendingUrlOptions(p);
  if (pending.length === 0) return;
  // A URL left unresolved would reach compute as a string where the plugin expects a value.
  if (!resolver) {
    const [name, url] = pending[0]!;
    throw new InvalidConfiguration(
      `option '${name}' of ${p.className} is the URL config '${url}', but this context has no option resolver: set the value itself, or use a context that resolves URL configs`,
    );
  }
  const specs = new Map(optionsOf(p).map((o) => [o.name, o]));
  for (const [name, url] of pending) {
    const at = {
      runId: p.runId,
      plugin: p.className,
      dataType: p.provides[p.provides.length - 1]!,
      option: name,
      config: p.config,
    };
    let v: unknown;
    try {
      v = await resolver(url, at);
    } catch (e) {
      throw new Error(
        `option '${name}' of ${p.className}: cannot resolve '${url}': ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    checkResolvedType(specs.get(name)!, v, p.className, url);
    p.config[name] = v;
    p.resolvedOptions[name] = v;
  }
  applyChildOptions(p);
}

function checkTimeFields(p: Plugin, d: string, dt: DType): void {
  if (!dt.has('time') || !(dt.has('endtime') || (dt.has('dt') && dt.has('length')))) {
    throw new Error(`${p.className}: dtype of ${d} lacks time and endtime (or dt and length) fields`);
  }
}

/** Infer dtypes of the plugin making d (and of its inputs). Resolves URL options if needed. */
export async function ensureDtypes(
  graph: PluginGraph,
  d: string,
  resolver: OptionResolver | null,
  done = new Set<Plugin>(),
): Promise<Plugin> {
  const p = graph.plugins.get(d);
  if (!p) throw new Error(`${d} is not part of this processing graph`);
  if (done.has(p)) return p;
  const depDtypes: Record<string, DType> = {};
  for (const dep of p.dependsOn)
    depDtypes[dep] = (await ensureDtypes(graph, dep, resolver, done)).dtypeFor(dep);
  p.depDtypes = depDtypes;
  let inferred: DType | Readonly<Record<string, DType>>;
  try {
    inferred = p.inferDtype();
  } catch (e) {
    if (pendingUrlOptions(p).length === 0 || !resolver) throw e;
    await resolveUrlOptions(p, resolver);
    inferred = p.inferDtype();
  }
  const dtypes: Record<string, DType> = {};
  if (inferred instanceof DType) {
    if (p.multiOutput)
      throw new Error(
        `${p.className} provides several data types, so inferDtype must return one dtype per type`,
      );
    dtypes[p.provides[0]!] = inferred;
  } else {
    for (const t of p.provides) {
      const x = inferred[t];
      if (!(x instanceof DType)) throw new Error(`${p.className}.inferDtype gave no dtype for ${t}`);
      dtypes[t] = x;
    }
  }
  for (const [t, dt] of Object.entries(dtypes)) checkTimeFields(p, t, dt);
  p.dtypes = dtypes;
  done.add(p);
  return p;
}
