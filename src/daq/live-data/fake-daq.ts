// fake_daq: play a DAQ for the online chain. A stored run's raw_records, raw_records_he and
// raw_records_aqmon (or a freshly simulated run) are written as live_data (live-run.ts), and,
// with a runs database, the run document appears as the DAQ makes it: at the start number,
// start (whole seconds), mode, detectors, daq_config and a `live` data entry (host `daq`,
// location the parent folder); `end` once THE_END is written.

import { basename, dirname, resolve } from 'node:path';
import { Records } from '../../core/records.js';
import { DEFAULT_RECORD_LENGTH, rawRecordDtype } from '../../core/standard-dtypes.js';
import { toNs } from '../../core/context/run-extent.js';
import type { RunDb } from '../../rundb/rundb.js';
import { DataDirectory } from '../../storage/data-directory.js';
import { Simulation } from '../simulator/simulate.js';
import { defaultRunStart } from '../simulator/store-run.js';
import { LiveDataError, type ReadoutThreads } from '../../plugins/raw_records/live-data-layout.js';
import { runDocDaqConfig, type LiveRunSettings } from './daq-config.js';
import { writeLiveRun, type LiveRunSummary, type Pacing } from './live-run.js';
import type { LivePiece } from './pieces.js';
import type { WrittenFolder } from './writer.js';

/** What fake_daq replays: the data types the DAQReader makes from TPC channels. */
export const REPLAYED_TYPES = ['raw_records', 'raw_records_he', 'raw_records_aqmon'] as const;

/** Host of every live_data entry in the runs database. */
export const LIVE_DATA_HOST = 'daq';

export type FakeDaqInput =
  | { kind: 'stored'; path: string; run: string }
  | { kind: 'simulated'; durationNs: number; seed: number; runStart?: bigint };

export interface FakeDaqOptions {
  input: FakeDaqInput;
  /** The run folder to write, LIVE/RUN. */
  output: string;
  /** Run id of the output (its number goes into the runs database). */
  outputRun: string;
  /** Main chunk and overlap lengths [ns]. */
  chunkDuration: number;
  overlapDuration: number;
  compressor: string;
  /** Number of readout-thread files per folder. */
  threads: number;
  pacing?: Pacing;
  stopAfterMb?: number;
  force?: boolean;
  rundb?: RunDb;
  onPiece?: (p: LivePiece, w: WrittenFolder, sleptMs: number) => void;
}

/** Thread files named like redax's (two processing threads per reader process). */
export function readoutThreads(n: number): ReadoutThreads {
  if (!Number.isInteger(n) || n < 1)
    throw new LiveDataError(`--threads must be a positive integer, got ${n}`);
  const out: Record<string, number> = {};
  for (let j = 0; j < n; j++) out[`reader${Math.floor(j / 2)}_reader_${j % 2}`] = 1;
  return out;
}

interface InputStreams {
  streams: AsyncIterable<Records>[];
  runStart: bigint;
  mode: string;
  recordLength: number;
}

async function* rowsOf(chunks: AsyncIterable<{ data: Records }>): AsyncGenerator<Records> {
  for await (const c of chunks) yield c.data;
}

