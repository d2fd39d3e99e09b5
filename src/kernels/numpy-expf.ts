// The constants are numpy's float32 literals as written there; Math.fround rounds them as numpy does.
/* eslint-disable no-loss-of-precision */
// float32 exp as numpy (>= 1.20 on x86-64 with AVX2/AVX512F) computes it: a vectorised
// Cody-Waite range reduction and a rational minimax approximation evaluated with fused
// multiply-adds, up to 2.5 ulp from the true value. straxen's electron-lifetime correction
// goes through it, so reproducing the algorithm reproduces the last bits of cS2.

const f = Math.fround;

const LOG2E = f(1.442695040888963407359924681001892137);
const MAGIC = f(12582912); // 1.5·2^23
const LN2_HIGH = f(-6.93145752e-1);
const LN2_LOW = f(-1.42860677e-6);
const P = [
  9.999999999980870924916e-1, 7.257664613233124478488e-1, 2.473615434895520810817e-1,
  5.114512081637298353406e-2, 6.757896990527504603057e-3, 5.082762527590693718096e-4,
].map(f);
const Q = [1.0, -2.742335390411667452936e-1, 2.159509375685829852307e-2].map(f);
const XMAX = f(88.72283935546875);
const XMIN = f(-103.97208404541015625);

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

/** The float32 next to v (a float32) toward +∞ (up) or −∞. */
function nextFloat32(v: number, up: boolean): number {
  if (v === 0) return up ? 1.401298464324817e-45 : -1.401298464324817e-45;
  f32buf[0] = v;
  const away = v > 0 === up;
  u32buf[0] = away ? u32buf[0]! + 1 : u32buf[0]! - 1;
  return f32buf[0]!;
}

/** a·b + c for float32 a, b, c, rounded once to float32 (a hardware FMA). */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b; // exact: two 24-bit significands
  const s = p + c;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb); // s + err is the exact sum
  const r = f(s);
  if (err === 0 || !Number.isFinite(s)) return r;
  // Only an exact tie between two float32 values can round the wrong way; err breaks it.
  const other = nextFloat32(r, s > r);
  if (s - r === other - s) return err > 0 ? Math.max(r, other) : Math.min(r, other);
  return r;
}

/** numpy's float32 exp of a float32 value. */
export function numpyExpF32(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= XMAX) return Infinity;
  if (x <= XMIN) return 0;
  // Nearest integer k of x·log2(e) (ties to even), by the add/subtract magic-number trick.
  const k = f(f(f(x * LOG2E) + MAGIC) - MAGIC);
  let r = fma32(k, LN2_HIGH, x);
  r = fma32(k, LN2_LOW, r);
  let num = fma32(P[5]!, r, P[4]!);
  num = fma32(num, r, P[3]!);
  num = fma32(num, r, P[2]!);
  num = fma32(num, r, P[1]!);
  num = fma32(num, r, P[0]!);
  let den = fma32(Q[2]!, r, Q[1]!);
  den = fma32(den, r, Q[0]!);
  const poly = f(num / den);
  return f(poly * 2 ** k);
}
