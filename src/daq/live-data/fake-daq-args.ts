// fake_daq's command line (straxen's option names where they make sense) → FakeDaqOptions.
// Every mistake is a FakeDaqUsageError with one line that says what to change.

import { Command, CommanderError } from 'commander';
import { basename, join } from 'node:path';
import { COMPRESSORS } from '../../storage/codecs/index.js';
import { DurationSyntaxError, parseDuration } from '../simulator/duration.js';
import type { FakeDaqInput, FakeDaqOptions } from './fake-daq.js';
import type { Pacing } from './live-run.js';

export class FakeDaqUsageError extends Error {}

export interface FakeDaqArgs extends Omit<FakeDaqOptions, 'rundb' | 'onPiece'> {
  /** Runs database URL (sqlite:PATH or postgres://...). */
  rundbUrl?: string;
}

function positive(name: string, text: string, integer = false): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v)))
    throw new FakeDaqUsageError(
      `${name} must be a positive ${integer ? 'integer' : 'number'}, got '${text}'`,
    );
  return v;
}

interface RawArgs {
  input_path?: string;
  input_run?: string;
  simulate?: string;
  seed: string;
  start?: string;
  output?: string;
  output_run?: string;
  chunk_duration: string;
  sync_chunk_duration: string;
  compressor: string;
  threads: string;
  rate?: string;
  realtime?: boolean;
  stop_after?: string;
  force?: boolean;
  rundb?: string;
}

export function fakeDaqCommand(): Command {
  return new Command('fake_daq')
    .description('write a stored or simulated run as the DAQ writes live_data, for testing the online chain')
    .option('--input_path <dir>', 'strax data folder holding the run to replay')
    .option('--input_run <run>', 'run to replay (its raw_records, raw_records_he, raw_records_aqmon)')
    .option('--simulate <duration>', 'instead of replaying, simulate a run this long (e.g. 30s, 1m)')
    .option('--seed <n>', 'random seed of --simulate', '1')
    .option('--start <iso>', 'run start of --simulate (default: fixed per run number, as straxts simulate)')
    .option('--output <dir>', 'run folder to write, LIVE/RUN (default ./from_fake_daq/<output_run>)')
    .option(
      '--output_run <run>',
      'run id of the written run (default: --input_run, else the --output folder name)',
    )
    .option('--chunk_duration <s>', 'main chunk length in seconds', '2.0')
    .option('--sync_chunk_duration <s>', 'overlap chunk length in seconds', '0.2')
    .option('--compressor <name>', `compressor of the live_data files (${COMPRESSORS.join(', ')})`, 'lz4')
    .option('--threads <n>', 'readout-thread files per folder (channels spread over them)', '8')
    .option('--rate <MB/s>', 'write at this raw data rate')
    .option('--realtime', 'write each chunk when the DAQ would have (acquisition pace)')
    .option('--stop_after <MB>', 'stop after this many MB of raw records (the run still ends properly)')
    .option('--force', 'replace an existing run folder that fake_daq did not write')
    .option('--rundb <url>', 'create the run document as the DAQ does (sqlite:PATH or postgres://...)')
    .exitOverride()
    .configureOutput({ writeErr: () => {} })
    .allowExcessArguments(false);
}

/** Parse fake_daq's arguments (argv without node and script). */
export function parseFakeDaqArgs(argv: readonly string[]): FakeDaqArgs {
  const cmd = fakeDaqCommand();
  try {
    cmd.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) throw e; // --help
      throw new FakeDaqUsageError(e.message.replace(/^error: /, ''));
    }
    throw e;
  }
  const r = cmd.opts<RawArgs>();
  let input: FakeDaqInput;
  if (r.simulate !== undefined) {
    if (r.input_path !== undefined || r.input_run !== undefined)
      throw new FakeDaqUsageError('give either --simulate DURATION or --input_path/--input_run, not both');
    let durationNs: number;
    try {
      durationNs = parseDuration(r.simulate);
    } catch (e) {
      if (e instanceof DurationSyntaxError) throw new FakeDaqUsageError(`--simulate: ${e.message}`);
      throw e;
    }
    const seed = Number(r.seed);
    if (!Number.isInteger(seed) || seed < 0)
      throw new FakeDaqUsageError(`--seed must be a non-negative integer, got '${r.seed}'`);
    let runStart: bigint | undefined;
    if (r.start !== undefined) {
      const ms = Date.parse(r.start);
      if (Number.isNaN(ms))
        throw new FakeDaqUsageError(`--start '${r.start}': use ISO 8601, e.g. 2026-01-01T00:00:00Z`);
      runStart = BigInt(ms) * 1_000_000n;
    }
    input = { kind: 'simulated', durationNs, seed, ...(runStart !== undefined ? { runStart } : {}) };
  } else {
    if (r.input_path === undefined || r.input_run === undefined)
      throw new FakeDaqUsageError(
        'give --input_path DIR --input_run RUN (a stored run), or --simulate DURATION',
      );
    input = { kind: 'stored', path: r.input_path, run: r.input_run };
  }
  const outputRun = r.output_run ?? r.input_run ?? (r.output !== undefined ? basename(r.output) : undefined);
  if (outputRun === undefined) throw new FakeDaqUsageError('give --output LIVE/RUN (or --output_run RUN)');
  if (!/^[A-Za-z0-9_]+$/.test(outputRun))
    throw new FakeDaqUsageError(`--output_run '${outputRun}' may only hold letters, digits and '_'`);
  if (!COMPRESSORS.includes(r.compressor))
    throw new FakeDaqUsageError(`--compressor ${r.compressor}: use one of ${COMPRESSORS.join(', ')}`);
  if (r.rate !== undefined && r.realtime)
    throw new FakeDaqUsageError('give either --rate MB/s or --realtime, not both');
  const pacing: Pacing = r.realtime
    ? { kind: 'realtime' }
    : r.rate !== undefined
      ? { kind: 'rate', mbPerS: positive('--rate', r.rate) }
      : { kind: 'none' };
  const chunkDuration = Math.round(positive('--chunk_duration', r.chunk_duration) * 1e9);
  const overlapDuration = Math.round(positive('--sync_chunk_duration', r.sync_chunk_duration) * 1e9);
  // The DAQReader needs room for a 1 µs safe break in every chunk.
  if (Math.min(chunkDuration, overlapDuration) < 1000)
    throw new FakeDaqUsageError('--chunk_duration and --sync_chunk_duration must be at least 1 µs (1e-6 s)');
  return {
    input,
    output: r.output ?? join('from_fake_daq', outputRun),
    outputRun,
    chunkDuration,
    overlapDuration,
    compressor: r.compressor,
    threads: positive('--threads', r.threads, true),
    pacing,
    ...(r.stop_after !== undefined ? { stopAfterMb: positive('--stop_after', r.stop_after) } : {}),
    force: r.force ?? false,
    ...(r.rundb !== undefined ? { rundbUrl: r.rundb } : {}),
  };
}
