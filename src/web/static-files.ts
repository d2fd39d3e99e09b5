// The viewer's files, read once at start-up into a fixed table of URL path → bytes: the page
// (src/web/static), uPlot from node_modules, and the compiled drawing modules the page shares
// with `straxts plot` (dist/src/web/draw, dist/src/config/pmt-positions.js). No request path
// ever reaches the file system, so none can leave these files.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
};

function typeOf(file: string): string {
  const ext = file.slice(file.lastIndexOf('.'));
  return TYPES[ext] ?? 'application/octet-stream';
}

/** The package root: the nearest folder above this module holding package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('microstrax: cannot find the straxts package folder');
    dir = up;
  }
  return dir;
}

/** URL path → file; missing files (e.g. dist not built) are left out and reported. */
export function loadStaticFiles(): { files: Map<string, StaticFile>; missing: string[] } {
  const root = packageRoot();
  const files = new Map<string, StaticFile>();
  const missing: string[] = [];
  const add = (url: string, file: string): void => {
    if (!existsSync(file)) {
      missing.push(file);
      return;
    }
    files.set(url, { body: readFileSync(file), contentType: typeOf(file) });
  };
  const page = join(root, 'src', 'web', 'static');
  add('/', join(page, 'index.html'));
  for (const f of ['viewer.js', 'viewer.css']) add(`/${f}`, join(page, f));
  const uplot = dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
  add('/vendor/uPlot.esm.js', join(uplot, 'dist', 'uPlot.esm.js'));
  add('/vendor/uPlot.min.css', join(uplot, 'dist', 'uPlot.min.css'));
  const built = join(root, 'dist', 'src');
  const draw = join(built, 'web', 'draw');
  if (existsSync(draw)) {
    for (const f of readdirSync(draw).filter((f) => f.endsWith('.js')))
      add(`/js/web/draw/${f}`, join(draw, f));
  } else missing.push(draw);
  add('/js/config/pmt-positions.js', join(built, 'config', 'pmt-positions.js'));
  return { files, missing };
}
