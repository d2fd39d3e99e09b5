/// <reference lib="dom" />
// The viewer in a real browser (Debian's chromium driven by playwright-core) against microstrax
// serving the reference run: the peaks plot holds one point per peak_basics row, and clicking a
// peak draws that peak's summed waveform (its `data`) and its hit pattern. A screenshot is kept
// in test-artifacts/.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../../src/web/svg-png.js';
import { ROOT } from '../helpers/cli.js';
import { loadReferenceNpy } from '../helpers/reference.js';
import { startMicrostrax, type RunningServer } from './microstrax-helpers.js';

const CHROMIUM = chromiumPath(); // Debian's /usr/bin/chromium, or $STRAXTS_CHROMIUM
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let server: RunningServer;
let profile: string;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startMicrostrax();
  profile = mkdtempSync(join(tmpdir(), 'straxts-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 1100 },
  });
  page = await browser.newPage();
});

afterAll(async () => {
  try {
    await browser?.close();
    await server?.stop();
  } finally {
    if (profile) rmSync(profile, { recursive: true, force: true });
  }
});

describe('the viewer in chromium', () => {
  it('plots every peak and draws the clicked peak’s waveform and hit pattern', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 60_000 });

    const peakBasics = loadReferenceNpy('run012100', 'peak_basics').records;
    const points = await page.evaluate(() => {
      const v = (window as unknown as { microstraxViewer: { peakPlot: { data: (number | null)[][] } } })
        .microstraxViewer;
      return v.peakPlot.data.slice(1).reduce((n, s) => n + s.filter((y) => y !== null).length, 0);
    });
    expect(points).toBe(peakBasics.length);
    expect(await page.getAttribute('#peaks', 'data-points')).toBe(String(peakBasics.length));

    // An S2 of about 10^4 PE drawn at least 8 px from any other point, so the click is unambiguous.
    const at = await page.evaluate(() => {
      interface Plot {
        data: (number | null)[][];
        over: HTMLElement;
        valToPos(v: number, scale: string): number;
      }
      const v = (
        window as unknown as { microstraxViewer: { peakPlot: Plot; peakOrigin: [number, number][] } }
      ).microstraxViewer;
      const p = v.peakPlot;
      const pts = v.peakOrigin.map(([s, row], k) => ({
        row,
        label: s,
        area: p.data[s + 1]![k]!,
        x: p.valToPos(p.data[0]![k]!, 'x'),
        y: p.valToPos(p.data[s + 1]![k]!, 'y'),
      }));
      const s2 = pts.filter((q) => q.label === 1); // series 1 of 3 (S1, S2, unknown)
      const isolated = s2.filter((q) => pts.every((o) => o === q || Math.hypot(o.x - q.x, o.y - q.y) >= 8));
      const pick = isolated.sort(
        (a, b) => Math.abs(Math.log10(a.area / 1e4)) - Math.abs(Math.log10(b.area / 1e4)),
      )[0]!;
      const box = p.over.getBoundingClientRect();
      return { row: pick.row, x: box.left + pick.x, y: box.top + pick.y };
    });
    const row = at.row;
    expect(peakBasics.col('type')[row]).toBe(2);
    await page.mouse.click(at.x, at.y);

    const time = peakBasics.i64('time')[row]!;
    await page.waitForSelector(`#waveform[data-peak-time="${time}"]`, { timeout: 30_000 });
    const drawn = await page.evaluate(() => {
      const v = (window as unknown as { microstraxViewer: { waveformPlot: { data: number[][] } } })
        .microstraxViewer;
      return { x: v.waveformPlot.data[0]!, y: v.waveformPlot.data[1]! };
    });
    const peaks = loadReferenceNpy('run012100', 'peaks').records;
    const k = Array.from(peaks.i64('time')).findIndex((t) => t === time);
    expect(k).toBeGreaterThanOrEqual(0);
    const length = peaks.i32('length')[k]!;
    const dt = peaks.i32('dt')[k]!;
    const data = Array.from(peaks.f32('data').subarray(k * 200, k * 200 + length));
    expect(drawn.y.map((y) => Math.fround(y))).toEqual(data);
    expect(drawn.x).toEqual(data.map((_, i) => i * dt));

    // Hit pattern: every TPC PMT drawn, the brightest where the peak has its largest area.
    expect(await page.locator('#hitpattern circle title').count()).toBe(494);
    await page.waitForSelector('#records svg');

    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'microstrax-viewer.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
