// XENONnT's gate has perpendicular wires at 30° to the x axis; single-electron gain and
// extraction regions and some maps are defined in coordinates rotated so those wires run
// parallel to y.

/** The rotation angle, 30° in radians as numpy's deg2rad computes it. */
export const PERP_WIRE_ANGLE = 30 * (Math.PI / 180);

/**
 * Rotate float32 positions by the wire angle in float32 arithmetic (numpy multiplies float32
 * arrays by float64 scalars in float32). Writes x', y' into outX, outY.
 */
export function rotatePerpWiresF32(
  x: Float32Array,
  y: Float32Array,
  outX: Float32Array,
  outY: Float32Array,
  angleExtraDeg = 0,
): void {
  const a = PERP_WIRE_ANGLE + angleExtraDeg * (Math.PI / 180);
  const c = Math.fround(Math.cos(a)),
    s = Math.fround(Math.sin(a));
  const f = Math.fround;
  for (let i = 0; i < x.length; i++) {
    outX[i] = f(f(c * x[i]!) - f(s * y[i]!));
    outY[i] = f(f(s * x[i]!) + f(c * y[i]!));
  }
}

/** The same rotation in float64. */
export function rotatePerpWiresF64(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  outX: Float64Array,
  outY: Float64Array,
  angleExtraDeg = 0,
): void {
  const a = PERP_WIRE_ANGLE + angleExtraDeg * (Math.PI / 180);
  const c = Math.cos(a),
    s = Math.sin(a);
  for (let i = 0; i < x.length; i++) {
    outX[i] = c * x[i]! - s * y[i]!;
    outY[i] = s * x[i]! + c * y[i]!;
  }
}
