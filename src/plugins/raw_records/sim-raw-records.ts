// raw_records as the reference runs hold them: written by a detector simulation (straxen's
// DAQReader stand-in). They can only be loaded from storage, never computed.

import { Plugin, SaveWhen, type ComputeResult } from '../../core/plugin.js';
import type { DType } from '../../core/dtype.js';
import { rawRecordDtype } from '../../core/standard-dtypes.js';

export class SimRawRecords extends Plugin {
  override readonly provides = ['raw_records'] as const;
  override readonly dependsOn = [] as const;
  override readonly dataKind = 'raw_records';
  override readonly version = '0.0.1';
  override readonly compressor = 'lz4';
  override readonly saveWhen = SaveWhen.ALWAYS;

  override inferDtype(): DType {
    return rawRecordDtype(110);
  }

  override compute(): ComputeResult {
    throw new Error(
      `raw_records of run ${this.runId || '?'} are not in storage and SimRawRecords cannot make them: ` +
        'add the storage that holds them (or simulate the run first)',
    );
  }
}
