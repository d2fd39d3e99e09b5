// Shared by the live_data tests: temporary folders removed after each file's tests, the
// straxer command of issue 10 (DAQReader on LIVE/RUN into OUT), and whole-output checksums.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Records } from '../../../src/core/records.js';
import { loadAllWithMetadata } from '../../../src/storage/load-all.js';
import { runTool, type CliResult } from '../../helpers/cli.js';

const made: string[] = [];

/** A fresh folder under the system temp dir, removed after this test file (pass or fail). */
export function liveTemp(): string {
  if (made.length === 0)
    afterAll(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const d = mkdtempSync(join(tmpdir(), 'straxts-live-'));
  made.push(d);
  return d;
}

export const sha1 = (r: Records): string => createHash('sha1').update(r.toBytes()).digest('hex');

/** straxer RUN --target TYPES --context xenonnt_online --build_lowlevel on live_data LIVE/RUN. */
export function straxerOnLive(
  run: string,
  liveRunDir: string,
  daqConfigFile: string,
  out: string,
  targets: readonly string[] = ['raw_records', 'raw_records_he', 'raw_records_aqmon'],
  extra: readonly string[] = [],
): Promise<CliResult> {
  return runTool('straxer', [
    run,
    '--target',
    ...targets,
    '--context',
    'xenonnt_online',
    '--build_lowlevel',
    '--config_from_json',
    daqConfigFile,
    '--config_kwargs',
    JSON.stringify({ daq_input_dir: liveRunDir }),
    '--add_folder',
    out,
    ...extra,
  ]);
}

/** Rows and chunk ranges of a stored data type. */
export async function storedOutput(
  dir: string,
  run: string,
  type: string,
): Promise<{ records: Records; ranges: [bigint, bigint, number][]; hash: string }> {
  const { records, metadata, key } = await loadAllWithMetadata(dir, run, type);
  return { records, ranges: metadata.chunks.map((c) => [c.start, c.end, c.n]), hash: key.lineageHash };
}
