// Processing one claimed run (spec scripts.md §1.7): find its live_data, work out targets and
// resources, run the strax child while watching straxen's limits, then the checks, `done`, the
// status for restrax, and (only when proven safe) the deletion of the live_data.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { unwrapPy } from '../../core/python/float.js';
import type { RunDb, RunDoc } from '../../rundb/rundb.js';
import { checkProcessedData, missingLocations, rawRowCount, type StoredTypeFacts } from './checks.js';
import type { StraxJob } from './child-protocol.js';
import { childFailure, ProcessingChild } from './child-runner.js';
import { limitReached } from './limits.js';
import {
  cleanRunOnHost,
  deleteLiveData,
  failUnfinishedEntries,
  LIVE_TYPE,
  liveDeletionRefusal,
  sweepUnregistered,
} from './cleaning.js';
import { CHILD_STOP_GRACE_MS } from './constants.js';
import { daqReaderConfigFromRunDoc } from '../live-data/daq-config.js';
import type { BootstraxLog } from './log.js';
import type { BootstraxMetrics } from './metrics.js';
import { inferResources, isNewEventbuilder, runDataRate } from './resources.js';
import type { RunActions } from './run-actions.js';
import { runIdOf } from '../data-safety.js';
import type { BootstraxSettings } from './settings.js';
import { workingHost, type RunEvent } from './state-machine.js';
import { readBackRawRows, runFolders, storedFacts } from './stored-facts.js';
import { inferTargets, TargetError } from './targets.js';

export type RunOutcome = 'done' | 'failed' | 'released' | 'lost' | 'checked';

export interface ProcessingDeps {
  db: RunDb;
  s: BootstraxSettings;
  actions: RunActions;
  log: BootstraxLog;
  metrics: BootstraxMetrics;
  /** The child entry script. */
  childScript: string;
  /** True once the daemon was asked to stop. */
  stopping: () => boolean;
  /** Called with the run's fields for the host heartbeat. */
  heartbeat: (state: string, info: Record<string, string | number | string[]>) => Promise<void>;
}

/** daq_config keys with straxen's defaults (processing_threads has none). */
const DAQ_CONFIG_DEFAULTS = {
  strax_chunk_length: 5,
  strax_chunk_overlap: 0.5,
  strax_fragment_payload_bytes: 220,
  compressor: 'lz4',
};

