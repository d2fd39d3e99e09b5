// JSON as Python's json module reads and writes it. Python keeps 28 and 28.0 apart and strax's
// lineage hashes and metadata files depend on that, so parsing wraps every number written with
// a '.' or an exponent in PyFloat, and dumping reproduces json.dumps byte for byte.

import { PyFloat } from './float.js';
import { PyTuple } from './literal.js';

export type PyJson =
  null | boolean | number | bigint | string | PyFloat | PyJson[] | { [key: string]: PyJson };

export class PyJsonError extends Error {}

/** Parse JSON text (Python's json.loads dialect, incl. NaN/Infinity) keeping float-ness. */
export function pyJsonParse(text: string, what = 'JSON'): PyJson {
  let i = 0;
  const fail = (msg: string): never => {
    const line = text.slice(0, i).split('\n').length;
    throw new PyJsonError(`${what}: invalid JSON at line ${line} (offset ${i}): ${msg}`);
  };
  const ws = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return;
    }
  };
  const str = (): string => {
    // Fast path: no escapes.
    const start = ++i;
    let j = start;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === 0x22) {
        i = j + 1;
        return text.slice(start, j);
      }
      if (c === 0x5c || c < 0x20) break;
      j++;
    }
    let out = text.slice(start, j);
    i = j;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch.charCodeAt(0) < 0x20) fail('control character in string');
      if (ch !== '\\') {
        out += ch;
        i++;
        continue;
      }
      const e = text[i + 1];
      i += 2;
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          fail(`bad escape \\${e ?? ''}`);
      }
    }
  };
  const num = (): PyJson => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail('bad number');
    i += m[0].length;
    if (m[1] !== undefined || m[2] !== undefined) return new PyFloat(Number(m[0]));
    const n = Number(m[0]);
    return Number.isSafeInteger(n) ? n : BigInt(m[0]);
  };
  const value = (): PyJson => {
    ws();
    const c = text[i];
    switch (c) {
      case '{': {
        i++;
        const obj: { [key: string]: PyJson } = {};
        ws();
        if (text[i] === '}') {
          i++;
          return obj;
        }
        for (;;) {
          ws();
          if (text[i] !== '"') fail('expected a string key');
          const k = str();
          ws();
          if (text[i] !== ':') fail("expected ':'");
          i++;
          Object.defineProperty(obj, k, {
            value: value(),
            enumerable: true,
            writable: true,
            configurable: true,
          });
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === '}') {
            i++;
            return obj;
          }
          fail("expected ',' or '}'");
        }
      }
      // falls through (unreachable)
      case '[': {
        i++;
        const arr: PyJson[] = [];
        ws();
        if (text[i] === ']') {
          i++;
          return arr;
        }
        for (;;) {
          arr.push(value());
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ']') {
            i++;
            return arr;
          }
          fail("expected ',' or ']'");
        }
      }
      // falls through (unreachable)
      case '"':
        return str();
      case undefined:
        return fail('unexpected end of text');
      default: {
        const c0 = text.charCodeAt(i);
        if (c0 === 0x2d || (c0 >= 0x30 && c0 <= 0x39)) {
          if (c0 === 0x2d && text.startsWith('-Infinity', i)) {
            i += 9;
            return new PyFloat(-Infinity);
          }
          return num();
        }
        for (const [word, v] of WORDS) {
          if (text.startsWith(word, i)) {
            i += word.length;
            return v();
          }
        }
        return fail(`unexpected '${c}'`);
      }
    }
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;

const WORDS: [string, () => PyJson][] = [
  ['null', () => null],
  ['true', () => true],
  ['false', () => false],
  ['NaN', () => new PyFloat(NaN)],
  ['Infinity', () => new PyFloat(Infinity)],
  ['-Infinity', () => new PyFloat(-Infinity)],
];

/** Python's repr of a float. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument gives the shortest round-trip digits, as Python does.
  const [mant, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/** A string as json.dumps writes it (ensure_ascii by default). */
