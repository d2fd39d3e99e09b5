// Where an interaction happened in the TPC: depth from the drift time, radius from the S2's
// (x, y), and the field-distortion correction of the radius. Precision follows numpy on
// float32 event fields: depth and radius in float32, the correction in float64.

/**
 * Observed depth and radius. z = -v·dt + v·tg (tg: drift time from the gate; float32 array
 * times Python floats stays float32), r = |(x, y)| in float32.
 */
export function observedPosition(
  driftTime: Float32Array,
  x: Float32Array,
  y: Float32Array,
  driftVelocity: number,
  driftTimeGate: number,
  zObs: Float32Array,
  rObs: Float32Array,
): void {
  const f = Math.fround;
  const minusV = f(-driftVelocity);
  const gate = f(driftVelocity * driftTimeGate);
  for (let i = 0; i < driftTime.length; i++) {
    zObs[i] = f(f(minusV * driftTime[i]!) + gate);
    const xi = x[i]!,
      yi = y[i]!;
    rObs[i] = f(Math.sqrt(f(f(xi * xi) + f(yi * yi))));
  }
}

/**
 * Radius corrected by deltaR (float64), and x, y scaled by the same factor (r + Δr)/r, which is
 * 0 where r is 0. deltaR may hold one value for every event (a constant map).
 */
export function radialCorrection(
  x: Float32Array,
  y: Float32Array,
  rObs: Float32Array,
  deltaR: Float64Array,
  outX: Float32Array,
  outY: Float32Array,
  outR: Float32Array,
): void {
  const step = deltaR.length === 1 ? 0 : 1;
  for (let i = 0; i < x.length; i++) {
    const r = rObs[i]!;
    const rCor = r + deltaR[i * step]!;
    const scale = r !== 0 ? rCor / r : 0;
    outX[i] = x[i]! * scale;
    outY[i] = y[i]! * scale;
    outR[i] = rCor;
  }
}

/** Azimuth atan2(y, x) of float32 positions, rounded to float32. */
export function azimuth(x: Float32Array, y: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = Math.atan2(y[i]!, x[i]!);
}
