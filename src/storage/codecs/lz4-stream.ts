// One LZ4 frame written block by block (strax's reader stops after a file's first frame): a
// frame of independent blocks of at most 4 MB, each compressed on its own.

import lz4napi from 'lz4-napi';
import { asBuffer } from './codec.js';

/** Magic, flags (version 1, independent blocks, no sizes or checksums), 4 MB blocks, and the
 * descriptor's checksum byte. */
const HEADER = Uint8Array.of(0x04, 0x22, 0x4d, 0x18, 0x60, 0x70, 0x73);
export const LZ4_MAX_BLOCK = 4 * 1024 * 1024;
const UNCOMPRESSED = 0x80000000;

export class Lz4FrameStream {
  header(): Uint8Array {
    return HEADER.slice();
  }

  /** The blocks that carry this data (not kept). */
  segment(data: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let at = 0; at < data.length; at += LZ4_MAX_BLOCK) {
      const block = data.subarray(at, Math.min(data.length, at + LZ4_MAX_BLOCK));
      // lz4-napi's block format starts with the raw size (4 bytes): the frame wants none.
      const packed = lz4napi.compressSync(asBuffer(block)).subarray(4);
      const size = new Uint8Array(4);
      const dv = new DataView(size.buffer);
      if (packed.length < block.length) {
        dv.setUint32(0, packed.length, true);
        out.push(size, packed);
      } else {
        dv.setUint32(0, (block.length | UNCOMPRESSED) >>> 0, true);
        out.push(size, block.slice());
      }
    }
    return out;
  }

  /** The end mark. */
  end(): Uint8Array {
    return new Uint8Array(4);
  }
}
