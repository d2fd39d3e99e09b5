// The protocols a URL option value can use, with the keyword arguments each accepts (a URL's
// query parameters are offered to every protocol of the chain; each keeps its own). Names,
// arguments and behaviour follow straxen's protocols; `corrections://` is straxts' own name
// for the time-dependent lookup that straxen does with `xedocs://` (both are served here by
// a CorrectionsSource).

import { gunzipSync } from 'node:zlib';
import { InterpolatingMap, DEFAULT_MAP_METHOD, type MapOptions } from './itp-map.js';
import { correctionLookup } from './correction-protocol.js';
import { loadResource, parseCommentedJson } from './resources.js';
import { pythonFormat } from '../core/python/format.js';
import type { UrlContext } from './url-context.js';

export type ProtocolFn = (arg: unknown, kwargs: Record<string, unknown>, ctx: UrlContext) => unknown;

export interface Protocol {
  /** Keyword arguments taken (plus the argument's own name); anyKwargs takes all. */
  params: readonly string[];
  anyKwargs: boolean;
  /** Receive kwargs as parsed Python literals (PyFloat kept) instead of plain JS values. */
  rawKwargs?: boolean;
  fn: ProtocolFn;
}

const PROTOCOLS = new Map<string, Protocol>();

/** Add a protocol (e.g. one backed by another data source). Names are unique. */
export function registerProtocol(name: string, protocol: Protocol): void {
  if (PROTOCOLS.has(name)) throw new Error(`URL protocol '${name}' is already registered`);
  PROTOCOLS.set(name, protocol);
}

export function getProtocol(name: string): Protocol | undefined {
  return PROTOCOLS.get(name);
}

export function protocolNames(): string[] {
  return [...PROTOCOLS.keys()].sort();
}

const isDict = (v: unknown): v is Record<string, unknown> =>
  !!v &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  !ArrayBuffer.isView(v) &&
  !(v instanceof InterpolatingMap);

const itemOrAttr = (obj: unknown, key: unknown): unknown =>
  obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[String(key)] : undefined;

function asList(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView))
    return Array.from(v as unknown as ArrayLike<unknown>);
  throw new Error(`${what} expects a list, got ${v === null ? 'null' : typeof v}`);
}

registerProtocol('resource', {
  params: ['name', 'fmt', 'readable'],
  anyKwargs: true,
  fn: (name, kw, ctx) => loadResource(String(name), String(kw.fmt ?? 'text'), ctx.searchDirs),
});

registerProtocol('json', {
  params: ['content'],
  anyKwargs: true,
  fn: (content) => parseCommentedJson(String(content), 'json://'),
});

registerProtocol('take', {
  params: ['container', 'take'],
  anyKwargs: true,
  fn: (container, kw) => {
    if (!isDict(container))
      throw new Error(`take:// needs a dict, got ${Array.isArray(container) ? 'a list' : typeof container}`);
    if (kw.take === undefined || kw.take === null) return container;
    let out: unknown = container;
    for (const key of Array.isArray(kw.take) ? kw.take : [kw.take]) {
      if (!isDict(out) || !(String(key) in out))
        throw new Error(
          `take://: no key '${String(key)}' (keys: ${isDict(out) ? Object.keys(out).join(', ') : 'none'})`,
        );
      out = out[String(key)];
    }
    return out;
  },
});

registerProtocol('format', {
  params: ['arg'],
  anyKwargs: true,
  rawKwargs: true,
  fn: (arg, kw) => pythonFormat(String(arg), kw),
});

function toMapData(someMap: unknown): unknown {
  if (someMap instanceof Uint8Array)
    return parseCommentedJson(gunzipSync(someMap).toString('utf8'), 'itp_map:// (gzip bytes)');
  if (typeof someMap === 'string') return parseCommentedJson(someMap, 'itp_map://');
  return someMap;
}

registerProtocol('itp_map', {
  params: ['some_map', 'method', 'scale_coordinates'],
  anyKwargs: true,
  fn: (someMap, kw) => {
    const { method, scale_coordinates: scale, ...rest } = kw;
    const map = new InterpolatingMap(
      toMapData(someMap),
      method === undefined ? DEFAULT_MAP_METHOD : String(method),
      rest as MapOptions,
    );
    if (scale !== undefined && scale !== null) map.scaleCoordinates(scale as number | number[]);
    return map;
  },
});

registerProtocol('bodega', {
  params: ['name', 'bodega_version'],
  anyKwargs: false,
  fn: (name, kw, ctx) => {
    if (kw.bodega_version === undefined || kw.bodega_version === null)
      throw new Error('bodega:// needs bodega_version=..., e.g. bodega://g1?bodega_version=v2');
    const numbers = loadResource('XENONnT_numbers.json', 'json', ctx.searchDirs) as Record<
      string,
      Record<string, { value: unknown }>
    >;
    const entry = numbers[String(name)]?.[String(kw.bodega_version)];
    if (!entry)
      throw new Error(
        `bodega://: XENONnT_numbers.json has no ${String(name)} version ${String(kw.bodega_version)}`,
      );
    return entry.value;
  },
});

registerProtocol('objects-to-dict', {
  params: ['objects', 'key_attr', 'value_attr', 'immutable'],
  anyKwargs: false,
  fn: (objects, kw) => {
    const out: Record<string, unknown> = {};
    const keyAttr = kw.key_attr ?? null,
      valueAttr = kw.value_attr ?? 'value';
    asList(objects, 'objects-to-dict://').forEach((obj, i) => {
      out[String(keyAttr === null ? i : itemOrAttr(obj, keyAttr))] = itemOrAttr(obj, valueAttr);
    });
    return kw.immutable ? Object.freeze(out) : out;
  },
});

