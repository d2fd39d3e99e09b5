#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304 MALLOC_TRIM_THRESHOLD_=33554432 node --max-semi-space-size=4
// refresh_raw_records: convert raw_records written by strax < 0.9 into today's format, in place.

import { Command } from 'commander';
import { RefreshError, refreshRawRecords } from '../daq/legacy/refresh-raw-records.js';
import { UserError, runCli } from './user-error.js';
import { versionLine } from './version.js';

const program = new Command('refresh_raw_records')
  .description('convert raw_records written by strax < 0.9 into the current format, in place')
  .argument('<run_id>', 'run id of the raw_records to convert')
  .option('--parent_folder <dir>', 'the data folder holding <run_id>-raw_records-<hash>', '.')
  .option('--no_run_metadata', 'convert although the run metadata is lost (fewer checks)')
  .option('--procrustean', 'drop records that overlap the previous chunk instead of failing')
  .option('--xnt', "accepted for straxen's command line; the folder is found by its name either way")
  .version(versionLine('refresh_raw_records'), '-V, --version', 'print the version')
  .exitOverride()
  .showHelpAfterError(false);

await runCli('refresh_raw_records', async () => {
  program.parse(process.argv);
  const [runId] = program.args as [string];
  const o = program.opts<{ parent_folder: string; no_run_metadata?: boolean; procrustean?: boolean }>();
  try {
    const r = await refreshRawRecords({
      parentFolder: o.parent_folder,
      runId,
      noRunMetadata: !!o.no_run_metadata,
      procrustean: !!o.procrustean,
      log: (l) => void process.stdout.write(`${l}\n`),
    });
    process.stdout.write(
      `converted ${r.folder}: ${r.chunks} chunks, ${r.rows} records${r.dropped ? ` (${r.dropped} dropped)` : ''}\n`,
    );
  } catch (e) {
    if (e instanceof RefreshError) throw new UserError(e.message);
    throw e;
  }
});
