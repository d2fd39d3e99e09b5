// Writing a whole run as live_data: time-sorted record streams are cut into pieces (pieces.ts)
// and written folder by folder (writer.ts), paced like a DAQ if asked, then THE_END. Beside the
// run folder goes RUN-daq_config.json, the DAQReader options that read it back.
//
//   const summary = await writeLiveRun([rawRecordsStream, heStream], {
//     runDir: 'live/012345', runStart: 1765002000_000000000n,
//     settings: { chunkDuration: 5e9, overlapDuration: 5e8, threads: { reader0_reader_0: 1 },
//                 compressor: 'lz4', recordLength: 110 },
//   });
//   // straxer 012345 --target raw_records --context xenonnt_online --build_lowlevel \
//   //   --config_from_json live/012345-daq_config.json --config_kwargs '{"daq_input_dir": "live/012345"}'

import { dirname, basename, join } from 'node:path';
import type { Records } from '../../core/records.js';
import { rawRecordDtype } from '../../core/standard-dtypes.js';
import { endTimes } from '../../plugins/raw_records/daq-overlap.js';
import { daqReaderConfig, writeDaqReaderConfig, type LiveRunSettings } from './daq-config.js';
import { livePieces, type LivePiece } from './pieces.js';
import { LiveRunWriter, type WrittenFolder } from './writer.js';

/** How fast pieces are written: as fast as possible, at a data rate, or in acquisition time. */
export type Pacing = { kind: 'none' } | { kind: 'rate'; mbPerS: number } | { kind: 'realtime' };

export interface WriteLiveRunOptions {
  /** The run folder, LIVE/RUN. */
  runDir: string;
  /** Run start [ns since the epoch]; truncated to whole seconds, as the DAQReader uses it. */
  runStart: bigint;
  settings: LiveRunSettings;
  pacing?: Pacing;
  /** Stop taking input after this many MB of raw records (the run is still closed properly). */
  stopAfterMb?: number;
  /** Replace an existing run folder fake_daq did not write. */
  force?: boolean;
  /** Called after each piece is on disk. */
  onPiece?: (p: LivePiece, written: WrittenFolder, sleptMs: number) => void;
  /** Called once the run folder exists and the daq_config file is written (e.g. register it). */
  onStart?: (runStartSeconds: bigint) => void | Promise<void>;
}

export interface LiveRunSummary {
  runDir: string;
  daqConfigFile: string;
  runStart: bigint;
  /** Main chunks written. */
  chunks: number;
  rows: number;
  rawBytes: number;
  compressedBytes: number;
  /** Latest record end [ns since the run start]. */
  dataEnd: number;
  seconds: number;
}

/** RUN-daq_config.json beside the run folder LIVE/RUN. */
export function daqConfigPathOf(runDir: string): string {
  return join(dirname(runDir), `${basename(runDir)}-daq_config.json`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function writeLiveRun(
  sources: readonly AsyncIterable<Records>[],
  o: WriteLiveRunOptions,
): Promise<LiveRunSummary> {
  const runStart = (o.runStart / 1_000_000_000n) * 1_000_000_000n;
  const writer = LiveRunWriter.create(o.runDir, {
    threads: o.settings.threads,
    compressor: o.settings.compressor,
    force: o.force,
  });
  const daqConfigFile = daqConfigPathOf(o.runDir);
  writeDaqReaderConfig(daqConfigFile, daqReaderConfig(o.settings, runStart));
  await o.onStart?.(runStart / 1_000_000_000n);
  const pacing = o.pacing ?? { kind: 'none' };
  const stopBytes = (o.stopAfterMb ?? Infinity) * 1e6;
  let rows = 0,
    rawBytes = 0,
    compressedBytes = 0,
    chunks = 0;
  const t0 = performance.now();
  let acquired = 0; // ns of acquisition time written so far
  let dataEnd = 0;
  const pieces = livePieces(sources, {
    runStart,
    dtype: rawRecordDtype(o.settings.recordLength),
    chunkDuration: o.settings.chunkDuration,
    overlapDuration: o.settings.overlapDuration,
    stop: () => rawBytes > stopBytes,
  });
  for await (const p of pieces) {
    const w = await writer.writePiece(p);
    rows += w.rows;
    rawBytes += w.rawBytes;
    compressedBytes += w.compressedBytes;
    if (p.kind === 'main') chunks++;
    const ends = endTimes(p.rows);
    for (let i = 0; i < ends.length; i++) if (ends[i]! > dataEnd) dataEnd = ends[i]!;
    acquired = p.window[1];
    const elapsedMs = performance.now() - t0;
    let dueMs = elapsedMs;
    if (pacing.kind === 'rate') dueMs = rawBytes / 1e6 / pacing.mbPerS / 1e-3;
    else if (pacing.kind === 'realtime') dueMs = acquired / 1e6;
    const sleptMs = Math.max(0, dueMs - elapsedMs);
    if (sleptMs > 0) await sleep(sleptMs);
    o.onPiece?.(p, w, sleptMs);
  }
  writer.finish();
  return {
    runDir: o.runDir,
    daqConfigFile,
    runStart,
    chunks,
    rows,
    rawBytes,
    compressedBytes,
    dataEnd,
    seconds: (performance.now() - t0) / 1000,
  };
}
