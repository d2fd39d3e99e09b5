// Interpolation of detector maps (light collection, field distortion, biases) at event
// positions: inverse-distance weighting over the nearest map points, and multilinear
// interpolation on a rectilinear grid with linear extrapolation outside it. The arithmetic
// follows the order numpy/scipy use so that results agree to the last bit where possible.

import { KdTree } from './kdtree.js';

/** Evenly spaced values from start to stop inclusive: start + i·step, the last exactly stop. */
export function linspace(start: number, stop: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = start;
    return out;
  }
  const div = n - 1;
  const step = (stop - start) / div;
  for (let i = 0; i < n; i++) out[i] = step === 0 ? (i / div) * (stop - start) + start : i * step + start;
  if (n > 1) out[n - 1] = stop;
  return out;
}

/** All points of a grid (axes given), row-major with the last axis varying fastest. */
export function gridPoints(axes: readonly Float64Array[]): Float64Array {
  const d = axes.length;
  let total = 1;
  for (const a of axes) total *= a.length;
  const out = new Float64Array(total * d);
  const idx = new Array<number>(d).fill(0);
  for (let p = 0; p < total; p++) {
    for (let j = 0; j < d; j++) out[p * d + j] = axes[j]![idx[j]!]!;
    for (let j = d - 1; j >= 0; j--) {
      if (++idx[j]! < axes[j]!.length) break;
      idx[j] = 0;
    }
  }
  return out;
}

/** Sorted distinct values of one coordinate of a point cloud (NaN excluded). */
export function uniqueCoordinates(points: Float64Array, dims: number, dim: number): Float64Array {
  const vals: number[] = [];
  for (let i = dim; i < points.length; i += dims) vals.push(points[i]!);
  vals.sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of vals) if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  return Float64Array.from(out);
}

/** numpy's float64 sum of a short vector: plain for fewer than 8 terms, else 8-way pairwise. */
export function numpySum(x: Float64Array, n: number): number {
  if (n < 8) {
    let r = -0;
    for (let i = 0; i < n; i++) r += x[i]!;
    return r;
  }
  if (n > 128) {
    const half = (n >> 1) - ((n >> 1) % 8);
    return numpySum(x, half) + numpySum(x.subarray(half), n - half);
  }
  let r0 = x[0]!,
    r1 = x[1]!,
    r2 = x[2]!,
    r3 = x[3]!,
    r4 = x[4]!,
    r5 = x[5]!,
    r6 = x[6]!,
    r7 = x[7]!;
  let i = 8;
  for (; i < n - (n % 8); i += 8) {
    r0 += x[i]!;
    r1 += x[i + 1]!;
    r2 += x[i + 2]!;
    r3 += x[i + 3]!;
    r4 += x[i + 4]!;
    r5 += x[i + 5]!;
    r6 += x[i + 6]!;
    r7 += x[i + 7]!;
  }
  let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
  for (; i < n; i++) res += x[i]!;
  return res;
}

/**
 * Inverse-distance weighted average of the k nearest map points (weights 1/max(d, 1e-6)),
 * which extrapolates flatly outside the map. query[j][i] is coordinate j of point i; a point
 * with a non-finite coordinate gives NaN. values: one row of `width` numbers per map point;
 * out: n × width.
 */
export function inverseDistanceInterpolate(
  tree: KdTree,
  values: Float64Array,
  width: number,
  k: number,
  query: readonly ArrayLike<number>[],
  n: number,
  out: Float64Array,
): void {
  const d = tree.dims;
  if (query.length !== d) throw new Error(`map has ${d} dimensions but positions have ${query.length}`);
  const q = new Float64Array(d);
  const idx = new Int32Array(k),
    dist = new Float64Array(k);
  const w = new Float64Array(k),
    vw = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let finite = true;
    for (let j = 0; j < d; j++) {
      const v = Number(query[j]![i]);
      q[j] = v;
      if (!Number.isFinite(v)) finite = false;
    }
    if (!finite) {
      out.fill(NaN, i * width, (i + 1) * width);
      continue;
    }
    tree.query(q, k, idx, dist);
    for (let m = 0; m < k; m++) w[m] = 1 / Math.max(dist[m]!, 1e-6);
    const wsum = numpySum(w, k);
    if (width === 1) {
      for (let m = 0; m < k; m++) vw[m] = values[idx[m]!]! * w[m]!;
      out[i] = numpySum(vw, k) / wsum;
    } else {
      // Vector-valued maps: weights normalised first, then summed per component.
      for (let c = 0; c < width; c++) {
        let s = 0;
        for (let m = 0; m < k; m++) s += values[idx[m]! * width + c]! * (w[m]! / wsum);
        out[i * width + c] = s;
      }
    }
  }
}

