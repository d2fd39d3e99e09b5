// Peak memory of a built CLI run as a child process (Linux: VmHWM from /proc at exit, written by
// the peak-rss.mjs preload).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runTool, type ToolRun } from './cli.js';
import { tempDir } from './tmp.js';

export interface MeasuredRun extends ToolRun {
  peakRssMb: number;
}

export async function runMeasured(tool: string, args: readonly string[], cwd = ROOT): Promise<MeasuredRun> {
  const file = join(tempDir('straxts-rss-'), 'peak');
  const preload = new URL('./peak-rss.mjs', import.meta.url).href;
  const r = await runTool(tool, args, cwd, {
    env: { STRAXTS_PEAK_RSS_FILE: file },
    nodeArgs: ['--import', preload],
  });
  let kb = NaN;
  try {
    kb = Number(readFileSync(file, 'utf8'));
  } catch {
    /* the process died before its exit handler */
  }
  return { ...r, peakRssMb: kb / 1024 };
}
