// SVG → PNG by a headless chromium screenshot (Debian's `chromium`; $STRAXTS_CHROMIUM to name
// another binary), in a fresh profile that is removed afterwards.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export class NoBrowser extends Error {}

export function chromiumPath(): string {
  const given = process.env.STRAXTS_CHROMIUM;
  if (given) return given;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'])
    if (existsSync(p)) return p;
  throw new NoBrowser(
    'PNG output needs chromium (apt-get install chromium, or set STRAXTS_CHROMIUM); write .svg instead',
  );
}

/** The PNG bytes of an SVG document of the given pixel size. */
export async function svgToPng(svg: string, width: number, height: number): Promise<Buffer> {
  const browser = chromiumPath();
  const work = mkdtempSync(join(tmpdir(), 'straxts-png-'));
  try {
    const svgFile = join(work, 'figure.svg');
    const pngFile = join(work, 'figure.png');
    writeFileSync(svgFile, svg);
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${join(work, 'profile')}`,
      `--window-size=${width},${height}`,
      `--screenshot=${pngFile}`,
      pathToFileURL(svgFile).href,
    ];
    await new Promise<void>((done, fail) =>
      execFile(browser, args, { timeout: 60_000 }, (err, _out, stderr) => {
        if (err && !existsSync(pngFile))
          fail(
            new Error(
              `${browser} could not render the figure: ${stderr.trim().split('\n').pop() ?? err.message}`,
            ),
          );
        else done();
      }),
    );
    if (!existsSync(pngFile)) throw new Error(`${browser} wrote no screenshot`);
    return readFileSync(pngFile);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
