// straxts verify DIR [RUN] [TYPE]: read every chunk back and check it against its metadata.

import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { verifyDirectory } from '../../storage/verify.js';
import { UserError } from '../user-error.js';

export function register(program: Command): void {
  program
    .command('verify')
    .description(
      'decode every chunk of stored data and check rows, time ranges and checksums (exit 1 on damage)',
    )
    .argument('<dir>', 'data directory')
    .argument('[run]', 'only this run')
    .argument('[type]', 'only this data type')
    .action(async (path: string, run?: string, type?: string) => {
      if (!existsSync(path)) throw new UserError(`no such directory: ${path}`);
      if (!statSync(path).isDirectory())
        throw new UserError(`${path} is a file; give the data directory holding it`);
      const verdicts = await verifyDirectory(path, run, type);
      if (verdicts.length === 0) {
        const what = [run && `run ${run}`, type].filter(Boolean).join(' ');
        throw new UserError(`no complete data${what ? ` of ${what}` : ''} in ${path}`);
      }
      let damaged = 0;
      for (const v of verdicts) {
        const name = `${v.key.runId}-${v.key.dataType}-${v.key.lineageHash}`;
        if (v.problems.length === 0) {
          process.stdout.write(`ok       ${name}: ${v.chunks} chunks, ${v.rows} rows\n`);
          continue;
        }
        damaged++;
        process.stdout.write(`DAMAGED  ${name}: ${v.problems.join('; ')}\n`);
      }
      process.stdout.write(`${verdicts.length - damaged} sound, ${damaged} damaged\n`);
      if (damaged) process.exitCode = 1;
    });
}
