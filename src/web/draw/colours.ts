// Colours the viewer and the SVG reports agree on: one per peak classification, and a
// sequential scale for PMT hit patterns. Runs in the browser as well as in Node.

export interface PeakClass {
  type: number;
  label: string;
  colour: string;
}

/** straxen's classification codes: 0 unknown, 1 S1, 2 S2. */
export const PEAK_CLASSES: readonly PeakClass[] = [
  { type: 0, label: 'unknown', colour: '#7f7f7f' },
  { type: 1, label: 'S1', colour: '#1f77b4' },
  { type: 2, label: 'S2', colour: '#d62728' },
];

export function peakClass(type: number): PeakClass {
  return PEAK_CLASSES.find((c) => c.type === type) ?? { type, label: `type ${type}`, colour: '#2ca02c' };
}

/** Dark blue → green → yellow (viridis-like), for t in [0, 1]. */
const STOPS: readonly [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

export function sequentialColour(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [STOPS[i]!, STOPS[i + 1]!];
  const c = a.map((v, k) => Math.round(v + (b[k]! - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Text safe inside SVG/HTML markup. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
