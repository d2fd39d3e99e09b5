// The drawing code the viewer and `straxts plot` share, on the reference run's data: every peak
// is one point in both the uPlot layout and the SVG, waveforms are the stored samples, the hit
// pattern covers every PMT; and the command writes .svg and .png (headless chromium) atomically.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAll } from '../../src/storage/load-all.js';
import { peakScatter, peakWaveform } from '../../src/web/draw/figures.js';
import { hitPatternSvg } from '../../src/web/draw/pmt-array.js';
import { figureSvg } from '../../src/web/draw/svg.js';
import { uplotLayout } from '../../src/web/draw/uplot-data.js';
import { figureFor } from '../../src/web/plot-report.js';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import { loadReferenceNpy, referenceDataDir } from '../helpers/reference.js';

const DIR = referenceDataDir('run012100');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const outDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'straxts-plot-'));
  dirs.push(d);
  return d;
};

describe('shared figures', () => {
  const pb = loadReferenceNpy('run012100', 'peak_basics').records;
  const cols = { width: pb.f32('range_50p_area'), area: pb.f32('area'), type: pb.i8('type') };

  it('peak scatter: one point per row, in the uPlot layout and in the SVG', () => {
    const fig = peakScatter(cols);
    expect(fig.series.reduce((n, s) => n + s.x.length, 0)).toBe(pb.length);
    const layout = uplotLayout(fig);
    const xs = layout.data[0]!;
    expect(xs).toHaveLength(pb.length);
    expect([...xs].sort((a, b) => a! - b!)).toEqual(xs);
    // Every point's row leads back to its peak: x is its width, y its area.
    layout.origin.forEach(([s, row], i) => {
      expect(layout.data[0]![i]).toBe(cols.width[row]);
      expect(layout.data[s + 1]![i]).toBe(cols.area[row]);
    });
    expect(new Set(layout.origin.map((o) => o[1])).size).toBe(pb.length);
    const svg = figureSvg(fig);
    expect(svg.match(/<circle /g)).toHaveLength(pb.length);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('peak waveform: the first `length` samples of data, dt apart', () => {
    const peaks = loadReferenceNpy('run012100', 'peaks').records;
    const k = 7;
    const length = peaks.i32('length')[k]!;
    const dt = peaks.i32('dt')[k]!;
    const data = peaks.f32('data').subarray(k * 200, (k + 1) * 200);
    const fig = peakWaveform({ data, length, dt, type: peaks.col('type')[k] as number });
    expect(fig.series[0]!.y).toEqual(Array.from(data.subarray(0, length)));
    expect(fig.series[0]!.x).toEqual(Array.from({ length }, (_, i) => i * dt));
  });

  it('hit pattern: all 494 PMTs, the brightest where the area is largest', () => {
    const area = new Float32Array(494);
    area[100] = 50;
    area[300] = 10;
    const svg = hitPatternSvg(area);
    expect(svg.match(/<circle [^>]*><title>PMT \d+:/g)).toHaveLength(494);
    expect(svg).toMatch(/fill="rgb\(253,231,37\)"[^>]*><title>PMT 100: 50.0 PE/);
    expect(svg).toMatch(/<title>PMT 0: 0.00 PE/);
  });

  it('plot picks the figure from the fields and refuses other data', async () => {
    expect(figureFor(pb, 'x').xLabel).toMatch(/width/);
    const events = await loadAll(DIR, '012100', 'event_basics');
    expect(() => figureFor(events, 'x')).toThrow(/cannot plot/);
  });
});

describe('straxts plot', () => {
  it('writes an SVG with every peak', async () => {
    ensureBuilt();
    const out = join(outDir(), 'peaks.svg');
    const r = await runTool('straxts', ['plot', '012100', 'peak_basics', '--dir', DIR, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').match(/<circle /g)).toHaveLength(530);
  });

  it('renders a PNG of records in a time window with chromium', async () => {
    ensureBuilt();
    const d = outDir();
    const out = join(d, 'records.png');
    const r = await runTool('straxts', [
      'plot',
      '012100',
      'records',
      '--dir',
      DIR,
      '--time-range',
      '1765001003469966500',
      '1765001003469975700',
      '--out',
      out,
      '--width',
      '640',
      '--height',
      '400',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/drew \d+ rows of records/);
    const png = readFileSync(out);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([640, 400]);
    expect(readdirSync(d)).toEqual(['records.png']);
  });

  it.each([
    [['records'], /too many rows to draw \(120713 .*narrow --time-range/],
    [['event_basics'], /cannot plot/],
    [['peak_basics', '--out', 'x.pdf'], /name the figure .svg or .png/],
    [['peak_basics', '--time-range', '5', '1'], /END must be after START/],
    [['peak_basics', '--width', '5'], /--width must be 100 to 8000 pixels/],
    [['nonexistent_type'], /no nonexistent_type for run 012100/],
  ])('refuses %j with one line, exit 2, nothing written', async (args, message) => {
    ensureBuilt();
    const d = outDir();
    const hasOut = args.includes('--out');
    const r = await runTool('straxts', [
      'plot',
      '012100',
      ...args.slice(0, 1),
      '--dir',
      DIR,
      ...(hasOut ? [] : ['--out', join(d, 'f.svg')]),
      ...args.slice(1),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(d, 'f.svg'))).toBe(false);
    expect(readdirSync(d)).toEqual([]);
  });
});
