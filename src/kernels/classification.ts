// straxen PeakletClassificationVanilla rules: S1 (1) by rise time, area, top fraction and tight
// coincidence; S2 (2) by the number of contributing PMTs; else unknown (0). numpy evaluates
// these in float32 (array ⊗ Python scalar keeps float32), reproduced with Math.fround.

export interface ClassificationInput {
  n: number;
  area: Float32Array;
  areaFractionTop: Float32Array;
  /** n * nChannels */
  areaPerChannel: Float32Array;
  nChannels: number;
  /** n * nWidths; index 1 is t(10%) - t(50%) = -rise time. */
  areaDecileFromMidpoint: Float32Array;
  nWidths: number;
  tightCoincidence: Int16Array;
}

export interface ClassificationOptions {
  /** norm, const, tau of the small-S1 rise-time boundary norm * exp(-area / tau) + const. */
  s1RisetimeAreaParameters: readonly [number, number, number];
  /** slope, offset of the rise-time boundary 10 ** (slope * aft + offset). */
  s1RisetimeAftParameters: readonly [number, number];
  /** aft at and above which the boundary is the constant given second. */
  s1FlattenThresholdAft: readonly [number, number];
  s1MaxRiseTimePost100: number;
  s1MinCoincidence: number;
  s2MinPmts: number;
}

const f = Math.fround;

export function classifyPeaklets(p: ClassificationInput, o: ClassificationOptions): Int8Array {
  const type = new Int8Array(p.n);
  const [norm, cst, tau] = o.s1RisetimeAreaParameters.map(f) as [number, number, number];
  const [slope, offset] = o.s1RisetimeAftParameters.map(f) as [number, number];
  const flatAft = f(o.s1FlattenThresholdAft[0]),
    flatValue = f(o.s1FlattenThresholdAft[1]);
  const maxRise = f(o.s1MaxRiseTimePost100);
  for (let i = 0; i < p.n; i++) {
    const area = p.area[i]!;
    const rise = -p.areaDecileFromMidpoint[i * p.nWidths + 1]!;
    const tc = p.tightCoincidence[i]!;
    let s1 = false;
    if (area >= 100) {
      s1 = rise <= maxRise && tc >= o.s1MinCoincidence;
    } else if (area < 100) {
      const areaBound = f(f(norm * f(Math.exp(f(f(-area) / tau)))) + cst);
      const aft = p.areaFractionTop[i]!;
      const aftBound = aft >= flatAft ? flatValue : f(10 ** f(f(slope * aft) + offset));
      s1 = rise < areaBound && rise < aftBound && tc >= o.s1MinCoincidence;
    }
    if (s1) {
      type[i] = 1;
      continue;
    }
    let nCh = 0;
    for (let c = i * p.nChannels, e = c + p.nChannels; c < e; c++) if (p.areaPerChannel[c]! > 0) nCh++;
    if (nCh >= o.s2MinPmts) type[i] = 2;
  }
  return type;
}
