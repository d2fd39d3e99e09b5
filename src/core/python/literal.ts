// Python literals as ast.literal_eval reads them: strings (bytes read as text), ints, floats
// (kept apart from ints as PyFloat: lineage text depends on it), None/True/False, lists, tuples
// and dicts. One reader for everything Python writes as text: numpy descrs in metadata, .npy
// headers, the values of URL option query parameters.

import { PyFloat } from './float.js';

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** A dict in its written order (keys may be any literal). */
export class PyDict {
  constructor(readonly entries: [PyValue, PyValue][]) {}

  /** The value under a string key, or undefined. */
  get(key: string): PyValue | undefined {
    for (const [k, v] of this.entries) if (k === key) return v;
    return undefined;
  }
}

/** A parsed literal: ints are JS numbers, floats PyFloat. */
export type PyValue = number | PyFloat | string | boolean | null | PyValue[] | PyTuple | PyDict;

export class PyLiteralError extends Error {}

const INT_RE = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?\d)*|0(?:_?0)*)/;
const FLOAT_RE =
  /^(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*[eE][+-]?\d(?:_?\d)*)/;
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\n': '',
};

/** Python's ast.literal_eval for the literals above; throws PyLiteralError on anything else. */
export function parsePythonLiteral(text: string): PyValue {
  let i = 0;
  const s = text;
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r' || s[i] === '\f'))
      i++;
  };
  const fail = (what: string): never => {
    throw new PyLiteralError(`cannot parse Python literal at offset ${i}: ${what}`);
  };

  const str = (): string => {
    const quote = s[i]!;
    const triple = s.startsWith(quote.repeat(3), i);
    i += triple ? 3 : 1;
    let out = '';
    for (;;) {
      if (i >= s.length) fail('unterminated string');
      if (triple ? s.startsWith(quote.repeat(3), i) : s[i] === quote) {
        i += triple ? 3 : 1;
        return out;
      }
      const ch = s[i]!;
      if (!triple && ch === '\n') fail('line break in string');
      if (ch === '\\') {
        const e = s[i + 1];
        i += 2;
        if (e !== undefined && e in ESCAPES) out += ESCAPES[e];
        else if (e === 'x') {
          out += String.fromCharCode(parseInt(s.slice(i, i + 2), 16));
          i += 2;
        } else if (e === 'u') {
          out += String.fromCharCode(parseInt(s.slice(i, i + 4), 16));
          i += 4;
        } else if (e === 'U') {
          out += String.fromCodePoint(parseInt(s.slice(i, i + 8), 16));
          i += 8;
        } else out += '\\' + (e ?? '');
      } else {
        out += ch;
        i++;
      }
    }
  };

  const number = (): number | PyFloat => {
    const rest = s.slice(i);
    const f = FLOAT_RE.exec(rest);
    const n = INT_RE.exec(rest);
    if (f && (!n || f[0].length >= n[0].length)) {
      i += f[0].length;
      if (/^[0-9a-zA-Z_.]/.test(s.slice(i))) fail('malformed number');
      return new PyFloat(Number(f[0].replace(/_/g, '')));
    }
    if (!n) return fail('malformed number');
    i += n[0].length;
    if (/^[0-9a-zA-Z_.]/.test(s.slice(i))) fail('malformed number'); // e.g. 012 (leading zeros), 1j, 1abc
    const body = n[0].replace(/_/g, '');
    if (/^0[xob]/i.test(body)) return Number(body.toLowerCase());
    return Number(body);
  };

  const value = (): PyValue => {
    ws();
    const ch = s[i];
    if (ch === undefined) return fail('unexpected end');
    if (ch === "'" || ch === '"') return str();
    if ((ch === 'b' || ch === 'B') && (s[i + 1] === "'" || s[i + 1] === '"')) {
      i++;
      return str();
    }
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
        if (s[i] === ',') {
          i++;
          ws();
          trailingComma = true;
        } else if (s[i] !== close) fail(`expected ',' or '${close}'`);
      }
      i++;
      if (ch === '[') return items;
      // (x) is just x; (x,) and () are tuples.
      if (items.length === 1 && !trailingComma) return items[0]!;
      return new PyTuple(items);
    }
    if (ch === '{') {
      i++;
      const entries: [PyValue, PyValue][] = [];
      ws();
      while (s[i] !== '}') {
        const k = value();
        ws();
        if (s[i] !== ':') fail("expected ':'"); // sets are not supported
        i++;
        entries.push([k, value()]);
        ws();
        if (s[i] === ',') {
          i++;
          ws();
        } else if (s[i] !== '}') fail("expected ',' or '}'");
      }
      i++;
      return new PyDict(entries);
    }
    if (ch === '-' || ch === '+') {
      i++;
      ws();
      const v = number();
      if (ch === '+') return v;
      return v instanceof PyFloat ? new PyFloat(-v.value) : -v;
    }
    for (const [word, v] of [
      ['True', true],
      ['False', false],
      ['None', null],
    ] as const) {
      if (s.startsWith(word, i) && !/^[0-9a-zA-Z_]/.test(s.slice(i + word.length))) {
        i += word.length;
        return v;
      }
    }
    if (/[0-9.]/.test(ch)) return number();
    return fail(`unexpected '${ch}'`);
  };

  // literal_eval strips leading spaces and tabs only.
  while (s[i] === ' ' || s[i] === '\t') i++;
  const v = value();
  ws();
  if (i !== s.length) fail('trailing text');
  return v;
}

/** Python's repr of a str: single quotes unless the text holds one and no double quote. */
export function pyStrRepr(s: string): string {
  const useDouble = s.includes("'") && !s.includes('"');
  const quote = useDouble ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}
