// One chunk file written as its rows arrive, in constant memory: rows are compressed in blocks
// of a few MB and appended to NAME_temp, renamed to NAME once complete (a file cut short by a
// crash never has its final name). A file that fits in one block is compressed in one go, as
// before. zstd and lz4 files are single frames (strax's reader stops after the first frame);
// blosc's block table comes before the blocks, so its blocks wait in a scratch file.

import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import type { Records } from '../core/records.js';
import { DEFAULT_SAVE_BUFFER_MB } from '../core/storage-api.js';
import { chunkChecksum } from './checksum.js';
import { BLOSC_MAX_BYTES, BLOSC_WRITE_BLOCK, bloscBlock, bloscHead } from './codecs/blosc.js';
import type { Codec } from './codecs/codec.js';
import { Lz4FrameStream } from './codecs/lz4-stream.js';
import { ZstdFrameStream } from './codecs/zstd-stream.js';

/** Bytes of rows buffered per file before they are compressed and written. */
const DEFAULT_WRITE_BLOCK_BYTES = DEFAULT_SAVE_BUFFER_MB * 1e6;
const MAX_BLOCK_BYTES = 2 ** 26;

export interface WrittenFile {
  filesize: number;
  checksum: string;
}

/** How one codec lays a file out from blocks of raw bytes. */
interface FileLayout {
  /** Write this block of raw bytes (not kept). */
  block(data: Uint8Array): Promise<void>;
  /** Complete the file; returns its size and checksum. */
  finish(): Promise<WrittenFile>;
  /** Close what is open (the caller removes the files). */
  abort(): Promise<void>;
}

export class ChunkFileWriter {
  private buf: Uint8Array | null = null;
  private bufRows = 0;
  private blockRows = 0;
  private itemsize = 0;
  private layout: FileLayout | null = null;
  private bytes = 0;

  constructor(
    private readonly path: string,
    private readonly codec: Codec,
    private readonly blockBytes: number = DEFAULT_WRITE_BLOCK_BYTES,
  ) {}

  /** Raw bytes received so far. */
  get nbytes(): number {
    return this.bytes;
  }

  async append(data: Records): Promise<void> {
    if (data.length === 0) return;
    if (this.buf === null) {
      this.itemsize = data.dtype.itemsize;
      this.blockRows = Math.max(1, Math.floor(Math.min(this.blockBytes, MAX_BLOCK_BYTES) / this.itemsize));
      this.buf = new Uint8Array(0);
    }
    if (this.codec.name === 'blosc' && this.bytes + data.nbytes >= BLOSC_MAX_BYTES)
      throw new Error(
        `${this.path} would hold more than ~2 GB, too much for blosc; use a smaller chunk target or another compressor`,
      );
    this.bytes += data.nbytes;
    const w = this.itemsize;
    // The buffer grows as rows come, up to a block: small outputs keep small buffers.
    const want = Math.min(this.blockRows, this.bufRows + data.length) * w;
    if (want > this.buf.length) {
      const grown = new Uint8Array(Math.min(this.blockRows * w, Math.max(want, 2 * this.buf.length)));
      grown.set(this.buf.subarray(0, this.bufRows * w));
      this.buf = grown;
    }
    for (let i = 0; i < data.length;) {
      const k = Math.min(this.blockRows - this.bufRows, data.length - i);
      data.slice(i, i + k).toBytes(this.buf.subarray(this.bufRows * w, (this.bufRows + k) * w));
      this.bufRows += k;
      i += k;
      if (this.bufRows === this.blockRows) await this.writeBlock();
    }
  }

  /** Complete the file under its final name. */
  async close(): Promise<WrittenFile> {
    const temp = `${this.path}_temp`;
    let written: WrittenFile;
    if (this.layout === null) {
      const packed = await this.codec.compress(
        this.buf ? this.buf.subarray(0, this.bufRows * this.itemsize) : new Uint8Array(0),
      );
      await writeFile(temp, packed);
      written = { filesize: packed.length, checksum: chunkChecksum(packed) };
    } else {
      if (this.bufRows > 0) await this.writeBlock();
      written = await this.layout.finish();
    }
    this.buf = null;
    await rename(temp, this.path);
    return written;
  }

  /** Leave nothing behind (an unfinished file is removed, never renamed). */
  async abort(): Promise<void> {
    this.buf = null;
    await this.layout?.abort();
    await rm(`${this.path}_temp`, { force: true });
    await rm(`${this.path}_blocks_temp`, { force: true });
  }

  private async writeBlock(): Promise<void> {
    const data = this.buf!.subarray(0, this.bufRows * this.itemsize);
    this.layout ??= await this.openLayout();
    await this.layout.block(data);
    this.bufRows = 0;
  }

