// A run's live_data folder on disk, as the DAQReader reads it: folder listings (absent folders,
// and ones still being written as NAME_temp, are not there yet) and thread files decompressed
// into raw_records rows. Any unreadable file is reported with its path.

import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DType } from '../../core/dtype.js';
import { Records } from '../../core/records.js';
import { LiveDataError } from '../../plugins/raw_records/live-data-layout.js';
import type { LiveRunFolder } from '../../plugins/raw_records/daq-reader.js';
import { getCodec } from '../../storage/codecs/index.js';

export class LiveRunDirectory implements LiveRunFolder {
  constructor(readonly location: string) {}

  files(folder: string): string[] | null {
    try {
      return readdirSync(join(this.location, folder)).sort();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      if (code === 'ENOTDIR')
        throw new LiveDataError(`Bad data from DAQ: ${join(this.location, folder)} is a file, not a folder`);
      throw e;
    }
  }

  async readRecords(folder: string, file: string, dtype: DType, compressor: string): Promise<Records> {
    const path = join(this.location, folder, file);
    const codec = getCodec(compressor, 'daq_compressor');
    let raw: Uint8Array;
    try {
      const packed = await readFile(path);
      raw = packed.length === 0 ? packed : await codec.decompress(packed);
    } catch (e) {
      throw new LiveDataError(
        `Bad data from DAQ: cannot read ${path} as ${compressor}-compressed records (${(e as Error).message}); check daq_compressor`,
      );
    }
    if (raw.length % dtype.itemsize !== 0)
      throw new LiveDataError(
        `Bad data from DAQ: ${path} holds ${raw.length} bytes, not a whole number of ${dtype.itemsize}-byte records; check record_length`,
      );
    return Records.fromBytes(dtype, raw);
  }
}
