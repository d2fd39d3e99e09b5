// Python tells 28 from 28.0 and strax's lineage hash sees the difference, so a number that
// Python would hold as a float is wrapped wherever lineage text is built.

export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
}

export const pyFloat = (x: number): PyFloat => new PyFloat(x);

/** Replace every PyFloat by its number (what plugins compute with). */
export function unwrapPy<T>(v: T): T {
  if (v instanceof PyFloat) return v.value as T;
  if (Array.isArray(v)) return v.map(unwrapPy) as T;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = unwrapPy(x);
    return o as T;
  }
  return v;
}
