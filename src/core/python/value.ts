// The Python values URL query parameters turn into (straxen parses each with
// ast.literal_eval, falling back to the raw text), and Python's str() of them, which decides
// how a normalised URL is spelled in the lineage.

import { PyFloat } from './float.js';
import { pyFloatRepr as jsonFloatRepr } from './json.js';
import { parsePythonLiteral, PyDict, PyLiteralError, pyStrRepr, PyTuple, type PyValue } from './literal.js';

/** straxen's parse_val: the Python literal a query value spells, else the text itself. */
export function parseQueryValue(text: string): PyValue {
  try {
    return parsePythonLiteral(text);
  } catch (e) {
    if (e instanceof PyLiteralError) return text;
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
  if (v instanceof PyTuple) {
    return v.items.length === 1 ? `(${pyRepr(v.items[0]!)},)` : `(${v.items.map(pyRepr).join(', ')})`;
  }
  return `{${v.entries.map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
}

/** The plain JS value a protocol works with (floats unwrapped, tuples as arrays, dicts as objects). */
export function toJsValue(v: PyValue): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toJsValue);
  if (v instanceof PyTuple) return v.items.map(toJsValue);
  if (v instanceof PyDict)
    return Object.fromEntries(v.entries.map(([k, x]) => [String(toJsValue(k)), toJsValue(x)]));
  return v;
}
