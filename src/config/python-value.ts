// The Python values URL query parameters turn into (straxen parses each with
// ast.literal_eval, falling back to the raw text), and Python's str() of them, which decides
// how a normalised URL is spelled in the lineage.

import { PyFloat } from '../core/pyfloat.js';
import { pyFloatRepr as jsonFloatRepr } from '../core/pyjson.js';

/** A parsed literal: ints are JS numbers, floats PyFloat, tuples PyTupleValue. */
export type PyValue = number | PyFloat | string | boolean | null | PyValue[] | PyTupleValue | PyDictValue;

export class PyTupleValue {
  constructor(readonly items: PyValue[]) {}
}

export class PyDictValue {
  constructor(readonly entries: [PyValue, PyValue][]) {}
}

class NotALiteral extends Error {}

const INT_RE = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?\d)*|0(?:_?0)*)/;
const FLOAT_RE = /^(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*[eE][+-]?\d(?:_?\d)*)/;

/** Python's ast.literal_eval for the literals a URL can hold; throws NotALiteral otherwise. */
function literalEval(text: string): PyValue {
  let i = 0;
  const s = text;
  const ws = () => { while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r' || s[i] === '\f')) i++; };
  const fail = (): never => { throw new NotALiteral(); };

  const str = (): string => {
    const quote = s[i]!;
    const triple = s.startsWith(quote.repeat(3), i);
    i += triple ? 3 : 1;
    let out = '';
    for (;;) {
      if (i >= s.length) fail();
      if (triple ? s.startsWith(quote.repeat(3), i) : s[i] === quote) { i += triple ? 3 : 1; return out; }
      const ch = s[i]!;
      if (!triple && ch === '\n') fail();
      if (ch === '\\') {
        const e = s[i + 1];
        i += 2;
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };
        if (e !== undefined && e in simple) out += simple[e];
        else if (e === 'x') { out += String.fromCharCode(parseInt(s.slice(i, i + 2), 16)); i += 2; }
        else if (e === 'u') { out += String.fromCharCode(parseInt(s.slice(i, i + 4), 16)); i += 4; }
        else out += '\\' + (e ?? '');
      } else { out += ch; i++; }
    }
  };

  const number = (): number | PyFloat => {
    const rest = s.slice(i);
    const f = FLOAT_RE.exec(rest);
    const n = INT_RE.exec(rest);
    if (f && (!n || f[0].length >= n[0].length)) {
      i += f[0].length;
      if (/^[0-9a-zA-Z_.]/.test(s.slice(i))) fail();
      return new PyFloat(Number(f[0].replace(/_/g, '')));
    }
    if (!n) fail();
    i += n![0].length;
    if (/^[0-9a-zA-Z_.]/.test(s.slice(i))) fail(); // e.g. 012 (leading zeros), 1j, 1abc
    const body = n![0].replace(/_/g, '');
    if (/^0[xob]/i.test(body)) return Number(body.toLowerCase());
    return Number(body);
  };

  const value = (): PyValue => {
    ws();
    const ch = s[i];
    if (ch === undefined) fail();
    if (ch === "'" || ch === '"') return str();
    if (ch === '[' || ch === '(') {
      const close = ch === '[' ? ']' : ')';
      i++;
      const items: PyValue[] = [];
      let trailingComma = false;
      ws();
      while (s[i] !== close) {
        items.push(value());
        ws();
        trailingComma = false;
        if (s[i] === ',') { i++; ws(); trailingComma = true; } else if (s[i] !== close) fail();
      }
      i++;
      if (ch === '[') return items;
      // (x) is just x; (x,) and () are tuples.
      if (items.length === 1 && !trailingComma) return items[0]!;
      return new PyTupleValue(items);
    }
    if (ch === '{') {
      i++;
      const entries: [PyValue, PyValue][] = [];
      ws();
      while (s[i] !== '}') {
        const k = value();
        ws();
        if (s[i] !== ':') fail(); // sets are not supported
        i++;
        entries.push([k, value()]);
        ws();
        if (s[i] === ',') { i++; ws(); } else if (s[i] !== '}') fail();
      }
      i++;
      return new PyDictValue(entries);
    }
    if (ch === '-' || ch === '+') {
      i++;
      ws();
      const v = number();
      if (ch === '+') return v;
      return v instanceof PyFloat ? new PyFloat(-v.value) : -v;
    }
    for (const [word, v] of [['True', true], ['False', false], ['None', null]] as const) {
      if (s.startsWith(word, i) && !/^[0-9a-zA-Z_]/.test(s.slice(i + word.length))) { i += word.length; return v; }
    }
    if (/[0-9.]/.test(ch)) return number();
    return fail();
  };

  // literal_eval strips leading spaces and tabs only.
  while (s[i] === ' ' || s[i] === '\t') i++;
  const v = value();
  ws();
  if (i !== s.length) fail();
  return v;
}

/** straxen's parse_val: the Python literal a query value spells, else the text itself. */
export function parseQueryValue(text: string): PyValue {
  try {
    return literalEval(text);
  } catch (e) {
    if (e instanceof NotALiteral) return text;
    throw e;
  }
}

/** Python's repr() of a float (str() is the same for floats). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return jsonFloatRepr(x);
}

function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return out + quote;
}

/** Python's repr() of a parsed value. */
export function pyRepr(v: PyValue): string {
  if (typeof v === 'string') return pyStrRepr(v);
  return pyStr(v);
}

/** Python's str() of a parsed value. */
export function pyStr(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(BigInt(v)) : pyFloatRepr(v);
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof PyTupleValue) {
    return v.items.length === 1 ? `(${pyRepr(v.items[0]!)},)` : `(${v.items.map(pyRepr).join(', ')})`;
  }
  return `{${v.entries.map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
}

/** The plain JS value a protocol works with (floats unwrapped, tuples as arrays, dicts as objects). */
export function toJsValue(v: PyValue): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toJsValue);
  if (v instanceof PyTupleValue) return v.items.map(toJsValue);
  if (v instanceof PyDictValue) return Object.fromEntries(v.entries.map(([k, x]) => [String(toJsValue(k)), toJsValue(x)]));
  return v;
}