  private async openLayout(): Promise<FileLayout> {
    const temp = `${this.path}_temp`;
    switch (this.codec.name) {
      case 'zstd':
        return zstdLayout(temp, this.blockRows * this.itemsize);
      case 'lz4':
        return lz4Layout(temp);
      case 'blosc':
        return bloscLayout(temp, `${this.path}_blocks_temp`);
      default:
        return wholeLayout(temp, this.codec);
    }
  }
}

/** Appends to a file, hashing what it writes (while `hash` is set). */
class Appender {
  size = 0;
  constructor(
    readonly fh: FileHandle,
    readonly hash: Hash | null,
  ) {}
  static async open(path: string, hashed: boolean): Promise<Appender> {
    return new Appender(await open(path, 'w'), hashed ? createHash('sha256') : null);
  }
  async write(parts: readonly Uint8Array[]): Promise<void> {
    if (!parts.length) return;
    await this.fh.writev(parts as Uint8Array[]);
    for (const p of parts) {
      this.hash?.update(p);
      this.size += p.length;
    }
  }
  digest(): string {
    return `sha256:${this.hash!.digest('hex')}`;
  }
}

async function fileChecksum(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const piece of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(piece as Buffer);
  return `sha256:${h.digest('hex')}`;
}

async function zstdLayout(temp: string, blockBytes: number): Promise<FileLayout> {
  let window = 1024;
  while (window < blockBytes) window *= 2;
  const z = new ZstdFrameStream(window);
  // The content size goes into the header at the end, so the checksum is taken from the file.
  const out = await Appender.open(temp, false);
  await out.write([z.header()]);
  return {
    block: async (data) => {
      await out.write(await z.segment(data));
    },
    finish: async () => {
      const { tail, patchAt, patch } = z.end();
      await out.write([tail]);
      await out.fh.write(patch, 0, patch.length, patchAt);
      await out.fh.close();
      return { filesize: out.size, checksum: await fileChecksum(temp) };
    },
    abort: () => out.fh.close(),
  };
}

async function lz4Layout(temp: string): Promise<FileLayout> {
  const l = new Lz4FrameStream();
  const out = await Appender.open(temp, true);
  await out.write([l.header()]);
  return {
    block: async (data) => {
      await out.write(l.segment(data));
    },
    finish: async () => {
      await out.write([l.end()]);
      await out.fh.close();
      return { filesize: out.size, checksum: out.digest() };
    },
    abort: () => out.fh.close(),
  };
}

async function bloscLayout(temp: string, scratch: string): Promise<FileLayout> {
  const blocks = await Appender.open(scratch, false);
  const stored: number[] = [];
  let nbytes = 0;
  // Blocks are BLOSC_WRITE_BLOCK bytes; what does not fill one waits for the next rows.
  const carry = new Uint8Array(BLOSC_WRITE_BLOCK);
  let carried = 0;
  const put = async (block: Uint8Array): Promise<void> => {
    const b = bloscBlock(block);
    stored.push(b.length);
    nbytes += block.length;
    await blocks.write([b]);
  };
  return {
    block: async (data) => {
      let at = 0;
      if (carried > 0) {
        at = Math.min(data.length, BLOSC_WRITE_BLOCK - carried);
        carry.set(data.subarray(0, at), carried);
        carried += at;
        if (carried < BLOSC_WRITE_BLOCK) return;
        await put(carry);
        carried = 0;
      }
      for (; at + BLOSC_WRITE_BLOCK <= data.length; at += BLOSC_WRITE_BLOCK)
        await put(data.subarray(at, at + BLOSC_WRITE_BLOCK));
      carry.set(data.subarray(at), 0);
      carried = data.length - at;
    },
    finish: async () => {
      if (carried > 0) await put(carry.subarray(0, carried));
      await blocks.fh.close();
      const out = await Appender.open(temp, true);
      try {
        await out.write([bloscHead(nbytes, stored)]);
        for await (const piece of createReadStream(scratch, { highWaterMark: 1 << 20 }))
          await out.write([piece as Buffer]);
      } finally {
        await out.fh.close();
      }
      await rm(scratch, { force: true });
      return { filesize: out.size, checksum: out.digest() };
    },
    abort: () => blocks.fh.close(),
  };
}

/** Codecs without a block layout (bz2): the rows are kept and compressed at the end. */
async function wholeLayout(temp: string, codec: Codec): Promise<FileLayout> {
  const parts: Uint8Array[] = [];
  return {
    block: async (data) => {
      parts.push(data.slice());
    },
    finish: async () => {
      const packed = await codec.compress(Buffer.concat(parts));
      parts.length = 0;
      await writeFile(temp, packed);
      return { filesize: packed.length, checksum: chunkChecksum(packed) };
    },
    abort: async () => {
      parts.length = 0;
    },
  };
}
