// A figure laid out as uPlot wants it: one x array sorted ascending shared by all series, each
// series' y at its own points and null elsewhere; and the options that give the same colours,
// styles and axes as the SVG. Kept free of uPlot itself (the page passes it in) so it runs in Node.

import { ASINH_LINEAR } from './axes.js';
import type { Figure } from './figures.js';

export interface UplotLayout {
  data: (number | null)[][];
  /** For each x index: [series index, row of the input] (scatter plots; picking a point). */
  origin: [number, number][];
  series: {
    label: string;
    stroke: string;
    fill?: string;
    points: { show: boolean; size?: number };
    paths?: () => null;
  }[];
  scales: { x: { time: false; distr: number; asinh?: number }; y: { distr: number; asinh?: number } };
  axes: { label: string }[];
}

const distr = (kind: string): number => (kind === 'asinh' ? 4 : 1);

export function uplotLayout(fig: Figure): UplotLayout {
  const pts: { x: number; s: number; k: number }[] = [];
  fig.series.forEach((s, si) => s.x.forEach((x, k) => pts.push({ x, s: si, k })));
  pts.sort((a, b) => a.x - b.x);
  const xs = pts.map((p) => p.x);
  const ys = fig.series.map(() => new Array<number | null>(pts.length).fill(null));
  pts.forEach((p, i) => {
    ys[p.s]![i] = fig.series[p.s]!.y[p.k]!;
  });
  const scale = (kind: string): { distr: number; asinh?: number } =>
    kind === 'asinh' ? { distr: distr(kind), asinh: ASINH_LINEAR } : { distr: distr(kind) };
  return {
    data: [xs, ...ys],
    origin: pts.map((p) => [p.s, fig.series[p.s]!.rows?.[p.k] ?? p.k]),
    series: fig.series.map((s) =>
      s.style === 'points'
        ? {
            label: s.label,
            stroke: s.colour,
            fill: s.colour,
            points: { show: true, size: 5 },
            paths: () => null,
          }
        : { label: s.label, stroke: s.colour, points: { show: false } },
    ),
    scales: { x: { time: false, ...scale(fig.xAxis) }, y: scale(fig.yAxis) },
    axes: [{ label: fig.xLabel }, { label: fig.yLabel }],
  };
}
