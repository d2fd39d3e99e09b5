// Corrected S1 and S2 areas: peak-reconstruction bias, light collection (S1 xyz, S2 xy top and
// bottom), light yield in time and depth, single-electron gain and extraction efficiency,
// photoionisation (bottom/top ratio), relative charge yield and electron lifetime. Each factor
// is a Python scalar or a float32/float64 array, and numpy's promotion between them decides
// the precision of every step (see numpy-arith.ts), so the order below is straxen's.

import { npOp, type NpValue } from './numpy-arith.js';
import { numpyExpF32 } from './numpy-expf.js';
import { rotatePerpWiresF32 } from './perp-wires.js';

/** S1 light yield correction rel_ly · (a·(z² + b·z) + 1), a = slope·(rel_ly − 1), on float32 z. */
export function lightYieldCorrection(
  z: Float32Array,
  relLightYield: number,
  slope: number,
  b: number,
): NpValue {
  const a = slope * (relLightYield - 1);
  const zz = npOp(z, '*', z);
  const inner = npOp(npOp(zz, '+', npOp(b, '*', z)), '*', a);
  return npOp(relLightYield, '*', npOp(inner, '+', 1));
}

export interface S1Corrections {
  cs1: NpValue;
  woPeakBias: NpValue;
  woXyz: NpValue;
  woTime: NpValue;
}

/** cS1 and its variants each leaving one correction out (divisions left to right). */
export function correctedS1(area: Float32Array, bias: NpValue, xyz: NpValue, time: NpValue): S1Corrections {
  const div = (...fs: NpValue[]) => fs.reduce((acc, f) => npOp(acc, '/', f), area as NpValue);
  return {
    cs1: div(bias, xyz, time),
    woPeakBias: div(xyz, time),
    woXyz: div(bias, time),
    woTime: div(bias, xyz),
  };
}

/** The S2 correction factors; a factor left out of a variant is the number 1.0. */
export interface S2Factors {
  bias: NpValue;
  xyTop: NpValue;
  xyBottom: NpValue;
  segee: NpValue;
  photoionization: NpValue;
  relativeChargeYield: NpValue;
  elife: NpValue;
}

/** cS2 (top and bottom corrected separately, then summed) and the corrected area fraction top. */
export function correctedS2(
  area: Float32Array,
  aft: Float32Array,
  f: S2Factors,
): { cs2: NpValue; aft: NpValue } {
  const top = npOp(area, '*', aft);
  const bottom = npOp(area, '*', npOp(1, '-', aft));
  const cTop = npOp(npOp(npOp(top, '/', f.bias), '/', f.xyTop), '/', f.segee);
  const cBottom = npOp(npOp(npOp(bottom, '/', f.bias), '/', f.xyBottom), '/', f.segee);
  const cs2 = npOp(npOp(npOp(cTop, '+', cBottom), '/', f.relativeChargeYield), '*', f.elife);
  const cAft = npOp(cTop, '/', npOp(cTop, '+', npOp(cBottom, '*', f.photoionization)));
  return { cs2, aft: cAft };
}

/** Electron lifetime correction exp(dt / elife), float32 (numpy's float32 exp) like the drift time. */
export function elifeCorrection(driftTime: Float32Array, elife: number): Float32Array {
  const e = Math.fround(elife);
  const out = new Float32Array(driftTime.length);
  for (let i = 0; i < out.length; i++) out[i] = numpyExpF32(Math.fround(driftTime[i]! / e));
  return out;
}

/**
 * Per-event SEG/EE factor: positions inside the "AB" region (|x'| < linear and
 * x'² + y'² < circular², primed = rotated to the wire frame, float32) get valueAB, all others
 * (including NaN positions) valueCD.
 */
export function seRegionFactor(
  x: Float32Array,
  y: Float32Array,
  linear: number,
  circular: number,
  valueAB: number,
  valueCD: number,
): Float64Array {
  const n = x.length;
  const rx = new Float32Array(n),
    ry = new Float32Array(n);
  rotatePerpWiresF32(x, y, rx, ry);
  const f = Math.fround;
  const lin = f(linear),
    circ2 = f(circular * circular);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xi = rx[i]!,
      yi = ry[i]!;
    const ab = xi < lin && xi > -lin && f(f(xi * xi) + f(yi * yi)) < circ2;
    out[i] = ab ? valueAB : valueCD;
  }
  return out;
}
