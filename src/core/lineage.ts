// strax's lineage hash: the folder name suffix that ties stored data to the plugins and options
// that made it. Must give the very same 10 characters as strax.deterministic_hash.

import { createHash } from 'node:crypto';
import { PyFloat } from './python/float.js';
import { comparePyStr, pyJsonDumps } from './python/json.js';
import { PyTuple } from './python/literal.js';
import type { Lineage } from './storage-api.js';

/** A hashable tree: scalars, strings, PyFloats and nested arrays (Python tuples). */
export type Hashable = null | boolean | number | bigint | string | PyFloat | Hashable[];

/** strax.hashablize: mappings → key-sorted (key, value) pairs, iterables → tuples, scalars kept. */
export function hashablize(obj: unknown): Hashable {
  if (obj === null || obj === undefined) return null;
  switch (typeof obj) {
    case 'boolean':
    case 'number':
    case 'bigint':
    case 'string':
      return obj;
    default:
      break;
  }
  if (obj instanceof PyFloat) return obj;
  if (obj instanceof PyTuple) return obj.items.map(hashablize);
  if (Array.isArray(obj)) return obj.map(hashablize);
  if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
    const isFloat = obj instanceof Float32Array || obj instanceof Float64Array;
    return Array.from(obj as unknown as ArrayLike<number | bigint>, (x) =>
      isFloat ? new PyFloat(x as number) : x,
    );
  }
  if (obj instanceof Map) {
    return [...obj.entries()]
      .sort((a, b) => compareKeys(a[0], b[0]))
      .map(([k, v]) => [hashablize(k), hashablize(v)]);
  }
  if (obj instanceof Set) return [...obj].map(hashablize);
  if (typeof obj === 'object') {
    return Object.entries(obj as Record<string, unknown>)
      .sort((a, b) => comparePyStr(a[0], b[0]))
      .map(([k, v]) => [k, hashablize(v)]);
  }
  throw new TypeError(`Can't hashablize object of type ${typeof obj}`);
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return comparePyStr(a, b);
  const x = Number(a instanceof PyFloat ? a.value : a),
    y = Number(b instanceof PyFloat ? b.value : b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (upper case, with '=' padding). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0,
    acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

/** The JSON text strax hashes for a value. */
export function hashText(value: unknown): string {
  return pyJsonDumps(hashablize(value));
}

/** strax.deterministic_hash: sha1 of the JSON of the hashablized value, base32, lower case. */
export function deterministicHash(value: unknown, length = 10): string {
  const digest = createHash('sha1')
    .update(Buffer.from(hashText(value), 'latin1'))
    .digest();
  return base32(digest).slice(0, length).toLowerCase();
}

/** The lineage hash of a data type (the suffix of its folder name). */
export function lineageHash(lineage: Lineage): string {
  let h = hashOf.get(lineage);
  if (h === undefined) hashOf.set(lineage, (h = deterministicHash(lineage)));
  return h;
}

/** Lineages are built once per plugin graph and never changed afterwards, while planning,
 * storage look-ups and summaries ask for the same hashes ~100 times in one straxer run
 * (each a full JSON dump and sha1: ~0.15 s CPU in all). */
const hashOf = new WeakMap<Lineage, string>();
