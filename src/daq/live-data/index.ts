// The DAQ's live_data: layout, reader (the DAQReader the contexts register), writer, fake_daq.
//
//  - writeLiveRun(streams, { runDir, runStart, settings }): a run's records as live_data, with
//    LIVE/RUN-daq_config.json beside it (the DAQReader options that read it back).
//  - DAQReader: straxen's plugin reading LIVE/RUN (option daq_input_dir); a run that is still
//    being written is read as it grows; a run that never ends fails with InputTimeoutExceeded
//    (src/core/engine/errors.ts) after input_timeout; bad data fails with LiveDataError.
//  - daqReaderConfigFromRunDoc(daq_config, start, runDir): the DAQReader options of a run
//    document written by the DAQ (or by fake_daq --rundb).

export { DAQReader } from './daq-reader.js';
export { LiveRunDirectory } from './reader.js';
export { LiveRunWriter, WRITER_MARKER, type LiveWriterOptions, type WrittenFolder } from './writer.js';
export { livePieces, type LivePiece, type PieceOptions } from './pieces.js';
export {
  daqConfigPathOf,
  writeLiveRun,
  type LiveRunSummary,
  type Pacing,
  type WriteLiveRunOptions,
} from './live-run.js';
export {
  daqReaderConfig,
  daqReaderConfigFromRunDoc,
  runDocDaqConfig,
  writeDaqReaderConfig,
  type LiveRunSettings,
} from './daq-config.js';
export {
  LIVE_DATA_HOST,
  REPLAYED_TYPES,
  readoutThreads,
  runFakeDaq,
  type FakeDaqOptions,
} from './fake-daq.js';
export { FakeDaqUsageError, parseFakeDaqArgs, type FakeDaqArgs } from './fake-daq-args.js';
export {
  END_FOLDER,
  LiveDataError,
  mainFolder,
  postFolder,
  preFolder,
  type ReadoutThreads,
} from '../../plugins/raw_records/live-data-layout.js';
export { ARTIFICIAL_DEADTIME_CHANNEL } from '../../plugins/raw_records/daq-overlap.js';
export { InputTimeoutExceeded } from '../../core/engine/errors.js';
