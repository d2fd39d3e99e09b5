// Shared by the live_data tests: the straxer command of issue 10 (DAQReader on LIVE/RUN into
// OUT) and whole-output checksums (temporary folders: tempDir in test/helpers/tmp.ts).

import { createHash } from 'node:crypto';
import type { PluginClass } from '../../../src/core/plugin.js';
import { Records } from '../../../src/core/records.js';
import { rawRecordDtype } from '../../../src/core/standard-dtypes.js';
import { Rng } from '../../../src/daq/simulator/rng.js';
import { sortByTimeAndChannel } from '../../../src/plugins/raw_records/daq-overlap.js';
import { contextPlugins, makeContext } from '../../../src/named-contexts/contexts.js';
import { DAQReader } from '../../../src/daq/live-data/index.js';
import { loadAllWithMetadata } from '../../../src/storage/load-all.js';
import { runTool, type ToolRun } from '../../helpers/cli.js';

export const sha1 = (r: Records): string => createHash('sha1').update(r.toBytes()).digest('hex');

/** straxer RUN --target TYPES --context xenonnt_online --build_lowlevel on live_data LIVE/RUN. */
export function straxerOnLive(
  run: string,
  liveRunDir: string,
  daqConfigFile: string,
  out: string,
  targets: readonly string[] = ['raw_records', 'raw_records_he', 'raw_records_aqmon'],
  extra: readonly string[] = [],
): Promise<ToolRun> {
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

/** Read LIVE/RUN with the DAQReader in this process (xenonnt_online), saving into `out`.
 * `reader` replaces the registered DAQReader (e.g. one with a short input_timeout). */
export async function readLiveInProcess(
  run: string,
  liveRunDir: string,
  daqConfigFile: string,
  out: string,
  opts: { reader?: PluginClass; targets?: readonly string[]; config?: Record<string, unknown> } = {},
): Promise<void> {
  const plugins = contextPlugins('xenonnt_online').map((P) =>
    P === DAQReader && opts.reader ? opts.reader : P,
  );
  const sc = makeContext(
    'xenonnt_online',
    { outputFolder: out, configFile: daqConfigFile, config: { daq_input_dir: liveRunDir, ...opts.config } },
    plugins,
  );
  const targets = opts.targets ?? ['raw_records', 'raw_records_he', 'raw_records_aqmon'];
  await sc.context.make(run, targets, { save: targets });
}

/** A DAQReader that gives up after one second without new input (instead of 300 s). */
export class ImpatientDAQReader extends DAQReader {
  override readonly inputTimeout = 1;
}

/** Random pulses (one record each) on the given channels over [0, durationNs) after runStart,
 * sorted by (time, channel): sparse enough that every overlap has quiet gaps. */
export function syntheticRecords(
  runStart: bigint,
  durationNs: number,
  o: { seed?: number; n?: number; channels?: readonly number[] } = {},
): Records {
  const rng = new Rng(o.seed ?? 1);
  const n = o.n ?? 2000;
  const channels = o.channels ?? [0, 17, 250, 493, 500, 752, 798];
  const rel = Array.from({ length: n }, () => Math.floor((rng.uniform() * (durationNs - 2000)) / 10) * 10);
  rel.sort((a, b) => a - b);
  const dtype = rawRecordDtype();
  const r = Records.empty(dtype, n);
  const data = r.i16('data');
  for (let i = 0; i < n; i++) {
    r.i64('time')[i] = runStart + BigInt(rel[i]!);
    const len = 1 + Math.floor(rng.uniform() * 110);
    r.i32('length')[i] = len;
    r.i32('pulse_length')[i] = len;
    r.i16('dt')[i] = 10;
    r.i16('channel')[i] = channels[Math.floor(rng.uniform() * channels.length)]!;
    r.i16('baseline')[i] = 16000;
    for (let k = 0; k < len; k++) data[i * 110 + k] = Math.floor(rng.uniform() * 200);
  }
  return sortByTimeAndChannel(r);
}

/** One batch as a stream. */
export async function* streamOf(...batches: Records[]): AsyncGenerator<Records> {
  for (const b of batches) yield b;
}
