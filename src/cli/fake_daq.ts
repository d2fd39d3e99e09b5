#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304 MALLOC_TRIM_THRESHOLD_=33554432 node --max-semi-space-size=4
// fake_daq: write a stored or simulated run as live_data (src/daq/live-data/fake-daq.ts).

import { FakeDaqUsageError, LiveDataError, parseFakeDaqArgs, runFakeDaq } from '../daq/live-data/index.js';
import { openRunDb } from '../rundb/rundb.js';
import { runCli, UserError } from './user-error.js';
import { printedVersion } from './version.js';

await runCli('fake_daq', async () => {
  if (printedVersion('fake_daq')) return;
  let paced = false;
  const pace = (kind: string, slept: number): string =>
    slept > 0
      ? `, slept ${(slept / 1000).toFixed(2)} s`
      : paced && kind === 'main'
        ? ' (fake DAQ too slow for the pace)'
        : '';
  let args;
  try {
    args = parseFakeDaqArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof FakeDaqUsageError) throw new UserError(e.message);
    throw e;
  }
  const { rundbUrl, ...opts } = args;
  paced = opts.pacing?.kind !== 'none';
  const db = rundbUrl !== undefined ? await openRunDb(rundbUrl) : undefined;
  try {
    const s = await runFakeDaq({
      ...opts,
      rundb: db,
      onPiece: (p, w, slept) =>
        process.stdout.write(
          `${w.name}: wrote ${(w.rawBytes / 1e6).toFixed(2)} MB raw (${w.rows} records)` +
            `${p.kind === 'overlap' ? ' (and the next _pre)' : ''}${pace(p.kind, slept)}\n`,
        ),
    });
    process.stdout.write(
      `Fake DAQ done: run ${opts.outputRun}, ${s.chunks} chunks, ${(s.rawBytes / 1e6).toFixed(1)} MB raw ` +
        `(${(s.compressedBytes / 1e6).toFixed(1)} MB ${opts.compressor}) in ${s.runDir}, ${s.seconds.toFixed(1)} s\n` +
        `  DAQReader options: ${s.daqConfigFile}${db ? `\n  run document in ${db.display}` : ''}\n`,
    );
  } catch (e) {
    if (e instanceof LiveDataError) throw new UserError(e.message);
    throw e;
  } finally {
    await db?.close();
  }
});
