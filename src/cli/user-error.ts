// The CLI error convention: a UserError (bad arguments, missing data, ...) prints one line on
// stderr and exits 2; anything else prints one line and exits 1 (the stack with STRAXTS_DEBUG=1).

import { CommanderError } from 'commander';
import { StorageError } from '../storage/errors.js';

export class UserError extends Error {}

/** Run a CLI's main function with the shared error handling. */
export async function runCli(tool: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has already printed its message (or the help / version text).
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    const debug = process.env.STRAXTS_DEBUG === '1';
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof UserError || e instanceof StorageError) {
      process.stderr.write(`${tool}: ${msg}\n`);
      if (debug && e instanceof Error) process.stderr.write(`${e.stack}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${tool}: error: ${msg}\n`);
    if (debug && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    else process.stderr.write(`${tool}: (set STRAXTS_DEBUG=1 for the stack trace)\n`);
    process.exitCode = 1;
  }
}
