// The settings of a live_data run, in the two forms they travel in: the DAQReader's options
// (RUN-daq_config.json beside the run folder, for straxer --config_from_json) and the run
// document's daq_config as the DAQ writes it (what bootstrax turns into DAQReader options).

import { renameSync, writeFileSync } from 'node:fs';
import { pyFloat } from '../../core/python/float.js';
import { pyJsonDumps } from '../../core/python/json.js';
import type { JsonObject } from '../../rundb/rundb.js';
import type { ReadoutThreads } from '../../plugins/raw_records/live-data-layout.js';

export interface LiveRunSettings {
  /** Main chunk length [ns] (daq_chunk_duration). */
  chunkDuration: number;
  /** Overlap length [ns] (daq_overlap_chunk_duration). */
  overlapDuration: number;
  /** processing_threads: readout-thread name → files per folder. */
  threads: ReadoutThreads;
  compressor: string;
  /** Samples per record. */
  recordLength: number;
}

export const DEFAULT_DT_MAX = 10;

/** DAQReader options that read this run's live_data (run start in whole seconds). */
export function daqReaderConfig(
  s: LiveRunSettings,
  runStart: bigint,
  runDir?: string,
): Record<string, unknown> {
  return {
    readout_threads: { ...s.threads },
    daq_chunk_duration: s.chunkDuration,
    daq_overlap_chunk_duration: s.overlapDuration,
    run_start_time: pyFloat(Number(runStart / 1_000_000_000n)),
    record_length: s.recordLength,
    max_digitizer_sampling_time: DEFAULT_DT_MAX,
    daq_compressor: s.compressor,
    ...(runDir !== undefined ? { daq_input_dir: runDir } : {}),
  };
}

/** Write RUN-daq_config.json (atomically). */
export function writeDaqReaderConfig(path: string, config: Record<string, unknown>): void {
  writeFileSync(`${path}_temp`, pyJsonDumps(config, { indent: 1 }));
  renameSync(`${path}_temp`, path);
}

/** The run document's daq_config as redax writes it (lengths in s, payload in bytes). */
export function runDocDaqConfig(s: LiveRunSettings): JsonObject {
  return {
    processing_threads: { ...s.threads },
    strax_chunk_length: s.chunkDuration / 1e9,
    strax_chunk_overlap: s.overlapDuration / 1e9,
    strax_fragment_payload_bytes: s.recordLength * 2,
    compressor: s.compressor,
  };
}

/** DAQReader options from a run document's daq_config (bootstrax's translation; straxen's
 * defaults for what is missing). Throws when processing_threads is missing. */
export function daqReaderConfigFromRunDoc(
  daqConfig: JsonObject | null,
  runStart: Date,
  runDir: string,
): Record<string, unknown> {
  const d = daqConfig ?? {};
  const threads = d['processing_threads'];
  if (!threads || typeof threads !== 'object' || Array.isArray(threads))
    throw new Error(
      `the run document's daq_config has no processing_threads: the DAQReader cannot read ${runDir}`,
    );
  const num = (k: string, dflt: number): number => (typeof d[k] === 'number' ? (d[k] as number) : dflt);
  return daqReaderConfig(
    {
      threads: threads as ReadoutThreads,
      chunkDuration: Math.round(num('strax_chunk_length', 5) * 1e9),
      overlapDuration: Math.round(num('strax_chunk_overlap', 0.5) * 1e9),
      recordLength: Math.floor(num('strax_fragment_payload_bytes', 220) / 2),
      compressor: typeof d['compressor'] === 'string' ? (d['compressor'] as string) : 'lz4',
    },
    BigInt(Math.floor(runStart.getTime() / 1000)) * 1_000_000_000n,
    runDir,
  );
}
