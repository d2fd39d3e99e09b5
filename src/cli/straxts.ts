#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304 MALLOC_TRIM_THRESHOLD_=33554432 node --max-semi-space-size=4
// straxts: the umbrella command (ls, info, export, ... — see commands/index.ts).

import { Command } from 'commander';
import { COMMANDS } from './commands/index.js';
import { runCli } from './user-error.js';
import { versionLine } from './version.js';

const program = new Command('straxts')
  .description('strax/straxen-compatible data tools')
  .version(versionLine('straxts'), '-V, --version', 'print the version')
  .exitOverride()
  .showHelpAfterError(false);
for (const c of COMMANDS) c.register(program);

await runCli('straxts', async () => {
  await program.parseAsync(process.argv);
});