/** Main chunk plus overlap, seconds (the raw_records compressor rule needs it). */
function chunkSeconds(dc: Record<string, unknown>): number {
  const n = (k: 'strax_chunk_length' | 'strax_chunk_overlap'): number =>
    typeof dc[k] === 'number' ? (dc[k] as number) : DAQ_CONFIG_DEFAULTS[k];
  return n('strax_chunk_length') + n('strax_chunk_overlap');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Newest modification time (ms) of anything in the run's output folders (incl. _temp). */
export function lastWriteMs(outputDir: string, runId: string): number {
  let last = 0;
  if (!existsSync(outputDir)) return last;
  for (const name of readdirSync(outputDir)) {
    if (!name.startsWith(`${runId}-`)) continue;
    const dir = join(outputDir, name);
    try {
      last = Math.max(last, statSync(dir).mtimeMs);
      for (const f of readdirSync(dir)) last = Math.max(last, statSync(join(dir, f)).mtimeMs);
    } catch {
      // renamed or removed while looking: the next look sees it
    }
  }
  return last;
}

export class RunProcessor {
  constructor(private readonly d: ProcessingDeps) {}

  private async fail(
    run: RunDoc,
    reason: string,
    extra: { child?: ProcessingChild; traceback?: string } = {},
  ) {
    const ev: RunEvent = { kind: 'fail', reason };
    const opts = {
      holdsRun: true,
      ...(extra.child ? { killChild: () => extra.child!.kill() } : {}),
      ...(extra.traceback ? { traceback: extra.traceback } : {}),
    };
    if (!this.d.s.production) {
      await extra.child?.kill();
      this.d.log.warning(`run ${runIdOf(run.number)} failed (test mode, not recorded): ${reason}`);
      return 'failed' as const;
    }
    await this.d.actions.apply(run, ev, opts);
    return 'failed' as const;
  }

  /** Another host took the run over (it thought this one dead): drop what this host wrote. */
  private async lost(run: RunDoc): Promise<RunOutcome> {
    const { db, s, log } = this.d;
    const now = await db.getRun(run.number);
    log.warning(
      `run ${runIdOf(run.number)}: lost the claim (now ${now?.bootstrax.state ?? '?'} by ${now?.bootstrax.host ?? '?'})`,
    );
    if (!now || workingHost(now) !== s.hostname) {
      const r = await cleanRunOnHost(db, run.number, s.hostname, 'claim lost to another host');
      for (const d of r.deleted) log.info(`run ${runIdOf(run.number)}: deleted ${d}`);
    }
    return 'lost';
  }

  async process(claimed: RunDoc): Promise<RunOutcome> {
    const { s, log } = this.d;
    const runId = runIdOf(claimed.number);
    const run = s.production ? ((await this.d.db.getRun(claimed.number)) ?? claimed) : claimed;
    if (s.production && run.bootstrax.state === 'done')
      throw new Error(`run ${runId} is already done; refusing to process it again`);

    // The live_data: production trusts the run's `live` entry, test mode --live_dir.
    let liveParent = s.liveDir;
    if (s.production) {
      const live = run.data?.find((e) => e.type === LIVE_TYPE);
      if (!live) return this.fail(run, 'No live data registered for this run (no data entry of type live)');
      liveParent = live.location;
    }
    const liveFolder = join(liveParent, runId);
    if (!existsSync(liveFolder)) return this.fail(run, `No live data at claimed location ${liveFolder}`);
    const daqConfig = run.daqConfig;
    if (!daqConfig) return this.fail(run, 'Run has no daq_config: the live_data layout is unknown');
    if (!run.start) return this.fail(run, 'Run has no start time');
    let readerConfig: Record<string, unknown>;
    try {
      readerConfig = daqReaderConfigFromRunDoc(daqConfig, run.start, liveFolder);
    } catch (e) {
      return this.fail(run, (e as Error).message);
    }
    const missing = Object.keys(DAQ_CONFIG_DEFAULTS).filter((k) => daqConfig[k] === undefined);
    if (missing.length)
      log.warning(`run ${runId}: daq_config lacks ${missing.join(', ')}; straxen's defaults used`);

    let targets;
    try {
      targets = inferTargets(
        { targets: s.targets, postProcess: s.postProcess, fixTarget: s.fixTarget },
        { mode: run.mode, detectors: run.detectors, nFailures: run.bootstrax.nFailures },
        { hostname: s.hostname },
      );
    } catch (e) {
      if (e instanceof TargetError) return this.fail(run, e.message);
      throw e;
    }
    for (const n of targets.notes) log.info(`run ${runId}: ${n}`);
    const res = inferResources(
      {
        cores: s.cores,
        maxMessages: s.maxMessages,
        inferMode: s.inferMode,
        fixResources: s.fixResources,
        cpus: cpus().length,
      },
      {
        dataRate: runDataRate(run.rate),
        mode: run.mode,
        nFailures: run.bootstrax.nFailures,
        newEventbuilder: isNewEventbuilder(s.hostname),
        chunkSeconds: chunkSeconds(daqConfig),
      },
    );
    for (const n of res.notes) log.info(`run ${runId}: ${n}`);

    const t0 = new Date();
    let current = run;
    if (s.production) {
      const busy = await this.d.actions.apply(
        run,
        { kind: 'start' },
        { holdsRun: true, startedProcessing: t0 },
      );
      if (!busy) return this.lost(run);
      current = busy;
    }
    const job: StraxJob = {
      runId,
      rundbUrl: s.rundbUrl,
      production: s.production,
      hostname: s.hostname,
      outputDir: s.outputDir,
      context: s.context,
      ...(s.configFromJson ? { configFromJson: s.configFromJson } : {}),
      targets: targets.targets,
      postProcessing: targets.postProcessing,
      // Plain JSON over IPC (a PyFloat would arrive as an object).
      config: unwrapPy(readerConfig),
      cores: res.cores,
      maxMessages: res.maxMessages,
      timeoutS: res.timeoutS,
      ...(s.profile ? { profile: `run${runId}_${s.profile}` } : {}),
    };
    const fields = {
      run_id: runId,
      targets: job.targets,
      cores: job.cores,
      max_messages: job.maxMessages,
      timeout: job.timeoutS,
      post_processing: job.postProcessing,
    };
    await this.d.heartbeat('busy', fields);
    log.info(`run ${runId}: processing to ${job.targets.join(', ')} with ${job.cores} cores`);
    const child = ProcessingChild.start(this.d.childScript, job);
    let limit: RunOutcome | null;
    try {
      limit = await this.watch(current, child, t0, fields);
    } finally {
      // Whatever went wrong here (e.g. the database went away), no child outlives its watch.
      await child.kill();
    }
    if (limit !== null) return limit;
    const exit = await child.exited;
    if (exit.result?.kind !== 'done') {
      const f = childFailure(exit);
      return this.fail(current, f.reason, { traceback: f.traceback });
    }
    const seconds = (Date.now() - t0.getTime()) / 1000;
    return this.finish(current, seconds);
  }

  /** Watch the child until it exits; a limit hit kills it and fails the run. */
  private async watch(
    run: RunDoc,
    child: ProcessingChild,
    t0: Date,
    fields: Record<string, string | number | string[]>,
  ): Promise<RunOutcome | null> {
    const { s, db, log } = this.d;
    const runId = runIdOf(run.number);
    let current = run;
    while (child.running) {
      await Promise.race([child.exited, sleep(s.timing.checkOnStraxMs)]);
      if (!child.running) break;
      if (this.d.stopping()) {
        log.info(`run ${runId}: stopping; the run goes back to be claimed again`);
        await this.stopChild(current, child);
        return 'released';
      }
      const end = (await db.getRun(run.number))?.end ?? null;
      const why = limitReached(
        {
          now: Date.now(),
          startedMs: t0.getTime(),
          runEndMs: end ? end.getTime() : null,
          lastWriteMs: lastWriteMs(s.outputDir, runId),
        },
        s.timing,
      );
      if (why) return this.fail(current, why, { child });
      await this.d.heartbeat('busy', fields);
      if (s.production) {
        const still = await this.d.actions.apply(current, { kind: 'heartbeat' }, { holdsRun: true });
        if (!still) {
          // Failed as stale by another host (this one was too slow to say it is alive).
          log.error(`run ${runId}: the claim was lost while processing; stopping the child`);
          await child.kill();
          return this.lost(run);
        }
        current = still;
      }
    }
    return null;
  }

  /**
   * The daemon stops while the child works: the child stops itself (its savers mark their data
   * failed, its registrations are all written), else it is killed; then the run is released
   * (cleaning what is registered), and what no entry names, or still looks in progress, is
   * removed or marked failed.
   */
  private async stopChild(run: RunDoc, child: ProcessingChild): Promise<void> {
    const { s, db, log } = this.d;
    const runId = runIdOf(run.number);
    if (!(await child.stop(CHILD_STOP_GRACE_MS)))
      log.warning(`run ${runId}: the child did not stop within ${CHILD_STOP_GRACE_MS / 1000} s: killed`);
    if (!s.production) return;
    await this.d.actions.apply(run, { kind: 'release' }, { holdsRun: true });
    const entries = await db.listData(run.number);
    for (const d of sweepUnregistered(s.outputDir, runId, new Set(entries.map((e) => e.location))))
      log.info(`run ${runId}: deleted unregistered ${d}`);
    for (const t of await failUnfinishedEntries(db, run.number, s.hostname))
      log.info(`run ${runId}: unfinished ${t} kept, marked failed`);
  }

  /** The checks, then done (production), then maybe the live_data deletion. */
  private async finish(run: RunDoc, seconds: number): Promise<RunOutcome> {
    const { s, db, log, metrics } = this.d;
    const runId = runIdOf(run.number);
    const folders = async (): Promise<{ all: string[]; entries: { type: string; location: string }[] }> => {
      if (!s.production) return { all: runFolders(s.outputDir, runId), entries: [] };
      const entries = (await db.listData(run.number, { host: s.hostname })).filter(
        (e) => e.type !== LIVE_TYPE,
      );
      return { all: entries.map((e) => e.location), entries };
    };
    // Registered folders are renamed into place when their savers close, and the run's end is
    // written by the DAQ right after THE_END: both are waited for a little, as straxen does.
    const deadline = Date.now() + s.timing.allFilesSavedMs;
    let facts: StoredTypeFacts[] = [];
    let current = run;
    for (;;) {
      const f = await folders();
      const missing = missingLocations(f.entries, existsSync);
      const fresh = await db.getRun(run.number);
      if (fresh) current = { ...current, end: fresh.end, start: fresh.start };
      facts = storedFacts(f.all);
      if ((missing.length === 0 && current.end) || Date.now() > deadline || s.ignoreChecks) {
        if (!s.ignoreChecks && missing.length)
          return this.fail(run, `Not all files in the rundoc for this run are saved: ${missing.join('; ')}`);
        break;
      }
      await sleep(Math.min(s.timing.checkOnStraxMs, 2000));
      // Still working on it: the claim must not look stale while the folders are awaited.
      if (s.production) {
        const still = await this.d.actions.apply(current, { kind: 'heartbeat' }, { holdsRun: true });
        if (!still) return this.lost(run);
        current = { ...still, end: current.end, start: current.start };
      }
    }
    if (!s.ignoreChecks) {
      if (s.production && !facts.length)
        return this.fail(run, 'Processing succeeded, but no data is registered for this host');
      const why = checkProcessedData(facts, { start: current.start!, end: current.end });
      if (why) return this.fail(run, why);
    }
    const rawBytes = facts
      .filter((f) => f.dataType === 'raw_records')
      .reduce((a, f) => a + f.chunks.reduce((b, c) => b + (c.nbytes ?? 0), 0), 0);
    metrics.lastRunSeconds = seconds;
    metrics.lastRunMbPerS = seconds > 0 ? rawBytes / 1e6 / seconds : 0;
    log.info(
      `run ${runId}: processed in ${seconds.toFixed(1)} s (${metrics.lastRunMbPerS.toFixed(1)} MB/s of raw_records)`,
    );
    if (!s.production) {
      log.info(`run ${runId}: test mode: processing and checks succeeded (nothing recorded)`);
      return 'checked';
    }
    const done = await this.d.actions.apply(run, { kind: 'succeed' }, { holdsRun: true });
    if (!done) return this.lost(run);
    metrics.runsDone++;
    if (s.deleteLive) {
      const { all } = await folders();
      let readBack = new Map<string, number>();
      let readError = '';
      try {
        readBack = await readBackRawRows(all);
      } catch (e) {
        readError = (e as Error).message;
      }
      const refusal =
        readError ||
        liveDeletionRefusal({
          production: s.production,
          deleteLive: s.deleteLive,
          checksPassed: !s.ignoreChecks,
          readFromLive: rawRowCount(facts),
          readBack,
        });
      if (refusal) log.warning(`run ${runId}: live_data kept: ${refusal}`);
      else {
        const r = await deleteLiveData(db, run.number, s.hostname);
        for (const f of r.deleted) log.info(`run ${runId}: deleted live_data ${f}`);
        for (const k of r.kept) log.warning(`run ${runId}: live_data kept: ${k}`);
      }
    }
    return 'done';
  }
}
