// Epoch-nanosecond times (int64) as exact float64 offsets from a base time, without BigInt
// arithmetic per row: the int64 words are read and written through 32-bit views.

const TWO32 = 4294967296;

function words(a: BigInt64Array): { lo: Uint32Array; hi: Int32Array } {
  return {
    lo: new Uint32Array(a.buffer, a.byteOffset, a.length * 2),
    hi: new Int32Array(a.buffer, a.byteOffset, a.length * 2),
  };
}

// The base's two 32-bit words as plain numbers, not an object: its low word is a small integer
// for some bases and not for others, and an object field changing representation that way threw
// away all code compiled against the object's shape.
function baseLo(base: bigint): number {
  return Number(BigInt.asUintN(64, base) & 0xffffffffn);
}
function baseHi(base: bigint): number {
  return Number(BigInt.asIntN(32, BigInt.asUintN(64, base) >> 32n));
}

/** time[i] − base as float64; exact while |time − base| < 2^53 ns (about 104 days). */
export function timeOffsets(time: BigInt64Array, base: bigint, out?: Float64Array): Float64Array {
  const n = time.length;
  const res = out ?? new Float64Array(n);
  const { lo, hi } = words(time);
  const bLo = baseLo(base),
    bHi = baseHi(base);
  for (let i = 0; i < n; i++) {
    res[i] = (hi[2 * i + 1]! - bHi) * TWO32 + (lo[2 * i]! - bLo);
  }
  return res;
}

/** Write base + offsets[i] (integers in float64) into out[i] for i < n. */
export function storeTimes(
  offsets: ArrayLike<number>,
  base: bigint,
  out: BigInt64Array,
  n = offsets.length,
): void {
  const { lo, hi } = words(out);
  const bLo = baseLo(base),
    bHi = baseHi(base);
  for (let i = 0; i < n; i++) {
    const off = offsets[i]!;
    const offHi = Math.floor(off / TWO32);
    let l = bLo + (off - offHi * TWO32);
    let carry = 0;
    if (l >= TWO32) {
      l -= TWO32;
      carry = 1;
    }
    lo[2 * i] = l;
    hi[2 * i + 1] = bHi + offHi + carry;
  }
}

/** base + offsets as a new BigInt64Array. */
export function timesFromOffsets(
  offsets: ArrayLike<number>,
  base: bigint,
  n = offsets.length,
): BigInt64Array {
  const out = new BigInt64Array(n);
  storeTimes(offsets, base, out, n);
  return out;
}

/** The largest of `times` (non-empty) plus, when given, durations[i] added to each (rows'
 * endtimes from their times): compared as float64 offsets from the first, not as a BigInt per
 * element; BigInt only when an offset is too large to be exact. */
export function latestTime(times: BigInt64Array, durations?: (i: number) => number): bigint {
  const n = times.length;
  const base = times[0]!;
  const off = timeOffsets(times, base);
  if (durations) for (let i = 0; i < n; i++) off[i] = off[i]! + durations(i);
  let m = off[0]!,
    exact = true;
  for (let i = 0; i < n; i++) {
    const v = off[i]!;
    if (!(Math.abs(v) < 2 ** 53)) exact = false;
    if (v > m) m = v;
  }
  if (exact) return base + BigInt(m);
  let big = times[0]! + BigInt(durations ? durations(0) : 0);
  for (let i = 1; i < n; i++) {
    const v = times[i]! + BigInt(durations ? durations(i) : 0);
    if (v > big) big = v;
  }
  return big;
}
