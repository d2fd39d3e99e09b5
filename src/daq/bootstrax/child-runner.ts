// The processing child as the daemon sees it: started with one job, watched, killed on the
// daemon's limits (SIGKILL: nothing it does after that counts; its _temp folders stay unfinished),
// or asked to stop when the daemon stops (SIGTERM: it marks its data failed, then exits).

import { fork, type ChildProcess } from 'node:child_process';
import type { ChildMessage, StraxJob } from './child-protocol.js';
import { NODE_MEMORY_FLAGS, processingEnv } from '../../core/engine/memory-tuning.js';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  result?: ChildMessage;
}

export class ProcessingChild {
  readonly exited: Promise<ChildExit>;
  private done = false;

  private constructor(private readonly proc: ChildProcess) {
    let result: ChildMessage | undefined;
    proc.on('message', (m) => (result = m as ChildMessage));
    this.exited = new Promise((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        this.done = true;
        resolve(result ? { code, signal, result } : { code, signal });
      };
      proc.once('exit', finish);
      proc.once('error', () => finish(null, null));
    });
  }

  /** Fork `script` (the child entry) and send it the job. */
  static start(script: string, job: StraxJob): ProcessingChild {
    const proc = fork(script, [], {
      execArgv: [...NODE_MEMORY_FLAGS],
      env: processingEnv(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const child = new ProcessingChild(proc);
    proc.send(job);
    return child;
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get running(): boolean {
    return !this.done;
  }

  /** SIGTERM: the child stops processing, its savers mark their data failed and its database
   * writes finish; SIGKILL if it is not gone after `graceMs`. True if it stopped by itself. */
  async stop(graceMs: number): Promise<boolean> {
    if (this.done) return true;
    this.proc.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), graceMs)));
    const how = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (how !== 'late') return true;
    await this.kill();
    return false;
  }

  /** SIGKILL and wait until it is gone. */
  async kill(): Promise<void> {
    if (this.done) return;
    this.proc.kill('SIGKILL');
    await this.exited;
  }
}

/** Why a child that did not succeed failed, as the run's failure reason. */
export function childFailure(e: ChildExit): { reason: string; traceback: string } {
  if (e.result?.kind === 'failed')
    return {
      reason: `Strax exited with exit code ${e.code ?? '?'}. Exception info: ${e.result.message}`,
      traceback: e.result.stack,
    };
  const how = e.signal ? `signal ${e.signal}` : `exit code ${e.code ?? '?'}`;
  return {
    reason: `Strax exited with ${how}. Exception info: none (the child left no message)`,
    traceback: '',
  };
}
