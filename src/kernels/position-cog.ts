// Centre-of-gravity position reconstruction: the area-weighted mean of the top-array PMT
// positions. Sums in float64 with numpy's pairwise order so results match numpy bit for bit.

/** numpy's pairwise summation (8 accumulators, blocks of 128) of a[off .. off+n). */
export function pairwiseSum(a: Float64Array, off: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[off + i]!;
    return s;
  }
  if (n <= 128) {
    let r0 = a[off]!,
      r1 = a[off + 1]!,
      r2 = a[off + 2]!,
      r3 = a[off + 3]!;
    let r4 = a[off + 4]!,
      r5 = a[off + 5]!,
      r6 = a[off + 6]!,
      r7 = a[off + 7]!;
    const stop = n - (n % 8);
    let i = 8;
    for (; i < stop; i += 8) {
      const b = off + i;
      r0 += a[b]!;
      r1 += a[b + 1]!;
      r2 += a[b + 2]!;
      r3 += a[b + 3]!;
      r4 += a[b + 4]!;
      r5 += a[b + 5]!;
      r6 += a[b + 6]!;
      r7 += a[b + 7]!;
    }
    let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) s += a[off + i]!;
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
}

export interface CogResult {
  x: Float32Array;
  y: Float32Array;
}

/**
 * Per row of `areaPerChannel` (nChannels values per row, float32), over channels
 * [0, nTop): x = Σ a·x_pmt / Σ a and y likewise, in float64, stored as float32. NaN when the
 * summed top area is not positive.
 */
export function centreOfGravity(
  areaPerChannel: Float32Array,
  nChannels: number,
  nTop: number,
  pmtX: ArrayLike<number>,
  pmtY: ArrayLike<number>,
): CogResult {
  if (nTop > nChannels)
    throw new Error(`top array (${nTop} channels) larger than the per-channel areas (${nChannels})`);
  if (pmtX.length < nTop || pmtY.length < nTop)
    throw new Error(`PMT positions cover ${Math.min(pmtX.length, pmtY.length)} channels, need ${nTop}`);
  const rows = nChannels === 0 ? 0 : areaPerChannel.length / nChannels;
  const x = new Float32Array(rows),
    y = new Float32Array(rows);
  const a = new Float64Array(nTop),
    ax = new Float64Array(nTop),
    ay = new Float64Array(nTop);
  for (let r = 0; r < rows; r++) {
    const base = r * nChannels;
    for (let c = 0; c < nTop; c++) {
      const v = areaPerChannel[base + c]!;
      a[c] = v;
      ax[c] = v * pmtX[c]!;
      ay[c] = v * pmtY[c]!;
    }
    const s = pairwiseSum(a, 0, nTop);
    if (s > 0) {
      x[r] = pairwiseSum(ax, 0, nTop) / s;
      y[r] = pairwiseSum(ay, 0, nTop) / s;
    } else {
      x[r] = NaN;
      y[r] = NaN;
    }
  }
  return { x, y };
}
