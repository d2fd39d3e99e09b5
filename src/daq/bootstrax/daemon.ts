// The bootstrax daemon (spec scripts.md §1.3, §1.13, §1.14): claim the newest new run, else a
// failed one whose back-off passed, process it, repeat; every minute when there is nothing new,
// fail stale claims of dead hosts and inconsistent runs. A host that restarts fails its own
// leftover claims at once. Stops cleanly on request (the run in hand goes back unclaimed).

import { statfsSync } from 'node:fs';
import { newRunsFilter, type RunDb, type RunDoc, type RunFilter } from '../../rundb/rundb.js';
import { cleanRunOnHost } from './cleaning.js';
import { MAX_DISK_USED_FRACTION, MAX_DISK_USED_FRACTION_TEST, MAX_N_RETRY } from './constants.js';
import { BootstraxLog } from './log.js';
import { BootstraxMetrics } from './metrics.js';
import { RunProcessor, type RunOutcome } from './processing.js';
import { RunActions } from './run-actions.js';
import { runIdOf } from '../data-safety.js';
import type { BootstraxSettings } from './settings.js';
import { staleReason, workingHost } from './state-machine.js';

export const PROGRAM = 'bootstrax';

const sleep = (ms: number, wake?: Promise<void>): Promise<void> =>
  Promise.race([new Promise<void>((r) => setTimeout(r, ms).unref()), ...(wake ? [wake] : [])]);

export class Daemon {
  readonly log: BootstraxLog;
  readonly metrics: BootstraxMetrics;
  private readonly actions: RunActions;
  private readonly processor: RunProcessor;
  private stopRequested = false;
  private wakeUp: () => void = () => undefined;
  private readonly woken: Promise<void>;
  private nextCleanup = 0;
  /** Test mode: runs looked at this session (it claims nothing, so it must skip them). */
  private readonly seen = new Set<number>();

  constructor(
    private readonly db: RunDb,
    private readonly s: BootstraxSettings,
    childScript: string,
    log?: BootstraxLog,
  ) {
    this.log = log ?? new BootstraxLog(s.hostname, process.stderr, s.debug);
    this.metrics = new BootstraxMetrics(s.hostname);
    this.actions = new RunActions(db, s, this.log, this.metrics);
    this.woken = new Promise((r) => (this.wakeUp = r));
    this.processor = new RunProcessor({
      db,
      s,
      actions: this.actions,
      log: this.log,
      metrics: this.metrics,
      childScript,
      stopping: () => this.stopRequested,
      heartbeat: (state, info) => this.heartbeat(state, info),
    });
  }

