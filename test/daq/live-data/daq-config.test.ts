// The two forms of a live_data run's settings: the run document's daq_config (as the DAQ writes
// it) must translate back into exactly the DAQReader options fake_daq writes beside the run.

import { describe, expect, it } from 'vitest';
import {
  daqReaderConfig,
  daqReaderConfigFromRunDoc,
  readoutThreads,
  runDocDaqConfig,
  type LiveRunSettings,
} from '../../../src/daq/live-data/index.js';

const settings: LiveRunSettings = {
  chunkDuration: 2e9,
  overlapDuration: 2.5e8,
  threads: readoutThreads(5),
  compressor: 'zstd',
  recordLength: 110,
};

describe('daq_config ↔ DAQReader options', () => {
  it('round trip through the run document', () => {
    const start = new Date('2026-12-06T10:00:07.600Z');
    const fromDoc = daqReaderConfigFromRunDoc(runDocDaqConfig(settings), start, '/live_data/xenonnt/004500');
    const direct = daqReaderConfig(
      settings,
      BigInt(start.getTime()) * 1_000_000n,
      '/live_data/xenonnt/004500',
    );
    expect(fromDoc).toEqual(direct);
    // Whole seconds of the run start, as the DAQReader uses it.
    expect(Number(fromDoc['run_start_time'])).toBe(Math.floor(start.getTime() / 1000));
    expect(fromDoc['readout_threads']).toEqual({
      reader0_reader_0: 1,
      reader0_reader_1: 1,
      reader1_reader_0: 1,
      reader1_reader_1: 1,
      reader2_reader_0: 1,
    });
  });

  it("straxen's defaults for what the document leaves out; no processing_threads is an error", () => {
    const c = daqReaderConfigFromRunDoc({ processing_threads: { r_0: 2 } }, new Date(0), 'L/000001');
    expect(c).toMatchObject({
      daq_chunk_duration: 5e9,
      daq_overlap_chunk_duration: 5e8,
      record_length: 110,
      daq_compressor: 'lz4',
      daq_input_dir: 'L/000001',
    });
    expect(() => daqReaderConfigFromRunDoc({ strax_chunk_length: 5 }, new Date(0), 'L/000001')).toThrow(
      /no processing_threads: the DAQReader cannot read L\/000001/,
    );
    expect(() => daqReaderConfigFromRunDoc(null, new Date(0), 'L/000001')).toThrow(/processing_threads/);
  });
});
