// bzip2 streams as Python's bz2.compress writes them (level 9, 900 kB blocks); pure JS (compressjs).

import compressjs from 'compressjs';
import { CorruptDataError, type Codec } from './codec.js';

const toBytes = (x: Uint8Array | number[]): Uint8Array => (x instanceof Uint8Array ? x : Uint8Array.from(x));

export const bz2Codec: Codec = {
  name: 'bz2',
  async compress(data) {
    return toBytes(compressjs.Bzip2.compressFile(data, null, 9));
  },
  async decompress(data) {
    if (data.length < 4 || data[0] !== 0x42 || data[1] !== 0x5a || data[2] !== 0x68) {
      throw new CorruptDataError('bz2: not a bzip2 stream (bad magic)');
    }
    try {
      return toBytes(compressjs.Bzip2.decompressFile(data));
    } catch (e) {
      throw new CorruptDataError(`bz2: ${e instanceof Error ? e.message : String(e)}`);
    }
  },
};
