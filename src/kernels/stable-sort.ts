// Stable index sorts on typed arrays (what numpy's mergesort argsort gives). Integer keys (times,
// channels) are packed with their index into 64-bit words and sorted natively, which is stable
// because the index breaks ties; other keys use a natural merge sort. NaN keys go last, as in
// numpy.

/**
 * Stable order by key (then by the secondary key when given); null when already in order.
 * Rows with a NaN key come last, in index order.
 */
export function stableOrder(
  key: ArrayLike<number>,
  n: number,
  secondary?: ArrayLike<number>,
): Int32Array | null {
  if (n < 2) return null;
  let kMin = Infinity,
    kMax = -Infinity,
    integral = true,
    descents = 0;
  let prev = -Infinity,
    prevS = -Infinity,
    nans = 0;
  let sMin = 0,
    sMax = 0;
  if (secondary) {
    sMin = Infinity;
    sMax = -Infinity;
  }
  for (let i = 0; i < n; i++) {
    const a = key[i]!;
    if (a !== a) {
      nans++;
      continue;
    }
    if (a < kMin) kMin = a;
    if (a > kMax) kMax = a;
    if (integral && !Number.isInteger(a)) integral = false;
    if (secondary) {
      const b = secondary[i]!;
      if (b < sMin) sMin = b;
      if (b > sMax) sMax = b;
      if (a < prev || (a === prev && b < prevS)) descents++;
      prevS = b;
    } else if (a < prev) descents++;
    prev = a;
  }
  if (nans > 0) return orderNanLast(key, n, nans, secondary);
  if (descents === 0) return null;
  const span = secondary ? sMax - sMin + 1 : 1;
  const keyMax = (kMax - kMin) * span + (span - 1);
  if (integral && (!secondary || Number.isInteger(sMin)) && keyMax < 2 ** 52) {
    const k = new Float64Array(n);
    if (secondary) for (let i = 0; i < n; i++) k[i] = (key[i]! - kMin) * span + (secondary[i]! - sMin);
    else for (let i = 0; i < n; i++) k[i] = key[i]! - kMin;
    // Few runs (e.g. hitlets shifted a little from sorted hits): merging them is cheapest.
    if (descents < 512) return mergeRuns(k, n);
    return packedOrder(k, n, keyMax) ?? mergeRuns(k, n);
  }
  if (secondary) return orderByTwoKeys(key, secondary, n);
  return mergeRuns(
    Float64Array.from({ length: n }, (_, i) => key[i]!),
    n,
  );
}

/**
 * Sort non-negative integer keys by packing key and index into one uint64 per row (index in
 * the low bits) and using the engine's native typed-array sort; null if they do not fit.
 */
function packedOrder(k: Float64Array, n: number, keyMax: number): Int32Array | null {
  let b = 1;
  while (2 ** b < n) b++;
  if (keyMax >= 2 ** (64 - b)) return null;
  const words = new BigUint64Array(n);
  const w = new Uint32Array(words.buffer);
  packWords(k, n, b, w);
  words.sort();
  const out = new Int32Array(n);
  unpackIndices(w, 2 ** b - 1, out);
  return out;
}

// packedOrder's loops, each a function ending with it (see records-pass.ts).

/** Key i (below 2^(64 − b)) and index i (below 2^b) as one little-endian uint64 in w. */
function packWords(k: Float64Array, n: number, b: number, w: Uint32Array): void {
  const mul = 2 ** b,
    lowSpan = 2 ** (32 - b);
  for (let i = 0; i < n; i++) {
    const v = k[i]!;
    const h = Math.floor(v / lowSpan);
    w[2 * i] = (v - h * lowSpan) * mul + i;
    w[2 * i + 1] = h;
  }
}

/** The indices back out of the sorted words (the low bits of each low word). */
function unpackIndices(w: Uint32Array, mask: number, out: Int32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = w[2 * i]! & mask;
}

function mergeRuns(key: Float64Array, n: number): Int32Array {
  const bounds: number[] = [0];
  for (let i = 1; i < n; i++) if (key[i]! < key[i - 1]!) bounds.push(i);
  bounds.push(n);
  let si = new Int32Array(n),
    di = new Int32Array(n);
  let sk = Float64Array.from(key.subarray(0, n)),
    dk = new Float64Array(n);
  for (let i = 0; i < n; i++) si[i] = i;
  let runs = bounds;
  while (runs.length > 2) {
    const next: number[] = [0];
    for (let r = 0; r + 1 < runs.length; r += 2) {
      const lo = runs[r]!,
        mid = runs[r + 1]!;
      const hi = r + 2 < runs.length ? runs[r + 2]! : mid;
      let i = lo,
        j = mid,
        o = lo;
      while (i < mid && j < hi) {
        // Take from the right only when strictly smaller: equal keys keep input order.
        if (sk[j]! < sk[i]!) {
          dk[o] = sk[j]!;
          di[o++] = si[j++]!;
        } else {
          dk[o] = sk[i]!;
          di[o++] = si[i++]!;
        }
      }
      while (i < mid) {
        dk[o] = sk[i]!;
        di[o++] = si[i++]!;
      }
      while (j < hi) {
        dk[o] = sk[j]!;
        di[o++] = si[j++]!;
      }
      next.push(hi);
    }
    if (next[next.length - 1] !== n) next.push(n);
    runs = next;
    const t = si;
    si = di;
    di = t;
    const u = sk;
    sk = dk;
    dk = u;
  }
  return si;
}

/** Non-NaN rows in stable order, then the NaN rows in index order (numpy's argsort). */
function orderNanLast(
  key: ArrayLike<number>,
  n: number,
  nans: number,
  secondary?: ArrayLike<number>,
): Int32Array {
  const m = n - nans;
  const rows = new Int32Array(n);
  const k = new Float64Array(m),
    s = secondary ? new Float64Array(m) : undefined;
  let a = 0,
    b = m;
  for (let i = 0; i < n; i++) {
    const v = key[i]!;
    if (v !== v) {
      rows[b++] = i;
      continue;
    }
    if (s) s[a] = secondary![i]!;
    k[a] = v;
    rows[a++] = i;
  }
  const sub = stableOrder(k, m, s);
  if (sub) {
    const finite = rows.slice(0, m);
    for (let j = 0; j < m; j++) rows[j] = finite[sub[j]!]!;
  }
  return rows;
}

/** Fallback for keys too wide to combine: a stable comparison sort on two keys. */
function orderByTwoKeys(key: ArrayLike<number>, secondary: ArrayLike<number>, n: number): Int32Array | null {
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (key[i]! < key[i - 1]! || (key[i] === key[i - 1] && secondary[i]! < secondary[i - 1]!)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return null;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => key[a]! - key[b]! || secondary[a]! - secondary[b]! || a - b);
  return Int32Array.from(idx);
}

/** stableOrder as a full index array (identity when already sorted): numpy's
 * argsort(kind='mergesort'), or with `secondary` a stable sort by (key, secondary) such as
 * strax's sort by (time, channel). */
export function stableArgsort(
  key: ArrayLike<number>,
  n: number = key.length,
  secondary?: ArrayLike<number>,
): Int32Array {
  const o = stableOrder(key, n, secondary);
  if (o) return o;
  const id = new Int32Array(n);
  for (let i = 0; i < n; i++) id[i] = i;
  return id;
}
