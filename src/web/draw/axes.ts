// Axis scales shared by the viewer (uPlot) and the SVG figures: linear, or asinh (logarithmic for
// large values, linear through zero, so peaks of zero or negative area or width still show).
// Pure functions: this module runs in the browser as well as in Node.

export type AxisKind = 'linear' | 'asinh';

/** Below this |value| the asinh axis is close to linear (uPlot's asinh linear threshold). */
export const ASINH_LINEAR = 1;

export function forward(kind: AxisKind, v: number): number {
  return kind === 'asinh' ? Math.asinh(v / ASINH_LINEAR) : v;
}

/** Range of finite values, widened when empty or flat. */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo, hi];
}

/** Tick values: powers of ten (and zero) on asinh axes, 1-2-5 steps on linear ones. */
export function ticks(kind: AxisKind, [lo, hi]: readonly [number, number]): number[] {
  if (kind === 'asinh') {
    const out: number[] = [];
    if (lo <= 0 && hi >= 0) out.push(0);
    for (let k = 0; k <= 12; k++) {
      const p = 10 ** k;
      if (p >= lo && p <= hi) out.push(p);
      if (-p >= lo && -p <= hi) out.push(-p);
    }
    return out.sort((a, b) => a - b);
  }
  const span = hi - lo;
  const raw = span / 6;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(+v.toPrecision(6));
}
