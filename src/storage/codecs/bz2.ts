// bzip2 streams as Python's bz2.compress writes them (level 9, 900 kB blocks); pure JS (compressjs).

import { createRequire } from 'node:module';
import type compressjsModule from 'compressjs';
import { decodeChecked, type Codec } from './codec.js';

// Required on first use: few runs hold bz2 data, and loading compressjs costs ~50 ms of start-up.
let lib: typeof compressjsModule | null = null;
const bzip2 = (): typeof compressjsModule.Bzip2 =>
  (lib ??= createRequire(import.meta.url)('compressjs') as typeof compressjsModule).Bzip2;

const MAGIC = [0x42, 0x5a, 0x68]; // 'BZh'

const toBytes = (x: Uint8Array | number[]): Uint8Array => (x instanceof Uint8Array ? x : Uint8Array.from(x));

export const bz2Codec: Codec = {
  name: 'bz2',
  async compress(data) {
    return toBytes(bzip2().compressFile(data, null, 9));
  },
  decompress(data) {
    return decodeChecked('bz2', 'a bzip2 stream', MAGIC, data, (d) => toBytes(bzip2().decompressFile(d)));
  },
};
