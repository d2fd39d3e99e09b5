// A peak's hit pattern: the area each PMT saw, drawn at the PMT positions of the top and bottom
// arrays (XENONnT's public table), one colour scale for both arrays.

import { N_TOP_PMTS, N_TPC_PMTS, PMT_X, PMT_Y } from '../../config/pmt-positions.js';
import { escapeXml, sequentialColour } from './colours.js';

const PMT_RADIUS_CM = 3.8;
const ARRAY_RADIUS_CM = 70;

/** SVG of both arrays side by side; `areaPerChannel` is indexed by channel (0..493). */
export function hitPatternSvg(areaPerChannel: ArrayLike<number>, title = 'hit pattern', width = 720): string {
  const panel = width / 2;
  const height = panel + 40;
  const scale = (panel - 20) / (2 * ARRAY_RADIUS_CM);
  let max = 0;
  for (let ch = 0; ch < N_TPC_PMTS; ch++) max = Math.max(max, areaPerChannel[ch] ?? 0);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="16" text-anchor="middle" font-size="14">${escapeXml(title)} (max ${max.toPrecision(3)} PE)</text>`,
  ];
  ['top', 'bottom'].forEach((name, k) => {
    const cx = panel * k + panel / 2;
    const cy = 30 + panel / 2;
    out.push(
      `<text x="${cx}" y="${height - 4}" text-anchor="middle">${name} array</text>`,
      `<circle cx="${cx}" cy="${cy}" r="${(ARRAY_RADIUS_CM * scale).toFixed(1)}" fill="none" stroke="#999"/>`,
      `<g class="pmts" data-array="${name}">`,
    );
    const [lo, hi] = k === 0 ? [0, N_TOP_PMTS] : [N_TOP_PMTS, N_TPC_PMTS];
    for (let ch = lo; ch < hi; ch++) {
      const a = areaPerChannel[ch] ?? 0;
      // Logarithmic: the few PMTs above an S2 would otherwise leave every other one dark.
      const fill = a > 0 ? sequentialColour(Math.log1p(a) / Math.log1p(max)) : '#eeeeee';
      // Bottom array seen from above too: x as in the table.
      const x = (cx + PMT_X[ch]! * scale).toFixed(1);
      const y = (cy - PMT_Y[ch]! * scale).toFixed(1);
      out.push(
        `<circle cx="${x}" cy="${y}" r="${(PMT_RADIUS_CM * scale).toFixed(1)}" fill="${fill}" stroke="#666" stroke-width="0.3"><title>PMT ${ch}: ${a.toPrecision(3)} PE</title></circle>`,
      );
    }
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}
