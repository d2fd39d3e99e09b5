#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304 MALLOC_TRIM_THRESHOLD_=33554432 node --max-semi-space-size=4
// bootstrax: live processing on an eventbuilder (src/daq/bootstrax/, src/cli/bootstrax/).

import { fileURLToPath } from 'node:url';
import { runBootstrax } from './bootstrax/run-daemon.js';
import { BootstraxUsageError, parseBootstraxArgs } from './bootstrax/options.js';
import { runCli, UserError } from './user-error.js';
import { printedVersion } from './version.js';

const CHILD = fileURLToPath(new URL('./bootstrax-child.js', import.meta.url));

await runCli('bootstrax', async () => {
  if (printedVersion('bootstrax')) return;
  try {
    const cli = parseBootstraxArgs(process.argv.slice(2));
    process.exitCode = await runBootstrax(cli, CHILD);
  } catch (e) {
    if (e instanceof BootstraxUsageError) throw new UserError(e.message);
    throw e;
  }
});
// Database pools or a stopped child must not keep the process alive.
process.exit(process.exitCode ?? 0);
