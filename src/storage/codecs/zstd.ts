// zstd frames: strax writes one frame at level 3 (python-zstd) and reads frames by streaming.

import * as zstd from '@mongodb-js/zstd';
import { asBuffer, decodeChecked, type Codec } from './codec.js';

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
export const ZSTD_LEVEL = 3;

/**
 * The streaming encoder leaves the content size out of the frame header; python-zstd's
 * decompress insists on it, so write it in (the blocks are unchanged).
 */
export function withContentSize(frame: Uint8Array, size: number): Uint8Array {
  const fhd = frame[4]!;
  if ((fhd & 0xc0) !== 0 || (fhd & 0x20) !== 0) return frame; // already has it (or single segment)
  const dictBytes = [0, 1, 2, 4][fhd & 3]!;
  const at = 5 + 1 + dictBytes; // after the window descriptor and dictionary id
  const wide = size >= 2 ** 32;
  const fcs = new Uint8Array(wide ? 8 : 4);
  const dv = new DataView(fcs.buffer);
  if (wide) dv.setBigUint64(0, BigInt(size), true);
  else dv.setUint32(0, size, true);
  const out = new Uint8Array(frame.length + fcs.length);
  out.set(frame.subarray(0, at));
  out[4] = fhd | ((wide ? 3 : 2) << 6);
  out.set(fcs, at);
  out.set(frame.subarray(at), at + fcs.length);
  return out;
}

export const zstdCodec: Codec = {
  name: 'zstd',
  async compress(data) {
    const frame = await zstd.compress(asBuffer(data), ZSTD_LEVEL);
    return withContentSize(frame, data.length);
  },
  decompress(data) {
    return decodeChecked('zstd', 'a zstd frame', MAGIC, data, (d) => zstd.decompress(asBuffer(d)));
  },
};
