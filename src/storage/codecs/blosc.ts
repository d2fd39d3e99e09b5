// blosc1 frames as python-blosc writes them for strax (blosclz, typesize 8, no shuffle).
// Frame: 16-byte header (format version 2, codec version, flags, typesize, nbytes, blocksize,
// cbytes), then per block a 32-bit start offset, then the blocks; each block is one or
// `typesize` streams, each prefixed by its compressed size (equal to its raw size = stored raw).

import { blosclzDecode, blosclzEncode } from './blosclz.js';
import { CorruptDataError, type Codec } from './codec.js';

const HEADER = 16;
const FLAG_SHUFFLE = 0x1;
const FLAG_MEMCPY = 0x2;
const FLAG_BITSHUFFLE = 0x4;
const FLAG_DONT_SPLIT = 0x10;
const MAX_SPLITS = 16;
const MIN_SPLIT_BYTES = 128;
const INNER_NAMES = ['blosclz', 'lz4', 'snappy', 'zlib', 'zstd'];
/** python-blosc refuses inputs at or above this (strax raises before compressing). */
export const BLOSC_MAX_BYTES = 2 ** 31 - 1 - HEADER;
const WRITE_BLOCK = 128 * 1024;
const TYPESIZE = 8;

export function bloscDecode(src: Uint8Array): Uint8Array {
  if (src.length < HEADER) throw new CorruptDataError('blosc: truncated header');
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const version = src[0]!,
    flags = src[2]!,
    typesize = src[3]!;
  const nbytes = dv.getInt32(4, true),
    blocksize = dv.getInt32(8, true),
    cbytes = dv.getInt32(12, true);
  if (version !== 2 && version !== 1)
    throw new CorruptDataError(`blosc: unsupported format version ${version}`);
  if (nbytes === 0) return new Uint8Array(0);
  if (nbytes < 0 || cbytes < HEADER || cbytes > src.length)
    throw new CorruptDataError(`blosc: truncated (header says ${cbytes} bytes, file has ${src.length})`);
  if (blocksize <= 0 || blocksize > nbytes || typesize === 0) throw new CorruptDataError('blosc: bad header');
  const out = new Uint8Array(nbytes);
  if (flags & FLAG_MEMCPY) {
    if (nbytes + HEADER > cbytes) throw new CorruptDataError('blosc: truncated stored data');
    out.set(src.subarray(HEADER, HEADER + nbytes));
    return out;
  }
  const inner = flags >>> 5;
  if (inner !== 0)
    throw new CorruptDataError(
      `blosc: internal compressor ${INNER_NAMES[inner] ?? inner} is not supported (only blosclz)`,
    );
  if (flags & FLAG_BITSHUFFLE) throw new CorruptDataError('blosc: bit-shuffled data is not supported');
  const shuffle = (flags & FLAG_SHUFFLE) !== 0 && typesize > 1;
  const dontSplit = (flags & FLAG_DONT_SPLIT) !== 0;
  const nblocks = Math.ceil(nbytes / blocksize);
  if (HEADER + 4 * nblocks > cbytes) throw new CorruptDataError('blosc: truncated block table');
  const tmp = shuffle ? new Uint8Array(blocksize) : null;
  for (let b = 0; b < nblocks; b++) {
    const bsize = Math.min(blocksize, nbytes - b * blocksize);
    const leftover = bsize < blocksize;
    const nsplits =
      !dontSplit && typesize <= MAX_SPLITS && bsize / typesize >= MIN_SPLIT_BYTES && !leftover ? typesize : 1;
    const neblock = Math.floor(bsize / nsplits);
    let pos = dv.getInt32(HEADER + 4 * b, true);
    const dest = tmp ?? out;
    let op = tmp ? 0 : b * blocksize;
    for (let s = 0; s < nsplits; s++) {
      if (pos < 0 || pos + 4 > cbytes) throw new CorruptDataError('blosc: block offset out of range');
      const len = dv.getInt32(pos, true);
      pos += 4;
      if (len < 0 || pos + len > cbytes) throw new CorruptDataError('blosc: block overruns the frame');
      if (len === neblock) dest.set(src.subarray(pos, pos + len), op);
      else if (blosclzDecode(src, pos, pos + len, dest, op, neblock) !== neblock)
        throw new CorruptDataError('blosc: block decodes to the wrong size');
      pos += len;
      op += neblock;
    }
    if (tmp) unshuffle(tmp, bsize, typesize, out, b * blocksize);
  }
  return out;
}

