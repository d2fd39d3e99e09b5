// Element-wise arithmetic with numpy 1.24's type rules, for corrections whose float32/float64
// path decides the last bits: a float32 array combined with a Python scalar stays float32 (the
// scalar rounded to float32 first), with a float64 array it becomes float64; scalars combine
// in float64. A length-1 array broadcasts against n values (a constant map's result).

export type NpValue = number | Float32Array | Float64Array;

type Op = (a: number, b: number) => number;

const OPS: Record<'+' | '-' | '*' | '/', Op> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
};

function lengthOf(a: Float32Array | Float64Array, b: Float32Array | Float64Array): number {
  if (a.length === b.length || b.length === 1) return a.length;
  if (a.length === 1) return b.length;
  throw new Error(`cannot broadcast arrays of ${a.length} and ${b.length} values`);
}

/** a (op) b with numpy's result type and rounding. */
export function npOp(a: NpValue, op: '+' | '-' | '*' | '/', b: NpValue): NpValue {
  const f = OPS[op];
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  if (typeof b === 'number') {
    const arr = a as Float32Array | Float64Array;
    const s = arr instanceof Float32Array ? Math.fround(b) : b;
    const out = arr instanceof Float32Array ? new Float32Array(arr.length) : new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) out[i] = f(arr[i]!, s);
    return out;
  }
  if (typeof a === 'number') {
    const s = b instanceof Float32Array ? Math.fround(a) : a;
    const out = b instanceof Float32Array ? new Float32Array(b.length) : new Float64Array(b.length);
    for (let i = 0; i < b.length; i++) out[i] = f(s, b[i]!);
    return out;
  }
  const n = lengthOf(a, b);
  const single = a instanceof Float32Array && b instanceof Float32Array;
  const out = single ? new Float32Array(n) : new Float64Array(n);
  const sa = a.length === 1 ? 0 : 1,
    sb = b.length === 1 ? 0 : 1;
  for (let i = 0; i < n; i++) out[i] = f(a[i * sa]!, b[i * sb]!);
  return out;
}

/** Left-to-right evaluation: first (op value) (op value) ... */
export function npChain(first: NpValue, ...steps: ['+' | '-' | '*' | '/', NpValue][]): NpValue {
  let acc = first;
  for (const [op, v] of steps) acc = npOp(acc, op, v);
  return acc;
}

/** exp element-wise in the array's own precision. */
export function npExp(a: NpValue): NpValue {
  if (typeof a === 'number') return Math.exp(a);
  const out = a instanceof Float32Array ? new Float32Array(a.length) : new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Math.exp(a[i]!);
  return out;
}

/** Store a result into an output column of n rows (numpy assignment: broadcast, cast on store). */
export function storeInto(dst: Float32Array | Float64Array, v: NpValue): void {
  if (typeof v === 'number') {
    dst.fill(v);
    return;
  }
  if (v.length === 1 && dst.length !== 1) {
    dst.fill(v[0]!);
    return;
  }
  if (v.length !== dst.length) throw new Error(`cannot store ${v.length} values into ${dst.length} rows`);
  dst.set(v);
}
