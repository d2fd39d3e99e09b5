// `straxts plot`: stored rows drawn with the viewer's drawing code (src/web/draw) as an SVG
// document. What is drawn follows from the data type's fields: peak_basics-like rows give the
// area vs width scatter, peaks-like rows their summed waveforms, records-like rows the traces of
// the time window.

import { elementCount } from '../core/dtype.js';
import type { Records } from '../core/records.js';
import { N_TOP_PMTS } from '../config/pmt-positions.js';
import { loadAllWithMetadata } from '../storage/load-all.js';
import { peakClass } from './draw/colours.js';
import { peakScatter, recordTraces, type Figure } from './draw/figures.js';
import { figureSvg, type SvgSize } from './draw/svg.js';

export class PlotError extends Error {}

export interface PlotRequest {
  dir: string;
  runId: string;
  dataType: string;
  hash?: string;
  /** [start, end) in ns since the epoch. */
  timeRange?: readonly [bigint, bigint];
  size?: SvgSize;
}

/** Most waveforms or traces one figure shows (more would be unreadable, and slow to draw). */
export const MAX_TRACES = 5000;

const has = (r: Records, ...names: string[]): boolean => names.every((n) => r.dtype.has(n));

export function figureFor(r: Records, what: string): Figure {
  if (has(r, 'range_50p_area', 'area', 'type'))
    return peakScatter({ width: r.f32('range_50p_area'), area: r.f32('area'), type: r.i8('type') }, what);
  if (has(r, 'data', 'length', 'dt', 'area_per_channel', 'type')) return peakWaveforms(r, what);
  if (has(r, 'data', 'length', 'dt', 'channel')) return recordsFigure(r, what);
  throw new PlotError(
    `cannot plot ${r.dtype.names.slice(0, 6).join(', ')}...: plot draws peak_basics (area vs width), peaks (waveforms) and records / raw_records (traces)`,
  );
}

function checkCount(r: Records, what: string): void {
  if (r.length > MAX_TRACES)
    throw new PlotError(
      `too many rows to draw (${r.length} in ${what.split(':')[0]}; at most ${MAX_TRACES}): narrow --time-range`,
    );
}

function peakWaveforms(r: Records, what: string): Figure {
  checkCount(r, what);
  const w = elementCount(r.dtype.field('data').shape);
  const data = r.col('data');
  const length = r.col('length');
  const dt = r.col('dt');
  const type = r.col('type');
  const series = Array.from({ length: r.length }, (_, i) => {
    const c = peakClass(Number(type[i]));
    const n = Math.min(Number(length[i]), w);
    const x: number[] = [];
    const y: number[] = [];
    for (let k = 0; k < n; k++) {
      x.push(k * Number(dt[i]));
      y.push(Number(data[i * w + k]));
    }
    return { label: c.label, colour: c.colour, style: 'line' as const, x, y };
  });
  return {
    title: what,
    xLabel: 'time since the peak start [ns]',
    yLabel: 'PE / sample',
    xAxis: 'linear',
    yAxis: 'linear',
    series,
  };
}

function recordsFigure(r: Records, what: string): Figure {
  checkCount(r, what);
  const w = elementCount(r.dtype.field('data').shape);
  const time = r.i64('time');
  const t0 = r.length ? time[0]! : 0n;
  const data = r.col('data');
  const rows = Array.from({ length: r.length }, (_, i) => ({
    time: Number(time[i]! - t0),
    channel: Number(r.col('channel')[i]),
    length: Number(r.col('length')[i]),
    dt: Number(r.col('dt')[i]),
    data: Array.from(data.subarray(i * w, (i + 1) * w) as ArrayLike<number>),
  }));
  return recordTraces(rows, N_TOP_PMTS, what);
}

export async function plotSvg(p: PlotRequest): Promise<{ svg: string; rows: number }> {
  const { records } = await loadAllWithMetadata(p.dir, p.runId, p.dataType, {
    ...(p.hash ? { hash: p.hash } : {}),
    ...(p.timeRange ? { timeRange: p.timeRange } : {}),
  });
  const range = p.timeRange ? ` in [${p.timeRange[0]}, ${p.timeRange[1]})` : '';
  const what = `${p.dataType} of run ${p.runId}${range}: ${records.length} rows`;
  return { svg: figureSvg(figureFor(records, what), p.size), rows: records.length };
}
