// bootstrax's processing child: one run, from its live_data through the DAQReader to the
// targets, new data registered in the runs database as it is opened (production) or written to
// the test folder only. Runs in its own process so the daemon can kill it on its limits.

import { mkdirSync } from 'node:fs';
import type { ChildMessage, StraxJob } from '../../daq/bootstrax/child-protocol.js';
import { openRunDb } from '../../rundb/rundb.js';
import { makeContext } from '../../named-contexts/contexts.js';
import { startProfile } from '../straxer/profile.js';

/** Make the job's targets; resolves with the result message (never throws). Aborting `stop`
 * ends processing with its savers marked failed and every database write finished. */
export async function runStraxJob(
  job: StraxJob,
  log: (m: string) => void,
  stop: AbortSignal = new AbortController().signal,
): Promise<ChildMessage> {
  const t0 = Date.now();
  const db = await openRunDb(job.rundbUrl).catch((e: unknown) => e as Error);
  if (db instanceof Error) return { kind: 'failed', message: db.message, stack: db.stack ?? '' };
  const profile = job.profile ? await startProfile(job.profile) : null;
  try {
    mkdirSync(job.outputDir, { recursive: true });
    const sc = makeContext(job.context, {
      outputFolder: job.outputDir,
      runDb: db,
      weAreTheDaq: job.production,
      ...(job.configFromJson ? { configFile: job.configFromJson } : {}),
      config: job.config,
      hostname: job.hostname,
    });
    const ctx = sc.context;
    ctx.warn = (m) => log(`WARNING ${m}`);
    ctx.setContextConfig({
      workers: Math.max(1, job.cores),
      maxMessages: job.maxMessages,
      progressBar: false,
    });
    const start = BigInt(Math.round(Number(job.config.run_start_time ?? 0))) * 1_000_000_000n;
    sc.setRunExtent(job.runId, start, null);
    let lastChunk = Date.now();
    const watchdog = setInterval(() => {
      if (Date.now() - lastChunk > job.timeoutS * 1000) {
        log(`ERROR no data arrived for ${job.timeoutS} s: giving up`);
        process.exit(3);
      }
    }, 1000);
    watchdog.unref();
    const progress = (): void => {
      lastChunk = Date.now();
    };
    try {
      log(`making ${job.targets.join(', ')} of run ${job.runId}`);
      await ctx.make(job.runId, job.targets, { save: job.targets, progress, signal: stop });
      for (const t of job.postProcessing) {
        if (!sc.dataTypes.includes(t)) {
          log(`WARNING post-processing target ${t} is not a known data type; skipped`);
          continue;
        }
        stop.throwIfAborted();
        if (await ctx.isStored(job.runId, t)) continue;
        await ctx.make(job.runId, t, { save: [t], progress, signal: stop });
      }
    } finally {
      clearInterval(watchdog);
    }
    return { kind: 'done', seconds: (Date.now() - t0) / 1000 };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { kind: 'failed', message: err.message, stack: err.stack ?? '' };
  } finally {
    if (profile) log(`CPU profile written to ${await profile.stop()}`);
    await db.close().catch(() => undefined);
  }
}
