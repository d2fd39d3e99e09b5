#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304 MALLOC_TRIM_THRESHOLD_=33554432 node --max-semi-space-size=4
// straxer: process one run (see src/cli/straxer/ for the options and the job).

import './jit-flags.js'; // first: before any chain code runs
import { WorkerPool } from '../core/engine/pool.js';
import { parseStraxerArgs } from './straxer/options.js';
import { runCli, UserError } from './user-error.js';

await runCli('straxer', async () => {
  const opts = parseStraxerArgs(process.argv.slice(2));
  if (opts.debug) process.env.STRAXTS_DEBUG = '1';
  // Worker threads boot while this thread loads the chain's modules (imported only now for that).
  WorkerPool.prestart(opts.workers);
  const [{ ContextSetupError }, { StraxerStopped, StraxerUsageError }, { runStraxerJob }] = await Promise.all(
    [import('../named-contexts/index.js'), import('./straxer/errors.js'), import('./straxer/job.js')],
  );
  try {
    process.exitCode = await runStraxerJob(opts);
  } catch (e) {
    if (e instanceof StraxerUsageError || e instanceof ContextSetupError) throw new UserError(e.message);
    if (e instanceof StraxerStopped) {
      process.stderr.write(`straxer: ${e.message}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    throw e;
  }
});
// Worker threads or database pools must not keep a finished job alive.
process.exit(process.exitCode ?? 0);