export function pyJsonString(s: string, ensureAscii = true): string {
  let out = '"';
  let run = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    let esc: string | null = null;
    if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = '\\\\';
    else if (c === 0x0a) esc = '\\n';
    else if (c === 0x0d) esc = '\\r';
    else if (c === 0x09) esc = '\\t';
    else if (c === 0x08) esc = '\\b';
    else if (c === 0x0c) esc = '\\f';
    else if (c < 0x20 || (ensureAscii && c > 0x7e)) esc = '\\u' + c.toString(16).padStart(4, '0');
    if (esc === null) continue;
    out += s.slice(run, k) + esc;
    run = k + 1;
  }
  return out + s.slice(run) + '"';
}

export interface DumpOptions {
  sortKeys?: boolean;
  /** Spaces per level; with an indent, items are separated by ',' and a newline (Python 3). */
  indent?: number;
  ensureAscii?: boolean;
}

/** Python's sort order of str keys: by code point (JS sorts by UTF-16 unit). */
export function comparePyStr(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a.codePointAt(k)!,
      y = b.codePointAt(k)!;
    if (x !== y) return x - y;
    if (x > 0xffff) k++;
  }
  return a.length - b.length;
}

function isTypedArray(v: unknown): v is ArrayLike<number | bigint> & { BYTES_PER_ELEMENT: number } {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** json.dumps(value, sort_keys=..., indent=...) byte for byte. */
export function pyJsonDumps(value: unknown, opts: DumpOptions = {}): string {
  const ensureAscii = opts.ensureAscii ?? true;
  const indent = opts.indent;
  const itemSep = indent === undefined ? ', ' : ',';
  const enc = (v: unknown, level: number): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return pyJsonString(v, ensureAscii);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') return Number.isInteger(v) ? intRepr(v) : pyFloatRepr(v);
    if (v instanceof PyFloat) return pyFloatRepr(v.value);
    let items: string[];
    let open: string, close: string;
    if (Array.isArray(v) || v instanceof PyTuple || isTypedArray(v)) {
      const list: unknown[] = v instanceof PyTuple ? v.items : isTypedArray(v) ? typedToList(v) : v;
      open = '[';
      close = ']';
      items = list.map((x) => enc(x, level + 1));
    } else if (typeof v === 'object') {
      let entries: [string, unknown][] =
        v instanceof Map ? [...v.entries()].map(([k, x]) => [keyText(k), x]) : Object.entries(v);
      if (opts.sortKeys) entries = [...entries].sort((a, b) => comparePyStr(a[0], b[0]));
      open = '{';
      close = '}';
      items = entries.map(([k, x]) => `${pyJsonString(k, ensureAscii)}: ${enc(x, level + 1)}`);
    } else {
      throw new TypeError(`Object of type ${typeof v} is not JSON serializable`);
    }
    if (items.length === 0) return open + close;
    if (indent === undefined) return open + items.join(itemSep) + close;
    const inner = '\n' + ' '.repeat(indent * (level + 1));
    return open + inner + items.join(itemSep + inner) + '\n' + ' '.repeat(indent * level) + close;
  };
  return enc(value, 0);
}

function intRepr(v: number): string {
  // Integral doubles beyond 2^53 still print every digit, as Python's int would.
  return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
}

function keyText(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k instanceof PyFloat) return pyFloatRepr(k.value);
  if (typeof k === 'number') return Number.isInteger(k) ? intRepr(k) : pyFloatRepr(k);
  if (k === null) return 'null';
  if (typeof k === 'boolean') return String(k);
  return String(k);
}

/** numpy's tolist(): float arrays give Python floats, integer arrays ints. */
function typedToList(v: ArrayLike<number | bigint> & { BYTES_PER_ELEMENT: number }): unknown[] {
  const isFloat = v instanceof Float32Array || v instanceof Float64Array;
  return Array.from(v as ArrayLike<number | bigint>, (x) => (isFloat ? new PyFloat(x as number) : x));
}
