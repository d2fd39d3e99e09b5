// Plugin options: type checks, defaults, and the values that enter the lineage.
// strax never enforces option types (its check builds a warning and drops it); straxts refuses
// a wrong type with one clear line, because a silently mistyped option changes the hash.

import { PyFloat } from './python/float.js';
import type { OptionSpec, OptionType } from './plugin.js';

export class InvalidConfiguration extends Error {}

/** Strings such as 'itp_map://resource://x.json?fmt=json' that a resolver turns into values. */
export function isUrlOption(v: unknown): v is string {
  return typeof v === 'string' && /^[A-Za-z][\w+.-]*:\/\//.test(v);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof PyFloat) return `float ${v.value}`;
  if (Array.isArray(v)) return 'list';
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  if (typeof v === 'number') return Number.isInteger(v) ? `int ${v}` : `float ${v}`;
  if (typeof v === 'string') return `str ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return typeof v;
}

/** Does v fit the option type? null fits every type (strax options often default to None). */
export function fitsType(v: unknown, type: OptionType | undefined): boolean {
  if (v === null || v === undefined || type === undefined || type === 'any') return true;
  switch (type) {
    case 'int':
      return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
    case 'float':
    case 'number':
      return typeof v === 'number' || v instanceof PyFloat || typeof v === 'bigint';
    case 'bool':
      return typeof v === 'boolean';
    case 'str':
      return typeof v === 'string';
    case 'list':
      return Array.isArray(v) || ArrayBuffer.isView(v);
    case 'dict':
      return isPlainObject(v) || v instanceof Map;
  }
}

const withArticle = (type: string): string => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** Throw a one-line error when a value has the wrong type (URL strings are checked later). */
export function checkOptionType(spec: OptionSpec, v: unknown, takenBy: string): void {
  if (isUrlOption(v) && spec.type !== 'str') return;
  // An option whose default is a URL config takes URLs or the values they resolve to (numbers,
  // lists, dicts); a plain string there is a typo that would only fail deep inside compute.
  if (typeof v === 'string' && spec.type !== 'str' && isUrlOption(spec.default)) {
    const url = spec.default.replace(/\?.*/, '?…');
    throw new InvalidConfiguration(
      `option '${spec.name}' of ${takenBy} must be a URL config (like its default '${url}') or the value itself, got ${describe(v)}`,
    );
  }
  if (!fitsType(v, spec.type)) {
    throw new InvalidConfiguration(
      `option '${spec.name}' of ${takenBy} must be ${spec.type}, got ${describe(v)}: set it to ${withArticle(spec.type!)} value`,
    );
  }
  checkOptionRange(spec, v, takenBy);
}

/** A number outside the option's [min, max] is refused when set, not deep inside compute. */
export function checkOptionRange(spec: OptionSpec, v: unknown, takenBy: string): void {
  const x =
    typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v instanceof PyFloat ? v.value : null;
  if (x === null) return;
  if (spec.min !== undefined && !(x >= spec.min))
    throw new InvalidConfiguration(
      `option '${spec.name}' of ${takenBy} must be at least ${spec.min}, got ${x}`,
    );
  if (spec.max !== undefined && !(x <= spec.max))
    throw new InvalidConfiguration(
      `option '${spec.name}' of ${takenBy} must be at most ${spec.max}, got ${x}`,
    );
}

/** The resolved value of a URL option must fit too. */
export function checkResolvedType(spec: OptionSpec, v: unknown, takenBy: string, url: string): void {
  if (!fitsType(v, spec.type)) {
    throw new InvalidConfiguration(
      `option '${spec.name}' of ${takenBy}: '${url}' resolved to ${describe(v)}, but the option must be ${spec.type}`,
    );
  }
  checkOptionRange(spec, v, takenBy);
}

export function hasDefault(spec: OptionSpec): boolean {
  return 'default' in spec || spec.defaultFactory !== undefined;
}

export function defaultOf(spec: OptionSpec, takenBy: string): unknown {
  if ('default' in spec) return spec.default;
  if (spec.defaultFactory) return spec.defaultFactory();
  throw new InvalidConfiguration(
    `Missing option ${spec.name} required by ${takenBy}: set it with setConfig({ ${spec.name}: ... })`,
  );
}

/** A value as it goes into the lineage: numbers of a 'float' option, and any non-integer
 * number, become PyFloat (Python holds them as float); nested lists/dicts likewise. */
export function lineageValue(v: unknown, type: OptionType | undefined): unknown {
  const floaty = type === 'float';
  const walk = (x: unknown): unknown => {
    if (typeof x === 'number') return floaty || !Number.isInteger(x) ? new PyFloat(x) : x;
    if (Array.isArray(x)) return x.map(walk);
    if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
      const isF = x instanceof Float32Array || x instanceof Float64Array;
      return Array.from(x as unknown as ArrayLike<number | bigint>, (e) =>
        isF || floaty ? new PyFloat(Number(e)) : e,
      );
    }
    if (isPlainObject(x)) {
      const o: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(x)) o[k] = walk(e);
      return o;
    }
    return x;
  };
  return walk(v);
}

/** Do two defaults differ (registration check across plugins sharing an option name)? */
export function sameDefault(a: unknown, b: unknown): boolean {
  const norm = (x: unknown): unknown => (x instanceof PyFloat ? x.value : x);
  const x = norm(a),
    y = norm(b);
  if (x === y) return true;
  if (typeof x === 'number' && typeof y === 'number')
    return Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y));
  try {
    return (
      JSON.stringify(x, (_k, v) =>
        v instanceof PyFloat ? v.value : typeof v === 'bigint' ? String(v) : v,
      ) ===
      JSON.stringify(y, (_k, v) => (v instanceof PyFloat ? v.value : typeof v === 'bigint' ? String(v) : v))
    );
  } catch {
    return false;
  }
}
