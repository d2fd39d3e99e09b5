#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304 MALLOC_TRIM_THRESHOLD_=33554432 node --max-semi-space-size=4
// ajax: the DAQ disk cleaner (straxen's options). A dry run unless --production.

import { Command, Option } from 'commander';
import { Ajax } from '../daq/ajax/ajax.js';
import { AJAX_MODES, AJAX_TIMES, type AjaxMode } from '../daq/ajax/settings.js';
import { DEFAULT_LIVE_HOST } from '../daq/daq-folders.js';
import { openRunDb } from '../rundb/rundb.js';
import {
  addDaqOptions,
  daqFolders,
  daqHostname,
  daqRunDbUrl,
  parseWholeNumber,
  type DaqCliOptions,
} from './daq-options.js';
import { askYesNo, closePrompt } from './prompt.js';
import { UserError, runCli } from './user-error.js';
import { versionLine } from './version.js';

interface AjaxCliOptions extends DaqCliOptions {
  clean?: string;
  number?: string;
  delete_live?: boolean;
  force?: boolean;
  ask_confirm?: boolean;
  production?: boolean;
  logging: string;
  live_host: string;
}

const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

const program = addDaqOptions(
  new Command('ajax')
    .description(
      'delete data no longer needed on this DAQ host and keep the runs database in step (a dry run unless --production)',
    )
    .addOption(new Option('--clean <mode>', `what to clean: ${AJAX_MODES.join(', ')}`).conflicts('number'))
    .option('--number <run>', "remove this run's data from this host")
    .option('--delete_live', "with --number: remove the run's live_data instead")
    .option('--force', 'with --number and --ask_confirm: delete even a last copy')
    .option('--ask_confirm', 'ask before every deletion and move')
    .option('--production', 'really delete (otherwise only report what would be done)')
    .option('--logging <level>', `log level: ${LEVELS.join(', ')}`, 'DEBUG')
    .option('--live_host <host>', 'the one host that may delete live_data', DEFAULT_LIVE_HOST),
)
  .version(versionLine('ajax'), '-V, --version', 'print the version')
  .exitOverride()
  .showHelpAfterError(false);

function checkUsage(o: AjaxCliOptions): { mode?: AjaxMode; number?: number } {
  if (!LEVELS.includes(o.logging.toUpperCase()))
    throw new UserError(`--logging must be one of ${LEVELS.join(', ')}, got '${o.logging}'`);
  if (o.clean === undefined && o.number === undefined)
    throw new UserError('give --clean MODE or --number RUN');
  if (o.clean === 'high_level_data')
    throw new UserError('--clean high_level_data is disabled in straxen and not available; use another mode');
  if (o.clean !== undefined && !(AJAX_MODES as readonly string[]).includes(o.clean))
    throw new UserError(`unknown --clean mode '${o.clean}': use one of ${AJAX_MODES.join(', ')}`);
  if (o.delete_live && o.number === undefined) throw new UserError('--delete_live needs --number RUN');
  if (o.force && o.number === undefined)
    throw new UserError('--force needs --number RUN: a last copy is deleted only for a run you name');
  if (o.force && !o.ask_confirm) throw new UserError('--force needs --ask_confirm');
  return o.number !== undefined
    ? { number: parseWholeNumber(o.number, '--number') }
    : { mode: o.clean as AjaxMode };
}

await runCli('ajax', async () => {
  program.parse(process.argv);
  const o = program.opts<AjaxCliOptions>();
  const { mode, number } = checkUsage(o);
  const url = daqRunDbUrl(o, 'ajax');
  const quiet = ['WARNING', 'ERROR', 'CRITICAL'].includes(o.logging.toUpperCase());
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    if (
      o.force &&
      !(await askYesNo('--force deletes even the last copy of this run. Want to proceed willingly?'))
    ) {
      process.stderr.write('ajax: not confirmed; nothing done\n');
      process.exitCode = 1;
      return;
    }
    const needsHashes = mode === 'old_hash';
    const currentLineageHash = needsHashes
      ? (await import('../named-contexts/index.js')).currentLineageHashes()
      : undefined;
    const db = await openRunDb(url);
    try {
      const newPass = (): Ajax =>
        new Ajax(db, {
          hostname: daqHostname(o),
          liveHost: o.live_host,
          folders: daqFolders(o),
          production: !!o.production,
          force: !!o.force,
          ...(o.ask_confirm ? { confirm: askYesNo } : {}),
          ...(currentLineageHash ? { currentLineageHash } : {}),
          log: quiet ? () => undefined : out,
          warn: out,
        });
      const ajax = newPass();
      out(
        `ajax on ${daqHostname(o)}: ${o.production ? 'PRODUCTION' : 'dry run'}, runs database ${db.display}`,
      );
      if (number !== undefined) await ajax.removeRun(number, !!o.delete_live);
      else if (mode === 'all' && o.production) {
        for (;;) {
          try {
            // Each hourly pass has its own summary.
            const pass = newPass();
            await pass.clean('all');
            out(pass.report.summary());
            await sleep(AJAX_TIMES.napMs);
          } catch (e) {
            process.stderr.write(`ajax: a pass failed: ${(e as Error).message}; trying again in 60 s\n`);
            await sleep(60_000);
          }
        }
      } else await ajax.clean(mode!);
      out(ajax.report.summary());
    } finally {
      await db.close();
    }
  } finally {
    closePrompt();
  }
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
