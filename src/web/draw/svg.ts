// A figure (figures.ts) as a standalone SVG document: axes with ticks, points or lines, a legend.

import { extent, forward, tickLabel, ticks } from './axes.js';
import { escapeXml } from './colours.js';
import type { Figure } from './figures.js';

export interface SvgSize {
  width: number;
  height: number;
}

const MARGIN = { left: 70, right: 20, top: 34, bottom: 48 };
const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '0');

export function figureSvg(fig: Figure, size: SvgSize = { width: 800, height: 500 }): string {
  const { width, height } = size;
  const pw = width - MARGIN.left - MARGIN.right;
  const ph = height - MARGIN.top - MARGIN.bottom;
  const xs = fig.series.flatMap((s) => s.x);
  const ys = fig.series.flatMap((s) => s.y);
  const xr = extent(xs);
  const yr = extent(ys);
  const [fx0, fx1] = [forward(fig.xAxis, xr[0]), forward(fig.xAxis, xr[1])];
  const [fy0, fy1] = [forward(fig.yAxis, yr[0]), forward(fig.yAxis, yr[1])];
  const padX = (fx1 - fx0) * 0.03 || 1;
  const padY = (fy1 - fy0) * 0.05 || 1;
  const px = (v: number): number =>
    MARGIN.left + ((forward(fig.xAxis, v) - fx0 + padX) / (fx1 - fx0 + 2 * padX)) * pw;
  const py = (v: number): number =>
    MARGIN.top + ph - ((forward(fig.yAxis, v) - fy0 + padY) / (fy1 - fy0 + 2 * padY)) * ph;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(fig.title)}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`,
  ];
  for (const t of ticks(fig.xAxis, xr)) {
    const x = fmt(px(t));
    out.push(`<line x1="${x}" x2="${x}" y1="${MARGIN.top + ph}" y2="${MARGIN.top + ph + 5}" stroke="#444"/>`);
    out.push(`<text x="${x}" y="${MARGIN.top + ph + 18}" text-anchor="middle">${tickLabel(t)}</text>`);
  }
  for (const t of ticks(fig.yAxis, yr)) {
    const y = fmt(py(t));
    out.push(`<line x1="${MARGIN.left - 5}" x2="${MARGIN.left}" y1="${y}" y2="${y}" stroke="#444"/>`);
    out.push(
      `<text x="${MARGIN.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${tickLabel(t)}</text>`,
    );
  }
  out.push(
    `<text x="${MARGIN.left + pw / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(fig.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(fig.yLabel)}</text>`,
  );
  for (const s of fig.series) {
    if (s.style === 'points') {
      out.push(
        `<g fill="${s.colour}" fill-opacity="0.75" class="series" data-label="${escapeXml(s.label)}">`,
      );
      for (let i = 0; i < s.x.length; i++)
        out.push(`<circle cx="${fmt(px(s.x[i]!))}" cy="${fmt(py(s.y[i]!))}" r="2.5"/>`);
      out.push('</g>');
    } else if (s.x.length) {
      const pts = s.x.map((x, i) => `${fmt(px(x))},${fmt(py(s.y[i]!))}`).join(' ');
      out.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="1.2" points="${pts}"/>`);
    }
  }
  const legend = [...new Map(fig.series.map((s) => [s.label, s.colour])).entries()];
  legend.forEach(([label, colour], k) => {
    const y = MARGIN.top + 14 + k * 16;
    const x = MARGIN.left + pw - 110;
    out.push(`<rect x="${x}" y="${y - 8}" width="10" height="10" fill="${colour}"/>`);
    out.push(`<text x="${x + 16}" y="${y}" dominant-baseline="middle">${escapeXml(label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
