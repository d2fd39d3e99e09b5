// Per-peak summary numbers of straxen PeakBasicsVanilla that are not plain copies of a peaks
// field: channel counts, the brightest PMT, the 50 %/90 % widths and the rise time.

export interface PeakBasicsInput {
  n: number;
  nChannels: number;
  nTopChannels: number;
  nWidths: number;
  areaPerChannel: Float32Array;
  width: Float32Array;
  areaDecileFromMidpoint: Float32Array;
}

export interface PeakBasicsOutput {
  nChannels: Int16Array;
  topNChannels: Int16Array;
  maxPmt: Int16Array;
  maxPmtArea: Float32Array;
  range50pArea: Float32Array;
  range90pArea: Float32Array;
  riseTime: Float32Array;
}

export function computePeakBasics(p: PeakBasicsInput): PeakBasicsOutput {
  const { n, nChannels: nCh, nWidths: nw } = p;
  const nTop = Math.min(Math.max(p.nTopChannels, 0), nCh);
  const out: PeakBasicsOutput = {
    nChannels: new Int16Array(n),
    topNChannels: new Int16Array(n),
    maxPmt: new Int16Array(n),
    maxPmtArea: new Float32Array(n),
    range50pArea: new Float32Array(n),
    range90pArea: new Float32Array(n),
    riseTime: new Float32Array(n),
  };
  const apc = p.areaPerChannel;
  for (let i = 0; i < n; i++) {
    const base = i * nCh;
    let count = 0,
      top = 0;
    // numpy argmax/max: the first maximum, and a NaN wins (it is the first NaN).
    let best = apc[base]!,
      bestC = 0;
    for (let c = 0; c < nCh; c++) {
      const a = apc[base + c]!;
      if (a > 0) {
        count++;
        if (c < nTop) top++;
      }
      if (!Number.isNaN(best) && (a > best || Number.isNaN(a))) {
        best = a;
        bestC = c;
      }
    }
    out.nChannels[i] = count;
    out.topNChannels[i] = top;
    out.maxPmt[i] = bestC;
    out.maxPmtArea[i] = best;
    out.range50pArea[i] = p.width[i * nw + 5]!;
    out.range90pArea[i] = p.width[i * nw + 9]!;
    out.riseTime[i] = -p.areaDecileFromMidpoint[i * nw + 1]!;
  }
  return out;
}
