// One zstd frame written segment by segment, with only a one-shot compressor at hand.
//
// strax reads a chunk file with one streaming decompressor that stops after the first frame, so
// a file must be a single frame (concatenated frames would silently lose rows). Each segment is
// compressed alone (as a frame of its own) and its blocks are copied into the file's frame.
// Those blocks assume a fresh frame: no match reaches before the segment (true: the compressor
// never saw earlier data) and the repeat offsets start at {1, 4, 8}. The latter is restored
// before each segment by three one-sequence blocks whose matches (offsets 8, 4, 1, three bytes
// each) copy bytes that the segment's own data repeats there; the bytes around them go as raw
// blocks. Raw blocks change no decoder state, and a fresh compressor never refers to the
// previous block's entropy tables, so what follows decodes as it would in its own frame.

import * as zstd from '@mongodb-js/zstd';
import { asBuffer } from './codec.js';
import { ZSTD_LEVEL } from './zstd.js';

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** Frame header: content size (8 bytes, patched at the end) and a window descriptor. */
const FHD_FCS8 = 0xc0;
export const ZSTD_HEADER_BYTES = 14;
const FCS_AT = 6;
const MAX_BLOCK = 128 * 1024;
const BLOCK_RAW = 0,
  BLOCK_RLE = 1,
  BLOCK_COMPRESSED = 2;
/** How far into a segment the three repeats are looked for before it goes raw. */
const RESET_SEARCH_BYTES = 1 << 20;

function blockHeader(last: boolean, type: number, size: number): Uint8Array {
  const h = (size << 3) | (type << 1) | (last ? 1 : 0);
  return Uint8Array.of(h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff);
}

/**
 * A block of one sequence: no literals, a match of 3 bytes at `offset` (8, 4 or 1), all three
 * symbol tables in RLE mode so the bit stream holds only the offset's extra bits.
 */
function repeatBlock(offset: 8 | 4 | 1): Uint8Array {
  // Offset_Value = offset + 3 = (1 << code) + extra.
  const value = offset + 3;
  const code = 31 - Math.clz32(value);
  const extra = value - (1 << code);
  // Bits written low to high: the offset's extra bits, then the end marker.
  const bits = extra | (1 << code);
  const body = Uint8Array.of(0x00, 0x01, 0x54, 0x00, code, 0x00, bits);
  const out = new Uint8Array(3 + body.length);
  out.set(blockHeader(false, BLOCK_COMPRESSED, body.length));
  out.set(body, 3);
  return out;
}
const REPEAT_BLOCKS = { 8: repeatBlock(8), 4: repeatBlock(4), 1: repeatBlock(1) } as const;

function rawBlocks(data: Uint8Array, out: Uint8Array[]): void {
  for (let at = 0; at < data.length; at += MAX_BLOCK) {
    const part = data.subarray(at, Math.min(data.length, at + MAX_BLOCK));
    out.push(blockHeader(false, BLOCK_RAW, part.length), part);
  }
}

/** First p >= from where data[p..p+3) equals data[p-d..p-d+3), or -1. */
function findRepeat(data: Uint8Array, d: number, from: number, limit: number): number {
  const end = Math.min(limit, data.length - 2);
  for (let p = Math.max(from, d); p < end; p++)
    if (data[p] === data[p - d] && data[p + 1] === data[p + 1 - d] && data[p + 2] === data[p + 2 - d])
      return p;
  return -1;
}

/** The blocks of a frame, the last one's last-block flag cleared. */
export function frameBlocks(frame: Uint8Array): Uint8Array {
  if (frame.length < 6 || MAGIC.some((b, i) => frame[i] !== b)) throw new Error('zstd: not a frame');
  const fhd = frame[4]!;
  const single = (fhd & 0x20) !== 0;
  const checksum = (fhd & 0x04) !== 0;
  const fcsBytes = [single ? 1 : 0, 2, 4, 8][fhd >>> 6]!;
  const dictBytes = [0, 1, 2, 4][fhd & 3]!;
  let at = 5 + (single ? 0 : 1) + dictBytes + fcsBytes;
  const start = at;
  for (;;) {
    if (at + 3 > frame.length) throw new Error('zstd: truncated frame');
    const h = frame[at]! | (frame[at + 1]! << 8) | (frame[at + 2]! << 16);
    const type = (h >>> 1) & 3;
    const size = h >>> 3;
    const next = at + 3 + (type === BLOCK_RLE ? 1 : size);
    if (h & 1) {
      if (next + (checksum ? 4 : 0) !== frame.length) throw new Error('zstd: bytes after the last block');
      const blocks = frame.slice(start, next);
      blocks[at - start] = frame[at]! & 0xfe;
      return blocks;
    }
    at = next;
  }
}

/** Writes one frame: header() first, then segment() for each piece of data in order, then end(). */
export class ZstdFrameStream {
  private total = 0;

  /** windowBytes: at least the largest segment (a power of two, at most 64 MB). */
  constructor(private readonly windowBytes: number) {
    if (windowBytes < 1024 || windowBytes > 2 ** 26 || (windowBytes & (windowBytes - 1)) !== 0)
      throw new Error(`zstd stream: window ${windowBytes} must be a power of two in [1 kB, 64 MB]`);
  }

  header(): Uint8Array {
    const h = new Uint8Array(ZSTD_HEADER_BYTES);
    h.set(MAGIC);
    h[4] = FHD_FCS8;
    h[5] = (Math.log2(this.windowBytes) - 10) << 3;
    return h;
  }

  /** The bytes that carry this segment (data is not kept). */
  async segment(data: Uint8Array): Promise<Uint8Array[]> {
    if (data.length > this.windowBytes) throw new Error('zstd stream: segment larger than the window');
    const out: Uint8Array[] = [];
    let rest = data;
    if (this.total > 0) {
      // Restore the repeat offsets with three matches found in the segment itself.
      const limit = Math.min(data.length, RESET_SEARCH_BYTES);
      const p8 = findRepeat(data, 8, 8, limit);
      const p4 = p8 < 0 ? -1 : findRepeat(data, 4, p8 + 3, limit);
      const p1 = p4 < 0 ? -1 : findRepeat(data, 1, p4 + 3, limit);
      if (p1 < 0) {
        rawBlocks(data, out);
        rest = data.subarray(data.length);
      } else {
        rawBlocks(data.subarray(0, p8), out);
        out.push(REPEAT_BLOCKS[8]);
        rawBlocks(data.subarray(p8 + 3, p4), out);
        out.push(REPEAT_BLOCKS[4]);
        rawBlocks(data.subarray(p4 + 3, p1), out);
        out.push(REPEAT_BLOCKS[1]);
        rest = data.subarray(p1 + 3);
      }
    }
    if (rest.length > 0) {
      // Its matches reach at most its own length back, within this frame's window.
      out.push(frameBlocks(await zstd.compress(asBuffer(rest), ZSTD_LEVEL)));
    }
    this.total += data.length;
    return out;
  }

  /** The closing block, and the content size to write at header offset FCS_AT. */
  end(): { tail: Uint8Array; patchAt: number; patch: Uint8Array } {
    const patch = new Uint8Array(8);
    new DataView(patch.buffer).setBigUint64(0, BigInt(this.total), true);
    return { tail: blockHeader(true, BLOCK_RAW, 0), patchAt: FCS_AT, patch };
  }
}
