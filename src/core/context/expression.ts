// A small, safe selection language over record fields (what strax hands to numexpr):
//   area > 100 & n_hits >= 3
//   (type == 2) | ~(area_fraction_top < 0.5)
//   abs(x) < 10 & s1_area * 2 >= s2_area / 100
// Fields are scalar columns; numbers; + - * / %; comparisons < <= > >= == !=; & | ~ (also
// and/or/not); functions abs, sqrt, log, log10, exp. Comparisons bind tighter than & and |.
// Nothing else is evaluated: no property access, no calls to anything but those functions.
// Values are doubles, so int64 fields (time) compare exactly only below 2^53; use timeRange.

import type { Records } from '../records.js';

type Node =
  | { k: 'num'; v: number }
  | { k: 'field'; name: string }
  | { k: 'un'; op: '-' | '~'; a: Node }
  | { k: 'bin'; op: string; a: Node; b: Node }
  | { k: 'call'; fn: string; a: Node };

const FUNCS: Record<string, (x: number) => number> = {
  abs: Math.abs,
  sqrt: Math.sqrt,
  log: Math.log,
  log10: Math.log10,
  exp: Math.exp,
};

function tokenize(src: string): string[] {
  const re =
    /\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([A-Za-z_]\w*)|(<=|>=|==|!=|&&|\|\||[-+*/%<>&|~()!]))/y;
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new Error(`selection '${src}': cannot read '${src.slice(i).trim()}'`);
    out.push(m[1] ?? m[2] ?? m[3]!);
    i = re.lastIndex;
  }
  return out;
}

export function parseSelection(src: string): Node {
  const toks = tokenize(src);
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const fail = (msg: string): never => {
    throw new Error(`selection '${src}': ${msg}`);
  };
  const eat = (t: string): void => {
    if (toks[i] !== t) fail(`expected '${t}' at '${toks.slice(i).join(' ') || 'end'}'`);
    i++;
  };
  const isOr = (t?: string): boolean => t === '|' || t === '||' || t === 'or';
  const isAnd = (t?: string): boolean => t === '&' || t === '&&' || t === 'and';
  const or = (): Node => {
    let a = and();
    while (isOr(peek())) {
      i++;
      a = { k: 'bin', op: '|', a, b: and() };
    }
    return a;
  };
  const and = (): Node => {
    let a = not();
    while (isAnd(peek())) {
      i++;
      a = { k: 'bin', op: '&', a, b: not() };
    }
    return a;
  };
  const not = (): Node => {
    const t = peek();
    if (t === '~' || t === '!' || t === 'not') {
      i++;
      return { k: 'un', op: '~', a: not() };
    }
    return cmp();
  };
  const cmp = (): Node => {
    const a = add();
    const t = peek();
    if (t && ['<', '<=', '>', '>=', '==', '!='].includes(t)) {
      i++;
      return { k: 'bin', op: t, a, b: add() };
    }
    return a;
  };
  const add = (): Node => {
    let a = mul();
    while (peek() === '+' || peek() === '-') {
      const op = toks[i++]!;
      a = { k: 'bin', op, a, b: mul() };
    }
    return a;
  };
  const mul = (): Node => {
    let a = unary();
    while (['*', '/', '%'].includes(peek() ?? '')) {
      const op = toks[i++]!;
      a = { k: 'bin', op, a, b: unary() };
    }
    return a;
  };
  const unary = (): Node => {
    if (peek() === '-') {
      i++;
      return { k: 'un', op: '-', a: unary() };
    }
    if (peek() === '+') {
      i++;
      return unary();
    }
    return primary();
  };
  const primary = (): Node => {
    const t = toks[i++];
    if (t === undefined) return fail('unexpected end');
    if (t === '(') {
      const e = or();
      eat(')');
      return e;
    }
    if (/^[\d.]/.test(t)) return { k: 'num', v: Number(t) };
    if (/^[A-Za-z_]/.test(t)) {
      if (t === 'True' || t === 'true') return { k: 'num', v: 1 };
      if (t === 'False' || t === 'false') return { k: 'num', v: 0 };
      if (peek() === '(') {
        if (!FUNCS[t]) fail(`unknown function '${t}' (known: ${Object.keys(FUNCS).join(', ')})`);
        i++;
        const a = or();
        eat(')');
        return { k: 'call', fn: t, a };
      }
      return { k: 'field', name: t };
    }
    return fail(`unexpected '${t}'`);
  };
  const e = or();
  if (i !== toks.length) fail(`unexpected '${toks[i]}'`);
  return e;
}

/** Evaluate to one number per row (booleans as 0/1). */
function evaluate(n: Node, r: Records): Float64Array {
  const len = r.length;
  switch (n.k) {
    case 'num':
      return new Float64Array(len).fill(n.v);
    case 'field': {
      if (!r.dtype.has(n.name))
        throw new Error(`selection: no field '${n.name}' (fields: ${r.dtype.names.join(', ')})`);
      if (r.width(n.name) !== 1)
        throw new Error(`selection: field '${n.name}' holds several values per row and cannot be compared`);
      const c = r.col(n.name);
      const out = new Float64Array(len);
      for (let i = 0; i < len; i++) out[i] = Number(c[i]);
      return out;
    }
    case 'un': {
      const a = evaluate(n.a, r);
      for (let i = 0; i < len; i++) a[i] = n.op === '-' ? -a[i]! : a[i] ? 0 : 1;
      return a;
    }
    case 'call': {
      const a = evaluate(n.a, r);
      const f = FUNCS[n.fn]!;
      for (let i = 0; i < len; i++) a[i] = f(a[i]!);
      return a;
    }
    case 'bin': {
      const a = evaluate(n.a, r),
        b = evaluate(n.b, r);
      const f = BIN[n.op]!;
      for (let i = 0; i < len; i++) a[i] = f(a[i]!, b[i]!);
      return a;
    }
  }
}

const BIN: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '<': (a, b) => +(a < b),
  '<=': (a, b) => +(a <= b),
  '>': (a, b) => +(a > b),
  '>=': (a, b) => +(a >= b),
  '==': (a, b) => +(a === b),
  '!=': (a, b) => +(a !== b),
  '&': (a, b) => +(!!a && !!b),
  '|': (a, b) => +(!!a || !!b),
};

/** Row mask of a selection (several selections are and-ed, as strax joins a list with &). */
export function selectionMask(r: Records, selection: string | readonly string[]): Uint8Array {
  const parts = typeof selection === 'string' ? [selection] : selection;
  const mask = new Uint8Array(r.length).fill(1);
  for (const s of parts) {
    const v = evaluate(parseSelection(s), r);
    for (let i = 0; i < r.length; i++) if (!v[i]) mask[i] = 0;
  }
  return mask;
}
