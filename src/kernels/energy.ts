// Combined energy scale: light and charge signals converted to energy with the detector gains
// g1 (PE per photon), g2 (PE per electron) and the xenon work function W (keV per quantum).
// Float32 throughout, as numpy computes Python-float × float32-array products.

export function energyEstimates(
  cs1: Float32Array,
  cs2: Float32Array,
  g1: number,
  g2: number,
  w: number,
  eLight: Float32Array,
  eCharge: Float32Array,
  eCes: Float32Array,
): void {
  const f = Math.fround;
  const wf = f(w),
    g1f = f(g1),
    g2f = f(g2);
  for (let i = 0; i < cs1.length; i++) {
    const el = f(f(wf * cs1[i]!) / g1f);
    const ec = f(f(wf * cs2[i]!) / g2f);
    eLight[i] = el;
    eCharge[i] = ec;
    eCes[i] = f(el + ec);
  }
}
