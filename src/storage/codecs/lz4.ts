// LZ4 frames, as python-lz4's lz4.frame.compress writes them and strax reads them.
// lz4-napi (lz4_flex) was the fastest decoder measured against lz4js and a pure-TS decoder
// (bench/storage.bench.ts); its frames are standard and python-lz4 decodes them.

import lz4napi from 'lz4-napi';
import { CorruptDataError, type Codec } from './codec.js';

const MAGIC = [0x04, 0x22, 0x4d, 0x18];

export const lz4Codec: Codec = {
  name: 'lz4',
  async compress(data) {
    return lz4napi.compressFrameSync(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  },
  async decompress(data) {
    if (data.length < 4 || MAGIC.some((b, i) => data[i] !== b)) throw new CorruptDataError('lz4: not an LZ4 frame (bad magic)');
    try {
      // The asynchronous call decodes on libuv's thread pool: the main thread keeps computing
      // while the next chunk is decoded (data-directory reads one chunk ahead).
      return await lz4napi.decompressFrame(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    } catch (e) {
      throw new CorruptDataError(`lz4: ${(e as Error).message}`);
    }
  },
};
