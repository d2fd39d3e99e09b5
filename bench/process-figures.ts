// One whole node process, timed from outside: wall seconds, CPU seconds of all threads and peak
// RSS from GNU time (when /usr/bin/time exists), and the main thread's share of the CPU from the
// thread-cpu preload.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ProcessFigures {
  wall: number;
  /** user + system seconds, all threads. */
  cpu: number | null;
  rssMB: number | null;
  /** CPU seconds of the main thread, and of every other thread together. */
  mainCpu: number | null;
  otherCpu: number | null;
}

const here = dirname(fileURLToPath(import.meta.url));
const preload = join(here, 'thread-cpu.js');

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median of each figure over several runs (null when no run had it). */
export function medianFigures(runs: readonly ProcessFigures[]): ProcessFigures {
  const m = (k: keyof ProcessFigures): number | null => {
    const xs = runs.map((r) => r[k]).filter((x): x is number => x !== null);
    return xs.length ? median(xs) : null;
  };
  return {
    wall: m('wall')!,
    cpu: m('cpu'),
    rssMB: m('rssMB'),
    mainCpu: m('mainCpu'),
    otherCpu: m('otherCpu'),
  };
}

/** The environment and node flags of a tool's `#!/usr/bin/env -S VAR=x node FLAGS` line, so that a
 * tool (this build's or a previous one's) runs as its own command line starts it. */
export function shebangSettings(script: string): { env: Record<string, string>; flags: string[] } {
  const first = readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\/usr\/bin\/env -S (.*)$/.exec(first);
  if (!m) return { env: {}, flags: [] };
  const words = m[1]!.trim().split(/\s+/);
  const node = words.indexOf('node');
  const env = Object.fromEntries(
    words.slice(0, Math.max(node, 0)).map((w) => w.split('=', 2) as [string, string]),
  );
  return { env, flags: node >= 0 ? words.slice(node + 1) : [] };
}

/** Run `node script args` in cwd; rejects with the output's tail when it exits non-zero. */
export function timeNodeProcess(
  script: string,
  args: readonly string[],
  cwd: string,
): Promise<ProcessFigures> {
  const own = shebangSettings(script);
  const node = [...own.flags, ...(existsSync(preload) ? ['--import', preload] : []), script, ...args];
  const gnuTime = existsSync('/usr/bin/time');
  const [cmd, argv] = gnuTime
    ? ['/usr/bin/time', ['-f', 'PROCFIGURES %U %S %M', process.execPath, ...node]]
    : [process.execPath, node];
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd,
      env: { ...process.env, ...own.env },
    });
    let out = '';
    const keep = (b: Buffer): void => {
      out = (out + b.toString()).slice(-20000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      if (code !== 0) {
        const tail = out.trim().split('\n').slice(-5).join('\n');
        reject(new Error(`${script} ${args.join(' ')} exited with ${code}:\n${tail}`));
        return;
      }
      const t = /PROCFIGURES ([\d.]+) ([\d.]+) (\d+)/.exec(out);
      const th = /THREADCPU main ([\d.]+) other ([\d.]+)/.exec(out);
      const own = /peak RSS: (\d+) MB/.exec(out);
      resolveRun({
        wall,
        cpu: t ? Number(t[1]) + Number(t[2]) : null,
        rssMB: t ? Number(t[3]) / 1024 : own ? Number(own[1]) : null,
        mainCpu: th ? Number(th[1]) : null,
        otherCpu: th ? Number(th[2]) : null,
      });
    });
  });
}

/** BENCH_PREVIOUS's built tool `name` (dist/src/cli/NAME.js), when that variable names a built
 * checkout of an earlier version: its runs alternate with this build's, same sitting. */
export function previousCli(name: string, bench: string): string | null {
  const dir = process.env.BENCH_PREVIOUS;
  if (!dir) return null;
  const p = join(resolve(dir), 'dist', 'src', 'cli', `${name}.js`);
  if (!existsSync(p)) throw new Error(`${bench} bench: BENCH_PREVIOUS=${dir} has no ${p}; build it first`);
  return p;
}
