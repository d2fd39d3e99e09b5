#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304 MALLOC_TRIM_THRESHOLD_=33554432 node --max-semi-space-size=4
// restrax: rechunk and recompress this host's bootstrax output for the upload (straxen's options).

import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { DAQ_FOLDERS } from '../daq/daq-folders.js';
import { Restrax } from '../daq/restrax/restrax.js';
import type { RestraxSettings } from '../daq/restrax/settings.js';
import { packageInfo } from '../named-contexts/package-info.js';
import { openRunDb } from '../rundb/rundb.js';
import {
  addDaqOptions,
  daqFolders,
  daqHostname,
  daqRunDbUrl,
  parseWholeNumber,
  type DaqCliOptions,
} from './daq-options.js';
import { UserError, runCli } from './user-error.js';
import { versionLine } from './version.js';

interface RestraxCliOptions extends DaqCliOptions {
  production?: boolean;
  ignore_checks?: boolean;
  input_folder: string;
  test_dir: string;
  max_threads: string;
  skip_compression: string[];
  deep_compare?: boolean;
  recompress_min_chunks: string;
  bypass_mode?: boolean;
  undying?: boolean;
  process?: string;
}

const program = addDaqOptions(
  new Command('restrax')
    .description(
      "rechunk and recompress this host's bootstrax output into the processed folder, ready for upload",
    )
    .option(
      '--production',
      'update the runs database and remove the originals (otherwise write to --test_dir only)',
    )
    .option('--ignore_checks', 'do not check the new copies before using them (dangerous)')
    .option('--input_folder <dir>', "bootstrax's output folder to read", DAQ_FOLDERS.preProcessed)
    .option('--test_dir <dir>', 'output folder without --production', DAQ_FOLDERS.testProcessed)
    .option('--max_threads <n>', 'data types done at once', '2')
    .option('--skip_compression <patterns...>', 'data types (fnmatch patterns) only moved', ['*event*'])
    .option('--deep_compare', 'compare every field of old and new data before the old is removed')
    .option('--recompress_min_chunks <n>', 'non-raw data with at most this many chunks is only moved', '2')
    .option('--bypass_mode', 'move everything, recompress nothing')
    .addOption(new Option('--undying', 'keep going after a failed run').conflicts('process'))
    .option('--process <run>', 'do this run only, then exit'),
)
  .version(versionLine('restrax'), '-V, --version', 'print the version')
  .exitOverride()
  .showHelpAfterError(false);

await runCli('restrax', async () => {
  program.parse(process.argv);
  const o = program.opts<RestraxCliOptions>();
  const number = o.process !== undefined ? parseWholeNumber(o.process, '--process') : undefined;
  const maxThreads = parseWholeNumber(o.max_threads, '--max_threads');
  const minChunks = parseWholeNumber(o.recompress_min_chunks, '--recompress_min_chunks');
  if (maxThreads < 1) throw new UserError('--max_threads must be at least 1');
  if (!o.production && number === undefined)
    throw new UserError('without --production restrax only tests on one run: give --process N');
  const settings: Partial<RestraxSettings> = {
    max_threads: maxThreads,
    skip_compression: o.skip_compression,
    recompress_min_chunks: minChunks,
    ...(o.deep_compare ? { deep_compare: true } : {}),
    ...(o.bypass_mode ? { bypass_mode: true } : {}),
    ...(o.ignore_checks ? { ignore_checks: true } : {}),
  };
  const folders = { ...daqFolders(o), testProcessed: resolve(o.test_dir) };
  const db = await openRunDb(daqRunDbUrl(o, 'restrax'));
  const log = (l: string): void => void process.stdout.write(`${l}\n`);
  const crashAt = process.env.STRAXTS_TEST_CRASH_AT;
  try {
    const restrax = new Restrax(db, {
      hostname: daqHostname(o),
      inputFolder: o.input_folder,
      folders,
      production: !!o.production,
      settings,
      softwareVersion: packageInfo().version,
      log,
      // Crash tests: die without any cleanup at a named point (kill -9 of ourselves).
      ...(crashAt
        ? { checkpoint: (p: string) => void (p === crashAt && process.kill(process.pid, 'SIGKILL')) }
        : {}),
    });
    if (number !== undefined) {
      const run = await restrax.step(number);
      if (!run) log(`run ${number} is not waiting for restrax on ${daqHostname(o)}`);
      return;
    }
    for (;;) {
      try {
        const run = await restrax.step();
        if (!run) await sleep(restrax.current.nap_time * 1000);
      } catch (e) {
        if (!o.undying) throw e;
        process.stderr.write(`restrax: ${(e as Error).message}; going on in 60 s (--undying)\n`);
        await sleep(60_000);
      }
    }
  } finally {
    await db.close();
  }
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