  /** Ask the loop to stop at the next safe point (SIGTERM). */
  stop(): void {
    this.stopRequested = true;
    this.wakeUp();
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  async heartbeat(state: string, info: Record<string, string | number | string[]> = {}): Promise<void> {
    this.metrics.state = state;
    if (!this.s.production) return;
    await this.db.heartbeat({
      host: this.s.hostname,
      program: PROGRAM,
      pid: process.pid,
      state,
      info: {
        targets: this.s.targets,
        max_cores: this.s.cores,
        max_messages: this.s.maxMessages,
        undying: this.s.undying,
        production_mode: this.s.production,
        ...info,
      },
    });
  }

  /** Refuse to run beside a live bootstrax of the same host name on this machine. */
  async checkSingleInstance(): Promise<void> {
    const alive = new Date(Date.now() - this.s.timing.presumedDeadMs);
    const mine = (await this.db.listHosts({ program: PROGRAM, aliveSince: alive })).find(
      (h) => h.host === this.s.hostname && h.pid !== process.pid && h.state !== 'dead_bootstrax',
    );
    if (!mine) return;
    let running = false;
    try {
      process.kill(mine.pid, 0);
      running = true;
    } catch {
      running = false;
    }
    if (running)
      throw new Error(
        `another bootstrax (pid ${mine.pid}) runs as host ${this.s.hostname} (heartbeat ${mine.time.toISOString()}): stop it first, or give another --hostname`,
      );
  }

  /** Claims this host left when it died: nothing can be running them now. */
  async failOwnLeftovers(): Promise<void> {
    if (!this.s.production) return;
    const own = await this.db.listRuns({ states: ['considering', 'busy'], bootstraxHost: this.s.hostname });
    for (const run of own) {
      await this.actions.apply(
        run,
        {
          kind: 'crashed-own',
          reason: `Host ${this.s.hostname} restarted while the run was ${run.bootstrax.state}`,
        },
        { holdsRun: true },
      );
    }
    // Copies this host registered for runs it no longer holds (failed as stale by another host
    // while this one was down or too slow): unfinished ones, and any copy of a run another host
    // has taken on or done, which would otherwise stay a second processing of it (this host's
    // child may have completed it before the daemon was killed).
    for (const run of await this.db.listRuns({ dataHost: this.s.hostname }, { withData: true })) {
      const owner = workingHost(run);
      if (owner === this.s.hostname) continue;
      const unfinished = run.data?.some((e) => e.host === this.s.hostname && e.status !== 'complete');
      if (!unfinished && owner === null) continue;
      const why = unfinished ? 'unfinished copy of a crashed host' : `run taken over by ${owner}`;
      const r = await cleanRunOnHost(this.db, run.number, this.s.hostname, why);
      for (const d of r.deleted) this.log.info(`run ${runIdOf(run.number)}: deleted ${d} (${why})`);
      for (const k of r.kept) this.log.warning(`run ${runIdOf(run.number)}: ${k}`);
    }
  }

  /** Enough room on the output disk? */
  diskOk(): boolean {
    try {
      const st = statfsSync(this.s.outputDir);
      const total = st.blocks * st.bsize;
      const free = st.bavail * st.bsize;
      const maxUsed = this.s.production ? MAX_DISK_USED_FRACTION : MAX_DISK_USED_FRACTION_TEST;
      return total > 0 && (total - free) / total < maxUsed && free > this.s.minFreeBytes;
    } catch {
      return false;
    }
  }

  private async waitForDisk(): Promise<void> {
    for (let i = 0; !this.diskOk(); i++) {
      if (i === 0) this.log.warning(`output disk of ${this.s.outputDir} is full: waiting for space`);
      if (i >= this.s.timing.diskWaitTries) {
        await this.heartbeat('dead_bootstrax');
        throw new Error(`no space on the output disk of ${this.s.outputDir} for too long: giving up`);
      }
      await this.heartbeat('disk full');
      await sleep(this.s.timing.diskWaitMs, this.woken);
      if (this.stopRequested) return;
    }
  }

  /** Take a run: atomically in production; test mode only looks (each run once). */
  async consider(filter: RunFilter): Promise<RunDoc | undefined> {
    if (this.s.production) {
      const run = await this.db.claimRun(this.s.hostname, filter);
      if (run) this.log.stateChange(runIdOf(run.number), filter.states?.[0] ?? null, 'considering');
      return run;
    }
    const runs = await this.db.listRuns({ ...filter }, { order: 'start', withData: true });
    const run = runs.find((r) => !this.seen.has(r.number));
    if (run) this.seen.add(run.number);
    return run;
  }

  private newRuns(): RunFilter {
    return newRunsFilter();
  }

  private retryRuns(): RunFilter {
    return { states: ['failed'], maxFailures: MAX_N_RETRY, retryDueBefore: new Date() };
  }

  /** Process one run if there is one; returns what happened, or null when idle. */
  async step(): Promise<RunOutcome | null> {
    await this.waitForDisk();
    if (this.stopRequested) return null;
    await this.heartbeat('busy');
    let run = await this.consider(this.newRuns());
    if (!run) {
      if (Date.now() > this.nextCleanup) {
        await this.cleanup();
        this.nextCleanup = Date.now() + this.s.timing.cleanupSpacingMs;
      }
      run = await this.consider(this.retryRuns());
    }
    if (!run) return null;
    if (this.stopRequested) {
      if (this.s.production) await this.actions.apply(run, { kind: 'release' }, { holdsRun: true });
      return 'released';
    }
    return this.processor.process(run);
  }

  /** The main loop; returns when stopped (or, in test mode, when nothing is left to look at). */
  async loop(): Promise<void> {
    await this.heartbeat('starting');
    await this.failOwnLeftovers();
    while (!this.stopRequested) {
      const outcome = await this.step();
      if (outcome) continue;
      if (!this.s.production) {
        this.log.info(`test mode: looked at ${this.seen.size} run(s); nothing left`);
        return;
      }
      await this.heartbeat('idle');
      await this.measureBacklog();
      await sleep(this.s.timing.idleNapMs, this.woken);
    }
  }

  /** Process one run by number (`--process N`). */
  async processOne(number: number): Promise<RunOutcome> {
    const run = await this.db.getRun(number);
    if (!run) throw new Error(`no run numbered ${number} in ${this.db.display}`);
    if (this.s.production && ['done', 'busy', 'considering'].includes(run.bootstrax.state ?? ''))
      throw new Error(
        `run ${number} is ${run.bootstrax.state}; not processing it (--fail it first to redo it)`,
      );
    const claimed = await this.consider({ number, states: [null, 'failed'] });
    if (!claimed) throw new Error(`run ${number} could not be claimed (another host took it)`);
    await this.heartbeat('busy');
    return this.processor.process(claimed);
  }

  /** Periodic clean-up: dead hosts, stale claims, inconsistent done runs, abandon tags. */
  async cleanup(): Promise<void> {
    if (!this.s.production) return;
    const t = this.s.timing;
    const now = Date.now();
    for (const h of await this.db.markHostsDead(PROGRAM, new Date(now - t.presumedDeadMs), 'dead_bootstrax'))
      this.log.warning(`host ${h} sent no heartbeat for ${t.presumedDeadMs / 1000} s: marked dead_bootstrax`);
    for (const [state, age] of [
      ['considering', t.maxConsideringMs],
      ['busy', t.maxBusyMs],
    ] as const) {
      const before = new Date(now - age);
      for (const run of await this.db.listRuns(
        { states: [state], staleBefore: before },
        { withData: true },
      )) {
        await this.actions.apply(
          run,
          { kind: 'stale', reason: staleReason(run.bootstrax.host, state, run.bootstrax.time) },
          { holdsRun: false, staleBefore: before },
        );
      }
    }
    for (const [filter, reason] of [
      [{ states: ['done'], ended: false }, 'Bootstrax state was done, but run did not yet end'],
      [
        { states: ['done'], hasProcessedData: false },
        'Bootstrax state was done, but no processed data registered',
      ],
    ] as const) {
      for (const run of await this.db.listRuns(filter))
        await this.actions.apply(run, { kind: 'inconsistent-done', reason });
    }
    const recent = new Date(now - t.abandoningAllowedMs);
    for (const [filter, reason] of [
      [
        { tag: 'abandon', states: ['done'], startAfter: recent },
        "Run has an 'abandon' tag -- run has been abandoned",
      ],
      [
        { tag: 'abandon', states: ['failed'] },
        "Run has an 'abandon' tag and was failing -- run has been abandoned",
      ],
    ] as const) {
      for (const run of await this.db.listRuns(filter))
        await this.actions.apply(run, { kind: 'abandon-tag', reason });
    }
  }

  /** Runs nobody claimed yet (the metrics' backlog). */
  private async measureBacklog(): Promise<void> {
    const waiting = await this.db.listRuns(this.newRuns());
    this.metrics.backlogRuns = waiting.length;
  }

  /** `--fail N [REASON]`: counted as a failure; retried later. */
  async manualFail(number: number, reason: string): Promise<void> {
    const run = await this.db.getRun(number);
    if (!run) throw new Error(`no run numbered ${number} in ${this.db.display}`);
    await this.actions.apply(run, {
      kind: 'manual-fail',
      reason: `Manually set failed state. ${reason}`.trim(),
    });
  }

  /** `--abandon N [REASON]`: terminal; with a reason it is failed (and cleaned) first. */
  async manualAbandon(number: number, reason?: string): Promise<void> {
    if (reason) await this.manualFail(number, reason);
    const run = await this.db.getRun(number);
    if (!run) throw new Error(`no run numbered ${number} in ${this.db.display}`);
    await this.actions.apply(run, { kind: 'manual-abandon' });
  }
}
