// Performing the state machine's events against the runs database and the disk: the effects
// before the state write, the one conditional write, the effects after. Test mode writes and
// deletes nothing (straxen's fail_run cleans even then; this does not).

import type { RunDb, RunDoc } from '../../rundb/rundb.js';
import { cleanRunOnHost } from './cleaning.js';
import type { BootstraxLog } from './log.js';
import type { BootstraxMetrics } from './metrics.js';
import { runIdOf } from '../data-safety.js';
import type { BootstraxSettings } from './settings.js';
import { storedReason, transition, TRANSITIONS, type RunEvent } from './state-machine.js';

export interface EventOptions {
  /** This host holds the run (its child may be running). */
  holdsRun?: boolean;
  /** Stop the processing child (before cleaning). */
  killChild?: () => Promise<void>;
  startedProcessing?: Date;
  /** For `stale`: the claim must still be older than this when it is failed. */
  staleBefore?: Date;
  traceback?: string;
}

export class RunActions {
  constructor(
    private readonly db: RunDb,
    private readonly s: BootstraxSettings,
    private readonly log: BootstraxLog,
    private readonly metrics?: BootstraxMetrics,
  ) {}

  /**
   * Apply `event` to `run`. Returns the run as stored afterwards, or undefined when the run was
   * not in a state the event starts from (another host got there first), or in test mode.
   */
  async apply(run: RunDoc, event: RunEvent, o: EventOptions = {}): Promise<RunDoc | undefined> {
    const runId = runIdOf(run.number);
    const from = run.bootstrax.state;
    const out = transition(from, event, {
      production: this.s.production,
      deleteLive: this.s.deleteLive,
      holdsRun: o.holdsRun ?? false,
    });
    const reason = 'reason' in event ? event.reason : undefined;
    if (!out.ok) {
      this.log.warning(`run ${runId}: ${out.why}`);
      return undefined;
    }
    for (const e of out.before) {
      if (e.kind === 'kill-child') await o.killChild?.();
      else if (e.kind === 'clean-host-data') {
        const r = await cleanRunOnHost(this.db, run.number, this.s.hostname, reason ?? event.kind);
        for (const d of r.deleted) this.log.info(`run ${runId}: deleted ${d}`);
        for (const k of r.kept) this.log.info(`run ${runId}: ${k}`);
      }
    }
    if (!this.s.production) {
      if (out.countsFailure)
        this.log.warning(`run ${runId}: (test mode, not recorded) ${reason ?? event.kind}`);
      return undefined;
    }
    const stored = await this.write(run, event, o, reason);
    if (!stored) {
      this.log.warning(`run ${runId}: not changed by ${event.kind}: someone else moved it first`);
      return undefined;
    }
    if (out.countsFailure && this.metrics) this.metrics.runsFailed++;
    if (event.kind !== 'heartbeat') this.log.stateChange(runId, from, stored.bootstrax.state, reason);
    for (const e of out.after) if (e.kind === 'set-status-finished') await this.setFinished(stored);
    return stored;
  }

  private async write(
    run: RunDoc,
    event: RunEvent,
    o: EventOptions,
    reason: string | undefined,
  ): Promise<RunDoc | undefined> {
    const t = TRANSITIONS[event.kind];
    const host = this.s.hostname;
    const mustHold = o.holdsRun ?? false;
    const cond = {
      from: t.from,
      mustHold,
      ...(o.staleBefore ? { staleBefore: o.staleBefore } : {}),
    };
    if (event.kind === 'release') {
      const ok = await this.db.releaseRun(run.number, host, ['considering', 'busy']);
      return ok ? this.db.getRun(run.number) : undefined;
    }
    if (t.countsFailure) {
      const failed = await this.db.markFailed(run.number, host, storedReason(host, reason!, o.traceback), {
        ...cond,
        retryBaseMs: this.s.timing.retryRunMs,
      });
      if (!failed || t.to === 'failed') return failed;
      // abandon-tag: failed first (cleaned, counted), then abandoned.
      return this.db.setBootstraxState(run.number, host, 'abandoned', { from: ['failed'] });
    }
    return this.db.setBootstraxState(run.number, host, t.to!, {
      ...cond,
      ...(o.startedProcessing ? { startedProcessing: o.startedProcessing } : {}),
    });
  }

  /** status := eb_finished_pre, only from null / needs_upload (anything else is reported). */
  private async setFinished(run: RunDoc): Promise<void> {
    const runId = runIdOf(run.number);
    if (await this.db.setRunStatus(run.number, 'eb_finished_pre', [null, 'needs_upload'])) return;
    const now = await this.db.getRun(run.number);
    if (now?.status === 'eb_finished_pre')
      this.log.warning(`run ${runId}: status was already eb_finished_pre`);
    else this.log.error(`run ${runId}: status is ${now?.status}; not setting eb_finished_pre over it`);
  }
}