registerProtocol('list-to-array', {
  params: ['objects'],
  anyKwargs: false,
  // A numeric list becomes a Float64Array (numpy's array; ints stay exact); others stay lists.
  fn: (objects) => {
    const list = asList(objects, 'list-to-array://');
    return list.every((x) => typeof x === 'number') ? Float64Array.from(list as number[]) : [...list];
  },
});

registerProtocol('pad-array', {
  params: ['arr', 'pad_value', 'pad_left', 'pad_right'],
  anyKwargs: false,
  fn: (arr, kw) => {
    const list = asList(arr, 'pad-array://');
    const v = kw.pad_value ?? 0,
      l = Number(kw.pad_left ?? 0),
      r = Number(kw.pad_right ?? 0);
    return [...new Array(l).fill(v), ...list, ...new Array(r).fill(v)];
  },
});

registerProtocol('rekey_dict', {
  params: ['d', 'replace_keys', 'with_keys'],
  anyKwargs: false,
  fn: (d, kw) => {
    if (!isDict(d)) throw new Error('rekey_dict:// needs a dict');
    const from = String(kw.replace_keys ?? '').split(','),
      to = String(kw.with_keys ?? '').split(',');
    if (from.length !== to.length)
      throw new Error('rekey_dict://: replace_keys and with_keys must have the same length');
    const out: Record<string, unknown> = { ...d };
    from.forEach((k, i) => {
      const v = out[k];
      delete out[k];
      out[to[i]!] = v;
    });
    return out;
  },
});

async function runStartOf(ctx: UrlContext, runId: unknown): Promise<bigint | undefined> {
  const id = runId === undefined || runId === null ? ctx.runId : String(runId);
  if (id === ctx.runId && ctx.runStart !== undefined) return ctx.runStart;
  return ctx.corrections?.runStart ? await ctx.corrections.runStart(id) : undefined;
}

registerProtocol('runstart', {
  params: ['run_id'],
  anyKwargs: false,
  fn: async (runId, _kw, ctx) => {
    const t = await runStartOf(ctx, runId);
    if (t === undefined)
      throw new Error(
        `runstart://: the start of run ${String(runId)} is unknown (give the run start or use the runs database)`,
      );
    return t;
  },
});

registerProtocol('run_doc', {
  params: ['path', 'run_id', 'default'],
  anyKwargs: false,
  fn: (path, kw, ctx) => {
    if (!ctx.runDoc)
      throw new Error(`run_doc://${String(path)}: no run document is available (use the runs database)`);
    let node: unknown = ctx.runDoc;
    for (const part of String(path).split('.')) {
      if (Array.isArray(node) && /^\d+$/.test(part) && Number(part) < node.length) node = node[Number(part)];
      else if (isDict(node) && part in node) node = node[part];
      else if (kw.default !== undefined && kw.default !== null) return kw.default;
      else throw new Error(`run_doc://: no path ${String(path)} in the run document of run ${ctx.runId}`);
    }
    return node;
  },
});

registerProtocol('itp_dict', {
  params: ['loaded_json', 'run_id', 'time_key', 'itp_keys'],
  anyKwargs: true,
  fn: async (loaded, kw, ctx) => {
    if (!isDict(loaded)) throw new Error('itp_dict:// needs a dict of time series');
    const keys = String(kw.itp_keys ?? 'correction').split(',');
    const timeKey = String(kw.time_key ?? 'time');
    for (const k of [...keys, timeKey])
      if (!(k in loaded))
        throw new Error(`itp_dict://: no key '${k}' (keys: ${Object.keys(loaded).join(', ')})`);
    const t0 = await runStartOf(ctx, kw.run_id);
    if (t0 === undefined) throw new Error('itp_dict://: the run start is unknown');
    const times = asList(loaded[timeKey], 'itp_dict://').map(Number);
    const at = Number(t0);
    const interp = (ys: number[]): number => {
      if (!(at >= times[0]! && at <= times[times.length - 1]!))
        throw new Error(`itp_dict://: correction is not defined for run ${ctx.runId}`);
      let i = 0;
      while (i < times.length - 2 && times[i + 1]! < at) i++;
      const f = (at - times[i]!) / (times[i + 1]! - times[i]!);
      return ys[i]! + (ys[i + 1]! - ys[i]!) * f;
    };
    const series = (k: string) => asList(loaded[k], 'itp_dict://').map(Number);
    if (keys.length === 1) return interp(series(keys[0]!));
    return Object.fromEntries(keys.map((k) => [k, interp(series(k))]));
  },
});

for (const name of ['xedocs', 'corrections']) {
  registerProtocol(name, {
    params: ['name', 'db', 'sort', 'attr', 'as_list'],
    anyKwargs: true,
    fn: async (schema, kw, ctx) =>
      correctionLookup(
        String(schema),
        kw,
        ctx,
        await runStartOf(ctx, kw.run_id),
        name === 'xedocs' ? 'xedocs://' : 'corrections://',
      ),
  });
}

for (const name of ['fsspec', 'tf', 'jax']) {
  registerProtocol(name, {
    params: [],
    anyKwargs: true,
    fn: () => {
      throw new Error(`the ${name}:// protocol is not supported by straxts`);
    },
  });
}
