// LZ4 frames, as python-lz4's lz4.frame.compress writes them and strax reads them.
// lz4-napi (lz4_flex) was the fastest decoder measured against lz4js and a pure-TS decoder
// (bench/storage.bench.ts); its frames are standard and python-lz4 decodes them.

import lz4napi from 'lz4-napi';
import { asBuffer, decodeChecked, type Codec } from './codec.js';

const MAGIC = [0x04, 0x22, 0x4d, 0x18];

export const lz4Codec: Codec = {
  name: 'lz4',
  async compress(data) {
    return lz4napi.compressFrameSync(asBuffer(data));
  },
  decompress(data) {
    // Decoded in this thread, not with the asynchronous decompressFrame: that one fills its
    // output on a libuv thread with lz4-napi's own allocator (mimalloc) and frees it here, and
    // memory freed that way was never given back: RSS grew by ~4 MB per 6 MB raw_records chunk,
    // the whole run long (the file itself is still read asynchronously, one chunk ahead).
    return decodeChecked('lz4', 'an LZ4 frame', MAGIC, data, (d) => lz4napi.decompressFrameSync(asBuffer(d)));
  },
};
