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
  // The options' arrays read here, once: the row loop gets plain numbers (option arrays of
  // different element kinds from chunk to chunk deoptimised it).
  const ra = o.s1RisetimeAreaParameters,
    rf = o.s1RisetimeAftParameters;
  const bounds: RiseTimeBounds = {
    norm: f(ra[0]),
    cst: f(ra[1]),
    tau: f(ra[2]),
    slope: f(rf[0]),
    offset: f(rf[1]),
    flatAft: f(o.s1FlattenThresholdAft[0]),
    flatValue: f(o.s1FlattenThresholdAft[1]),
    maxRise: f(o.s1MaxRiseTimePost100),
    minCoincidence: o.s1MinCoincidence,
    s2MinPmts: o.s2MinPmts,
  };
  classifyRows(p, bounds, type);
  return type;
}

/** classifyPeaklets' thresholds as float32 values. */
interface RiseTimeBounds {
  norm: number;
  cst: number;
  tau: number;
  slope: number;
  offset: number;
  flatAft: number;
  flatValue: number;
  maxRise: number;
  minCoincidence: number;
  s2MinPmts: number;
}

function classifyRows(p: ClassificationInput, b: RiseTimeBounds, type: Int8Array): void {
  const { norm, cst, tau, slope, offset, flatAft, flatValue, maxRise, minCoincidence, s2MinPmts } = b;
  const { area: areas, areaDecileFromMidpoint: decile, tightCoincidence, areaFractionTop } = p;
  const { areaPerChannel, nChannels, nWidths } = p;
  for (let i = 0; i < p.n; i++) {
    const area = areas[i]!;
    const rise = -decile[i * nWidths + 1]!;
    const tc = tightCoincidence[i]!;
    let s1 = false;
    if (area >= 100) {
      s1 = rise <= maxRise && tc >= minCoincidence;
    } else if (area < 100) {
      const areaBound = f(f(norm * f(Math.exp(f(f(-area) / tau)))) + cst);
      const aft = areaFractionTop[i]!;
      const aftBound = aft >= flatAft ? flatValue : f(10 ** f(f(slope * aft) + offset));
      s1 = rise < areaBound && rise < aftBound && tc >= minCoincidence;
    }
    if (s1) {
      type[i] = 1;
      continue;
    }
    let nCh = 0;
    for (let c = i * nChannels, e = c + nChannels; c < e; c++) if (areaPerChannel[c]! > 0) nCh++;
    if (nCh >= s2MinPmts) type[i] = 2;
  }
}
