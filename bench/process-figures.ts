// One whole node process, timed from outside: wall seconds, CPU seconds of all threads and peak
// RSS from GNU time (when /usr/bin/time exists), and the main thread's share of the CPU from the
// thread-cpu preload.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_MEMORY_FLAGS, processingEnv } from '../src/core/engine/memory-tuning.js';

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

/** Run `node script args` in cwd; rejects with the output's tail when it exits non-zero. */
export function timeNodeProcess(
  script: string,
  args: readonly string[],
  cwd: string,
): Promise<ProcessFigures> {
  // Started as the tools' own command lines start them (memory settings included).
  const node = [...NODE_MEMORY_FLAGS, ...(existsSync(preload) ? ['--import', preload] : []), script, ...args];
  const gnuTime = existsSync('/usr/bin/time');
  const [cmd, argv] = gnuTime
    ? ['/usr/bin/time', ['-f', 'PROCFIGURES %U %S %M', process.execPath, ...node]]
    : [process.execPath, node];
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd, env: processingEnv() });
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
