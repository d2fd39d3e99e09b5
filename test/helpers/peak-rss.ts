// Peak memory of a built CLI run as a child process (Linux: VmHWM from /proc at exit).

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';
import { tempDir } from './tmp.js';

export interface MeasuredRun {
  code: number;
  stdout: string;
  stderr: string;
  peakRssMb: number;
}

export function runMeasured(tool: string, args: readonly string[], cwd = ROOT): Promise<MeasuredRun> {
  const file = join(tempDir('straxts-rss-'), 'peak');
  const preload = new URL('./peak-rss.mjs', import.meta.url).href;
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', preload, join(ROOT, 'dist', 'src', 'cli', `${tool}.js`), ...args],
      {
        cwd,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
        env: { ...process.env, STRAXTS_RUNDB: '', STRAXTS_PEAK_RSS_FILE: file },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        let kb = NaN;
        try {
          kb = Number(readFileSync(file, 'utf8'));
        } catch {
          /* the process died before its exit handler */
        }
        done({ code, stdout, stderr, peakRssMb: kb / 1024 });
      },
    );
  });
}
