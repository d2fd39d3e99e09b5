// Peak shape properties (strax peak_properties.py): area-fraction times and widths, median and
// center time, area fraction top. float32/float64 mixing reproduces numba and numpy.

import type { PeakArrays } from './peak-arrays.js';

/** The 21 area fractions strax evaluates for 11 widths, as the exact float64 values numpy makes. */
export function desiredFractions(nWidths: number): Float64Array {
  // numpy: linspace(0, 1, n)[1:], then 0.5 -/+ w/2, plus 0.5, unique (sorted).
  const lin: number[] = [];
  for (let i = 0; i < nWidths; i++) lin.push(linspaceValue(0, 1, nWidths, i));
  const w = lin.slice(1);
  const set = new Set<number>([...w.map((x) => 0.5 - x / 2), ...w.map((x) => 0.5 + x / 2), 0.5]);
  return Float64Array.from([...set].sort((a, b) => a - b));
}

/** numpy.linspace(start, stop, num)[i] (step = delta/div, value = i*step + start, last = stop). */
function linspaceValue(start: number, stop: number, num: number, i: number): number {
  if (i === num - 1 && num > 1) return stop;
  const div = num - 1;
  const step = (stop - start) / div;
  return step === 0 ? (i / div) * (stop - start) + start : i * step + start;
}

/** Fractional sample indices at which row i's waveform reaches each area fraction (written to out). */
export function indexOfFraction(
  p: PeakArrays,
  i: number,
  fractions: Float64Array,
  out: Float32Array,
  outOff: number,
): void {
  const nf = fractions.length;
  for (let k = 0; k < nf; k++) out[outOff + k] = 0;
  const areaTot = p.area[i]!;
  if (areaTot <= 0) return;
  let seen = 0;
  let k = 0;
  let need = fractions[0]!;
  const L = p.length[i]!;
  const off = i * p.nSamples;
  const data = p.data;
  for (let s = 0; s < L; s++) {
    const x = data[off + s]!;
    const f = Math.fround(x / areaTot);
    while (seen + f >= need) {
      const areaNeeded = areaTot * (need - seen);
      out[outOff + k] = x !== 0 ? s + areaNeeded / x : s;
      k++;
      if (k > nf - 1) break;
      need = fractions[k]!;
    }
    if (k > nf - 1) break;
    seen += f;
  }
  if (need === 1) out[outOff + nf - 1] = L;
}

/** median_time, width and area_decile_from_midpoint of the given rows (strax compute_widths). */
export function computeWidths(p: PeakArrays, rows: ArrayLike<number>): void {
  let fr = fractionsByWidths.get(p.nWidths);
  if (!fr) fractionsByWidths.set(p.nWidths, (fr = desiredFractions(p.nWidths)));
  widthsOfRows(p, rows, fr);
}

/** desiredFractions per nWidths, made once (the hot loop below then starts at once). */
const fractionsByWidths = new Map<number, Float64Array>();

function widthsOfRows(p: PeakArrays, rows: ArrayLike<number>, fr: Float64Array): void {
  const nw = p.nWidths;
  const nf = fr.length;
  const mid = Math.floor(nf / 2);
  const t = new Float32Array(nf);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    indexOfFraction(p, i, fr, t, 0);
    const dt = p.dt[i]!;
    for (let k = 0; k < nf; k++) t[k] = t[k]! * dt;
    p.medianTime[i] = t[mid]!;
    // width[j] = t[mid + j] - t[mid - j]; decile[j] = t[2j] - t[mid] (numpy slicing of fr_times)
    const nWidth = nf - mid;
    for (let j = 0; j < nWidth && j < nw; j++) p.width[i * nw + j] = t[mid + j]! - t[nf - 1 - mid - j]!;
    for (let j = 0, k = 0; k < nf && j < nw; j++, k += 2)
      p.areaDecileFromMidpoint[i * nw + j] = t[k]! - t[mid]!;
  }
}

/** Area-weighted mean time, in float32 as numba's np.average does, clipped to the peak. */
export function computeCenterTime(p: PeakArrays, rows: ArrayLike<number>): void {
  const ns = p.nSamples;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    const L = p.length[i]!,
      off = i * ns;
    const time = p.time[i]!;
    let den = 0;
    for (let s = 0; s < L; s++) den = Math.fround(den + p.data[off + s]!);
    let ct: number;
    if (den === 0) ct = time;
    else {
      let num = 0;
      for (let s = 0; s < L; s++) num = Math.fround(num + Math.fround(s * p.data[off + s]!));
      const tf = Math.fround(num / den);
      ct = Math.trunc((tf + 0.5) * p.dt[i]!) + time;
    }
    const end = time + L * p.dt[i]!;
    p.centerTime[i] = ct < time ? time : ct > end ? end : ct;
  }
}

/** Sum of the first nTop channels' areas over the total area (float32); NaN when area <= 0. */
export function computeAreaFractionTop(p: PeakArrays, rows: ArrayLike<number>, nTop: number): void {
  const nCh = p.nChannels;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    let top = 0;
    for (let c = i * nCh, e = c + nTop; c < e; c++) top = Math.fround(top + p.areaPerChannel[c]!);
    const a = p.area[i]!;
    p.areaFractionTop[i] = a > 0 ? Math.fround(top / a) : NaN;
  }
}

/** strax compute_properties on the given rows (all when omitted). */
export function computeProperties(p: PeakArrays, nTopChannels: number, rows?: ArrayLike<number>): void {
  if (p.n === 0) return;
  const sel = rows ?? allRows(p.n);
  if (sel.length === 0) return;
  computeWidths(p, sel);
  computeCenterTime(p, sel);
  if (nTopChannels > 0) computeAreaFractionTop(p, sel, nTopChannels);
}

function allRows(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
