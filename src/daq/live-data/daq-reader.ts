// The DAQReader the contexts register: straxen's plugin (src/plugins/raw_records/daq-reader.ts)
// reading live_data from disk.

import { DAQReaderBase, type LiveRunFolder } from '../../plugins/raw_records/daq-reader.js';
import { LiveRunDirectory } from './reader.js';

export class DAQReader extends DAQReaderBase {
  protected override openLiveRun(dir: string): LiveRunFolder {
    return new LiveRunDirectory(dir);
  }

  protected override warn(kind: string, message: string): void {
    process.emitWarning(message, kind);
  }
}
