// `TOOL --version` on every straxts command: one line, the same format, exit 0.

import { versionLine } from '../named-contexts/package-info.js';

export { versionLine };

/** For tools without a command-line parser: print the version and return true if asked. */
export function printedVersion(tool: string, argv: readonly string[] = process.argv.slice(2)): boolean {
  if (!argv.includes('--version') && !argv.includes('-V')) return false;
  process.stdout.write(`${versionLine(tool)}\n`);
  return true;
}