/** Undo byte shuffling: byte k of every element was grouped into the k-th plane. */
function unshuffle(src: Uint8Array, bsize: number, typesize: number, out: Uint8Array, at: number): void {
  const elems = Math.floor(bsize / typesize);
  for (let k = 0; k < typesize; k++) {
    const plane = k * elems;
    for (let e = 0; e < elems; e++) out[at + e * typesize + k] = src[plane + e]!;
  }
  const tail = elems * typesize;
  out.set(src.subarray(tail, bsize), at + tail);
}

/** Compress like python-blosc's compress(data, shuffle=False): blosclz, typesize 8, no shuffle. */
export function bloscEncode(data: Uint8Array): Uint8Array {
  const nbytes = data.length;
  if (nbytes >= BLOSC_MAX_BYTES) throw new Error("Blosc's input buffer cannot exceed ~2 GB");
  const header = (flags: number, blocksize: number, cbytes: number): Uint8Array => {
    const h = new Uint8Array(HEADER);
    const dv = new DataView(h.buffer);
    h[0] = 2;
    h[1] = 1;
    h[2] = flags;
    h[3] = TYPESIZE;
    dv.setInt32(4, nbytes, true);
    dv.setInt32(8, blocksize, true);
    dv.setInt32(12, cbytes, true);
    return h;
  };
  if (nbytes === 0) return header(FLAG_DONT_SPLIT, 0, HEADER);
  const blocksize = Math.min(WRITE_BLOCK, nbytes);
  const nblocks = Math.ceil(nbytes / blocksize);
  const parts: Uint8Array[] = [];
  let pos = HEADER + 4 * nblocks;
  const starts = new Uint8Array(4 * nblocks);
  const sdv = new DataView(starts.buffer);
  const budget = nbytes; // give up on compression once it cannot beat a plain copy
  for (let b = 0; b < nblocks && pos <= budget; b++) {
    const block = data.subarray(b * blocksize, Math.min(nbytes, (b + 1) * blocksize));
    const packed = blosclzEncode(block, block.length) ?? block;
    const size = new Uint8Array(4);
    new DataView(size.buffer).setInt32(0, packed.length, true);
    sdv.setInt32(4 * b, pos, true);
    parts.push(size, packed);
    pos += 4 + packed.length;
  }
  if (pos > budget) {
    const out = new Uint8Array(HEADER + nbytes);
    out.set(header(FLAG_MEMCPY | FLAG_DONT_SPLIT, blocksize, HEADER + nbytes));
    out.set(data, HEADER);
    return out;
  }
  const out = new Uint8Array(pos);
  out.set(header(FLAG_DONT_SPLIT, blocksize, pos));
  out.set(starts, HEADER);
  let at = HEADER + 4 * nblocks;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Block size of the frames written here (the last block may be shorter). */
export const BLOSC_WRITE_BLOCK = WRITE_BLOCK;

/** One block as a frame stores it: its stored size (4 bytes), then its bytes (blosclz, or the
 * block itself when that is not smaller). */
export function bloscBlock(block: Uint8Array): Uint8Array {
  const packed = blosclzEncode(block, block.length) ?? block;
  const out = new Uint8Array(4 + packed.length);
  new DataView(out.buffer).setInt32(0, packed.length, true);
  out.set(packed, 4);
  return out;
}

/** Header and block table of a frame of nbytes whose stored blocks (bloscBlock) have these
 * lengths; the blocks follow in order. */
export function bloscHead(nbytes: number, storedLengths: readonly number[]): Uint8Array {
  if (nbytes >= BLOSC_MAX_BYTES) throw new Error("Blosc's input buffer cannot exceed ~2 GB");
  const n = storedLengths.length;
  if (n !== Math.ceil(nbytes / WRITE_BLOCK)) throw new Error('blosc: block count does not match the size');
  const out = new Uint8Array(HEADER + 4 * n);
  const dv = new DataView(out.buffer);
  let pos = HEADER + 4 * n;
  for (let b = 0; b < n; b++) {
    dv.setInt32(HEADER + 4 * b, pos, true);
    pos += storedLengths[b]!;
  }
  if (pos > 2 ** 31 - 1) throw new Error("Blosc's frame cannot exceed ~2 GB");
  out[0] = 2;
  out[1] = 1;
  out[2] = FLAG_DONT_SPLIT;
  out[3] = TYPESIZE;
  dv.setInt32(4, nbytes, true);
  dv.setInt32(8, Math.min(WRITE_BLOCK, nbytes), true);
  dv.setInt32(12, pos, true);
  return out;
}

export const bloscCodec: Codec = {
  name: 'blosc',
  async compress(data) {
    return bloscEncode(data);
  },
  async decompress(data) {
    return bloscDecode(data);
  },
};
