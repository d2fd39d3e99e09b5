// How a plugin is set up in a worker thread: its class module, its config (URL options
// re-resolved there when the resolver is importable), its dtypes.

import type { Plugin, PluginClass } from '../plugin.js';
import { dtypeToWire, type WireDType } from '../engine/transfer.js';
import type { InitMessage } from '../engine/worker.js';
import { optionsOf, rawConfigOf } from './graph.js';
import { isUrlOption } from '../options.js';
import type { ResolverSource } from '../option-resolve.js';

export function workerInitFor(
  p: Plugin,
  key: string,
  resolver: ResolverSource | null,
  warn: (m: string) => void,
): InitMessage | null {
  const cls = p.constructor as PluginClass;
  // Own property only: a subclass declared elsewhere inherits its parent's static moduleUrl,
  // which does not export the subclass.
  if (!Object.prototype.hasOwnProperty.call(cls, 'moduleUrl') || !cls.moduleUrl) return null;
  const raw = rawConfigOf(p);
  const config: Record<string, unknown> = {};
  const urlOptions: Record<string, string> = {};
  const urlNames = new Set(
    optionsOf(p)
      .filter((o) => o.type !== 'str' && isUrlOption(raw[o.name]))
      .map((o) => o.name),
  );
  for (const [k, v] of Object.entries(p.config)) {
    if (resolver && urlNames.has(k) && k in p.resolvedOptions) urlOptions[k] = raw[k] as string;
    else config[k] = v;
  }
  try {
    structuredClone(config);
  } catch {
    warn(
      `${p.className} computes in the main thread: its config cannot be sent to worker threads (give setOptionResolver a module source)`,
    );
    return null;
  }
  const wire = (o: Readonly<Record<string, import('../dtype.js').DType>>): Record<string, WireDType> =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, dtypeToWire(v)]));
  return {
    type: 'init',
    pluginKey: key,
    moduleUrl: cls.moduleUrl,
    exportName: cls.exportName ?? cls.name,
    runId: p.runId,
    config,
    urlOptions,
    resolver,
    depDtypes: wire(p.depDtypes),
    dtypes: wire(p.dtypes),
  };
}