/** Index i with axis[i] <= x < axis[i+1], clamped to [0, n-2] outside; -1 for NaN. */
function findInterval(axis: Float64Array, x: number): number {
  const n = axis.length;
  if (Number.isNaN(x)) return -1;
  if (!(x >= axis[0]!)) return 0;
  if (x >= axis[n - 1]!) return n - 2;
  let lo = 0,
    hi = n - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (axis[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Multilinear interpolation on a rectilinear grid (axes strictly increasing), extrapolating
 * linearly outside it (scipy RegularGridInterpolator, method "linear", no bounds error, no
 * fill value). values: grid points in row-major order, `width` numbers each; NaN positions give
 * NaN. Two-dimensional scalar maps use scipy's compiled formula, everything else its generic
 * hypercube sum; the two round differently.
 */
export function regularGridInterpolate(
  axes: readonly Float64Array[],
  values: Float64Array,
  width: number,
  query: readonly ArrayLike<number>[],
  n: number,
  out: Float64Array,
): void {
  const d = axes.length;
  if (query.length !== d) throw new Error(`map has ${d} dimensions but positions have ${query.length}`);
  const index = new Int32Array(d),
    y = new Float64Array(d);
  const strides = new Array<number>(d);
  let s = width;
  for (let j = d - 1; j >= 0; j--) {
    strides[j] = s;
    s *= axes[j]!.length;
  }
  const fast2d = d === 2 && width === 1;
  const corners = 1 << d;
  for (let i = 0; i < n; i++) {
    let nan = false;
    for (let j = 0; j < d; j++) {
      const x = Number(query[j]![i]);
      const axis = axes[j]!;
      if (Number.isNaN(x)) {
        nan = true;
        break;
      }
      if (axis.length === 1) {
        index[j] = 0;
        y[j] = 0;
        continue;
      }
      const k = findInterval(axis, x);
      index[j] = k;
      y[j] = (x - axis[k]!) / (axis[k + 1]! - axis[k]!);
    }
    if (nan) {
      out.fill(NaN, i * width, (i + 1) * width);
      continue;
    }
    if (fast2d && axes[0]!.length > 1 && axes[1]!.length > 1) {
      const i0 = index[0]!,
        i1 = index[1]!,
        y0 = y[0]!,
        y1 = y[1]!,
        n1 = axes[1]!.length;
      const v = (a: number, b: number) => values[a * n1 + b]!;
      let r = 0.0;
      r = r + v(i0, i1) * (1 - y0) * (1 - y1);
      r = r + v(i0, i1 + 1) * (1 - y0) * y1;
      r = r + v(i0 + 1, i1) * y0 * (1 - y1);
      r = r + v(i0 + 1, i1 + 1) * y0 * y1;
      out[i] = r;
      continue;
    }
    if (fast2d) {
      // A length-one axis: linear along the other one only.
      const along = axes[0]!.length > 1 ? 0 : 1;
      const k = index[along]!,
        t = y[along]!;
      out[i] = axes[along]!.length > 1 ? values[k]! * (1 - t) + values[k + 1]! * t : values[0]!;
      continue;
    }
    for (let c = 0; c < width; c++) out[i * width + c] = 0;
    // Corners in itertools.product order: the first axis varies slowest.
    for (let corner = 0; corner < corners; corner++) {
      let weight = 1.0;
      let offset = 0;
      for (let j = 0; j < d; j++) {
        const upper = (corner >> (d - 1 - j)) & 1;
        weight = weight * (upper ? y[j]! : 1 - y[j]!);
        offset += (axes[j]!.length === 1 ? 0 : index[j]! + upper) * strides[j]!;
      }
      for (let c = 0; c < width; c++) out[i * width + c] = out[i * width + c]! + values[offset + c]! * weight;
    }
  }
}
