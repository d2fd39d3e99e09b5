// bootstrax as a real process for the tests: start the built CLI, wait for the database to
// reach a condition, stop it with SIGTERM (or kill -9).

import type { ChildProcess } from 'node:child_process';
import { ROOT, startTool } from '../../helpers/cli.js';

export interface Daemon {
  proc: ChildProcess;
  /** Everything it logged so far. */
  log(): string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startBootstrax(args: readonly string[], env: Record<string, string> = {}): Daemon {
  const tool = startTool('bootstrax', args, ROOT, { env: { STRAXTS_BOOTSTRAX_TIME_SCALE: '0.02', ...env } });
  const proc = tool.child;
  // On 'exit', not on the closing of its output: children it started may hold that open.
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    proc,
    log: tool.output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Poll `cond` until it holds (or fail after `ms` with what it last saw). */
export async function waitFor<T>(
  what: string,
  cond: () => Promise<T | undefined | false>,
  ms = 120_000,
): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
