// The DAQReader's options for a run, from the run document's daq_config as redax wrote it
// (spec scripts.md §1.6, §1.7 step 3, §9): straxen's defaults where a key is missing, except the
// readout threads, without which the live folders cannot be read.

import type { RunDoc } from '../../rundb/rundb.js';

export const DAQ_CONFIG_DEFAULTS = {
  strax_chunk_length: 5,
  strax_chunk_overlap: 0.5,
  strax_fragment_payload_bytes: 220,
  compressor: 'lz4',
} as const;

export interface ReaderConfig {
  config: Record<string, unknown>;
  /** Keys of daq_config that were missing and defaulted (straxen warns about them). */
  defaulted: string[];
  /** strax_chunk_length + strax_chunk_overlap, seconds. */
  chunkSeconds: number;
}

/** The DAQReader options, or a failure reason. */
export function readerConfig(run: RunDoc, liveFolder: string): ReaderConfig | { fail: string } {
  const dc = run.daqConfig;
  if (!dc) return { fail: 'Run has no daq_config: cannot tell how the live_data is laid out' };
  const threads = dc.processing_threads;
  if (threads === undefined || threads === null || typeof threads !== 'object' || Array.isArray(threads))
    return { fail: 'Run has no readout thread count info (daq_config.processing_threads)' };
  if (!run.start) return { fail: 'Run has no start time' };
  const defaulted: string[] = [];
  const pick = <K extends keyof typeof DAQ_CONFIG_DEFAULTS>(k: K): (typeof DAQ_CONFIG_DEFAULTS)[K] => {
    const v = dc[k];
    if (v === undefined || v === null) {
      defaulted.push(k);
      return DAQ_CONFIG_DEFAULTS[k];
    }
    return v as (typeof DAQ_CONFIG_DEFAULTS)[K];
  };
  const chunk = Number(pick('strax_chunk_length'));
  const overlap = Number(pick('strax_chunk_overlap'));
  const payload = Number(pick('strax_fragment_payload_bytes'));
  const config: Record<string, unknown> = {
    daq_input_dir: liveFolder,
    daq_compressor: pick('compressor'),
    run_start_time: run.start.getTime() / 1000,
    record_length: Math.floor(payload / 2),
    daq_chunk_duration: Math.round(chunk * 1e9),
    daq_overlap_chunk_duration: Math.round(overlap * 1e9),
    readout_threads: threads,
  };
  return { config, defaulted, chunkSeconds: chunk + overlap };
}
