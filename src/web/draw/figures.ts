// What the viewer and `straxts plot` draw, as plain figure descriptions (series of x, y values with
// a colour and a style); svg.ts renders them to SVG, uplot-data.ts lays them out for uPlot.
// Inputs are plain arrays of numbers, so the same code runs on JSON rows in the browser and on
// loaded records in Node.

import type { AxisKind } from './axes.js';
import { PEAK_CLASSES, peakClass } from './colours.js';

export interface Series {
  label: string;
  colour: string;
  style: 'points' | 'line';
  x: number[];
  y: number[];
  /** Row of the input each point came from (scatter plots: for picking a point). */
  rows?: number[];
  /** Leave out of the legend (e.g. one of many record traces). */
  hideInLegend?: boolean;
}

export interface Figure {
  title: string;
  xLabel: string;
  yLabel: string;
  xAxis: AxisKind;
  yAxis: AxisKind;
  series: Series[];
}

export interface PeakColumns {
  /** range_50p_area [ns] (peak_basics) — the width of the central 50 % of the area. */
  width: ArrayLike<number>;
  area: ArrayLike<number>;
  type: ArrayLike<number>;
}

/** Area vs width of every peak, one series per classification (every row is one point). */
export function peakScatter(p: PeakColumns, title = 'peaks'): Figure {
  const byType = new Map<number, Series>();
  const seriesFor = (t: number): Series => {
    let s = byType.get(t);
    if (!s) {
      const c = peakClass(t);
      byType.set(t, (s = { label: c.label, colour: c.colour, style: 'points', x: [], y: [], rows: [] }));
    }
    return s;
  };
  for (const c of PEAK_CLASSES) seriesFor(c.type);
  for (let i = 0; i < p.area.length; i++) {
    const s = seriesFor(p.type[i]!);
    s.x.push(p.width[i]!);
    s.y.push(p.area[i]!);
    s.rows!.push(i);
  }
  return {
    title,
    xLabel: '50% area width [ns]',
    yLabel: 'area [PE]',
    xAxis: 'asinh',
    yAxis: 'asinh',
    series: [...byType.values()].sort((a, b) => a.label.localeCompare(b.label)),
  };
}

export interface PeakWaveform {
  /** Summed waveform, PE per sample (the first `length` values are the peak). */
  data: ArrayLike<number>;
  length: number;
  /** Sample width [ns]. */
  dt: number;
  type: number;
}

/** A peak's summed waveform: PE per sample against ns since the peak's start. */
export function peakWaveform(p: PeakWaveform, title = 'peak waveform'): Figure {
  const n = Math.min(p.length, p.data.length);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    x.push(i * p.dt);
    y.push(p.data[i]!);
  }
  const c = peakClass(p.type);
  return {
    title,
    xLabel: 'time since the peak start [ns]',
    yLabel: 'PE / sample',
    xAxis: 'linear',
    yAxis: 'linear',
    series: [{ label: c.label, colour: c.colour, style: 'line', x, y }],
  };
}

export interface RecordTrace {
  /** Start, ns since the window start. */
  time: number;
  channel: number;
  length: number;
  dt: number;
  data: ArrayLike<number>;
}

/** Records of a time window: each record's samples drawn at its channel, scaled so that the
 * largest excursion in the window spans 0.9 channels. */
export function recordTraces(rows: readonly RecordTrace[], nTop: number, title = 'records'): Figure {
  let peak = 0;
  for (const r of rows) for (let i = 0; i < r.length; i++) peak = Math.max(peak, Math.abs(r.data[i]!));
  const scale = peak > 0 ? 0.9 / peak : 0;
  const series: Series[] = rows.map((r) => {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < Math.min(r.length, r.data.length); i++) {
      x.push((r.time + i * r.dt) / 1000);
      y.push(r.channel + r.data[i]! * scale);
    }
    const top = r.channel < nTop;
    return {
      label: top ? 'top array' : 'bottom array',
      colour: top ? '#1f77b4' : '#ff7f0e',
      style: 'line',
      x,
      y,
      hideInLegend: true,
    };
  });
  return {
    title,
    xLabel: 'time in the window [µs]',
    yLabel: 'channel',
    xAxis: 'linear',
    yAxis: 'linear',
    series,
  };
}
