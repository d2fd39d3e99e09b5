// Build the configured plugins for one run: one fresh instance per plugin, its options (user
// value over default), its lineage (own entry plus everything upstream), default data kind.
// Dtypes and URL options are settled later, only for the plugins that need them (dtypes.ts).

import { unwrapPy } from '../python/float.js';
import {
  checkOptionType,
  defaultOf,
  hasDefault,
  InvalidConfiguration,
  isUrlOption,
  lineageValue,
} from '../options.js';
import { Plugin, type OptionSpec, type PluginClass } from '../plugin.js';
import type { Lineage } from '../storage-api.js';
import type { PluginRegistry } from './registry.js';

const optionsCache = new WeakMap<object, OptionSpec[]>();

/** A plugin's options including those its ancestor classes declare (own declarations win). */
export function optionsOf(p: Plugin): OptionSpec[] {
  const cls = p.constructor;
  const hit = optionsCache.get(cls);
  if (hit) return hit;
  const byName = new Map<string, OptionSpec>();
  const chain: Plugin[] = [];
  for (
    let c = Object.getPrototypeOf(cls) as PluginClass | null;
    c && c.prototype instanceof Plugin;
    c = Object.getPrototypeOf(c) as PluginClass | null
  ) {
    try {
      chain.unshift(new c());
    } catch {
      /* an ancestor that cannot be built adds nothing */
    }
  }
  for (const a of [...chain, p]) for (const o of a.options) byName.set(o.name, o);
  const out = [...byName.values()];
  optionsCache.set(cls, out);
  return out;
}

/** What a plugin was configured with before URL resolution (PyFloats kept, for the lineage). */
export const RAW_CONFIG = Symbol('rawConfig');
/** Options the user set (the rest are defaults). */
const USER_SET = Symbol('userSet');
type WithRaw = Plugin & { [RAW_CONFIG]?: Record<string, unknown>; [USER_SET]?: Set<string> };

export function rawConfigOf(p: Plugin): Record<string, unknown> {
  return (p as WithRaw)[RAW_CONFIG] ?? {};
}

/** Fill plugin.config from the context config (strax _set_plugin_config). */
export function configurePlugin(p: Plugin, config: Readonly<Record<string, unknown>>, strict: boolean): void {
  const raw: Record<string, unknown> = {};
  const userSet = new Set<string>();
  for (const opt of optionsOf(p)) {
    if (opt.name in config) {
      checkOptionType(opt, config[opt.name], p.className);
      raw[opt.name] = config[opt.name];
      userSet.add(opt.name);
    } else if (hasDefault(opt)) {
      raw[opt.name] = defaultOf(opt, p.className);
    } else if (strict) {
      throw new InvalidConfiguration(
        `Missing option ${opt.name} required by ${p.className}: set it with setConfig({ ${opt.name}: ... })`,
      );
    }
  }
  (p as WithRaw)[RAW_CONFIG] = raw;
  (p as WithRaw)[USER_SET] = userSet;
  p.config = unwrapPy({ ...raw });
  applyChildOptions(p);
}

/** Child plugins: inherited code reads the parent option names, so copy the child values there. */
export function applyChildOptions(p: Plugin): void {
  if (!p.childPlugin) return;
  const names = new Set(optionsOf(p).map((o) => o.name));
  for (const o of optionsOf(p)) {
    if (!o.childOption) continue;
    if (!o.parentOptionName || !names.has(o.parentOptionName)) {
      throw new Error(
        `${p.className}: child option ${o.name} names parent option '${o.parentOptionName}', which the plugin does not take`,
      );
    }
    if (o.name in p.config) p.config[o.parentOptionName] = p.config[o.name];
  }
}

/** The plugin's own lineage entry options (tracked, as configured; child rules of strax). */
function lineageOptions(p: Plugin): Record<string, unknown> {
  const raw = rawConfigOf(p);
  const userSet = (p as WithRaw)[USER_SET] ?? new Set<string>();
  const overridden = new Set(
    p.childPlugin
      ? optionsOf(p)
          .filter((o) => o.childOption)
          .map((o) => o.parentOptionName!)
      : [],
  );
  const out: Record<string, unknown> = {};
  for (const o of optionsOf(p)) {
    if (o.track === false || !(o.name in raw) || overridden.has(o.name)) continue;
    // A default is a float where the option is; a user's value is hashed as given, as in Python
    // (a config file's 2700 stays an int even for a float option: wrap with pyFloat() to say 2700.0).
    out[o.name] = lineageValue(raw[o.name], userSet.has(o.name) ? undefined : o.type);
  }
  if (p.childPlugin) {
    const Base = Object.getPrototypeOf(p.constructor) as PluginClass;
    const base = new Base();
    out[base.className] = base.version;
  }
  return out;
}

export interface PluginGraph {
  runId: string;
  /** data type → the plugin making it (shared by all outputs of a multi-output plugin). */
  plugins: Map<string, Plugin>;
}

/** strax _get_plugins: the targets and everything upstream, configured leniently. */
export function buildGraph(
  registry: PluginRegistry,
  config: Readonly<Record<string, unknown>>,
  runId: string,
  targets: readonly string[],
): PluginGraph {
  const plugins = new Map<string, Plugin>();
  const building = new Set<string>();
  const get = (d: string): Plugin => {
    const have = plugins.get(d);
    if (have) return have;
    if (building.has(d)) throw new Error(`circular dependency through ${d}`);
    building.add(d);
    const p = registry.get(d).create();
    p.runId = runId;
    configurePlugin(p, config, false);
    const deps = p.dependsOn.map((dep) => [dep, get(dep)] as const);
    if (p.dataKind === undefined) {
      if (p.multiOutput)
        throw new Error(`${p.className} provides several data types, so dataKind must map each to its kind`);
      const first = deps[0];
      (p as { dataKind?: string }).dataKind = first ? first[1].dataKindFor(first[0]) : p.provides[0]!;
    }
    const lineage: Lineage = {
      [p.provides[p.provides.length - 1]!]: [p.className, p.version, lineageOptions(p)],
    };
    for (const [, dp] of deps) Object.assign(lineage, dp.lineage);
    p.lineage = lineage;
    for (const t of p.provides) plugins.set(t, p);
    building.delete(d);
    return p;
  };
  for (const t of targets) get(t);
  return { runId, plugins };
}

/** URL options of a plugin that still hold their string. */
export function pendingUrlOptions(p: Plugin): [string, string][] {
  const raw = rawConfigOf(p);
  return optionsOf(p)
    .filter((o) => o.type !== 'str' && isUrlOption(raw[o.name]) && !(o.name in p.resolvedOptions))
    .map((o) => [o.name, raw[o.name] as string]);
}
