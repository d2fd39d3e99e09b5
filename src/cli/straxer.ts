#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304 node --max-semi-space-size=4
// straxer: process one run (see src/cli/straxer/ for the options and the job).

import './jit-flags.js'; // first: before any chain code runs
import { ContextSetupError } from '../named-contexts/index.js';
import { StraxerStopped, StraxerUsageError } from './straxer/errors.js';
import { runStraxerJob } from './straxer/job.js';
import { parseStraxerArgs } from './straxer/options.js';
import { runCli, UserError } from './user-error.js';

await runCli('straxer', async () => {
  const opts = parseStraxerArgs(process.argv.slice(2));
  if (opts.debug) process.env.STRAXTS_DEBUG = '1';
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