function storedInput(path: string, run: string): InputStreams {
  const dir = new DataDirectory(path, { readonly: true });
  const streams: AsyncIterable<Records>[] = [];
  let firstStart: bigint | null = null;
  let recordLength = DEFAULT_RECORD_LENGTH;
  for (const t of REPLAYED_TYPES) {
    const keys = dir.keysFor(run, t);
    if (keys.length === 0) {
      if (t === 'raw_records')
        throw new LiveDataError(
          `no raw_records of run ${run} in ${path}: check --input_path and --input_run`,
        );
      continue;
    }
    if (keys.length > 1)
      throw new LiveDataError(
        `several ${t} of run ${run} in ${path} (hashes ${keys.map((k) => k.lineageHash).join(', ')}): keep one`,
      );
    const md = dir.metadata(keys[0]!);
    const data = md.dtype.fields.find((f) => f.name === 'data');
    if (!data || !md.dtype.sameLayout(rawRecordDtype(data.shape[0])))
      throw new LiveDataError(`${t} of run ${run} in ${path} does not have the raw_records dtype`);
    if (t === 'raw_records') recordLength = data.shape[0]!;
    else if (data.shape[0] !== recordLength)
      throw new LiveDataError(
        `${t} of run ${run} has ${data.shape[0]} samples per record, raw_records ${recordLength}`,
      );
    const s = md.chunks[0]?.start;
    if (s !== undefined && (firstStart === null || s < firstStart)) firstStart = s;
    streams.push(rowsOf(dir.load(keys[0]!)));
  }
  let runStart: bigint | null = null;
  try {
    runStart = toNs(dir.runMetadata(run)['start']);
  } catch {
    runStart = null; // no run metadata: the first chunk's start, in whole seconds
  }
  runStart ??= firstStart ?? 0n;
  return { streams, runStart, mode: 'fake_daq_replay', recordLength };
}

function simulatedInput(i: Extract<FakeDaqInput, { kind: 'simulated' }>, outputRun: string): InputStreams {
  const runStart = i.runStart ?? defaultRunStart(Number(outputRun));
  const sim = new Simulation({ durationNs: i.durationNs, runStartNs: runStart, seed: i.seed });
  const dtype = rawRecordDtype();
  async function* rows(): AsyncGenerator<Records> {
    for (const c of sim.chunks()) yield new Records(dtype, c.records.time.length, { ...c.records });
  }
  return { streams: [rows()], runStart, mode: 'fake_daq_simulation', recordLength: DEFAULT_RECORD_LENGTH };
}

export async function runFakeDaq(o: FakeDaqOptions): Promise<LiveRunSummary> {
  const number = Number(o.outputRun);
  if (o.rundb && !(/^\d+$/.test(o.outputRun) && Number.isSafeInteger(number)))
    throw new LiveDataError(
      `--output_run '${o.outputRun}' must be a run number to go into the runs database`,
    );
  if (o.rundb && basename(o.output) !== o.outputRun.padStart(6, '0'))
    throw new LiveDataError(
      `--output ${o.output}: the run folder must be named after the run (${o.outputRun.padStart(6, '0')}), where bootstrax looks for it`,
    );
  if (o.rundb && (await o.rundb.getRun(number)))
    throw new LiveDataError(
      `run ${number} is already in the runs database (${o.rundb.display}): choose another --output_run`,
    );
  const input =
    o.input.kind === 'stored' ? storedInput(o.input.path, o.input.run) : simulatedInput(o.input, o.outputRun);
  const settings: LiveRunSettings = {
    chunkDuration: o.chunkDuration,
    overlapDuration: o.overlapDuration,
    threads: readoutThreads(o.threads),
    compressor: o.compressor,
    recordLength: input.recordLength,
  };
  const db = o.rundb;
  const summary = await writeLiveRun(input.streams, {
    runDir: o.output,
    runStart: input.runStart,
    settings,
    pacing: o.pacing,
    stopAfterMb: o.stopAfterMb,
    force: o.force,
    onPiece: o.onPiece,
    onStart: async (startS) => {
      if (!db) return;
      await db.insertRun({
        number,
        name: o.outputRun,
        start: new Date(Number(startS) * 1000),
        mode: input.mode,
        detectors: ['tpc'],
        daqConfig: runDocDaqConfig(settings),
        data: [{ type: 'live', host: LIVE_DATA_HOST, location: dirname(resolve(o.output)) }],
      });
    },
  });
  if (db) {
    const endMs = Math.ceil(Number(summary.runStart + BigInt(Math.ceil(summary.dataEnd))) / 1e6);
    await db.updateRun(number, { end: new Date(endMs) });
  }
  return summary;
}
