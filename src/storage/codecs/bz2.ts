// bzip2 streams as Python's bz2.compress writes them (level 9, 900 kB blocks); pure JS (compressjs).

import compressjs from 'compressjs';
import { decodeChecked, type Codec } from './codec.js';

const MAGIC = [0x42, 0x5a, 0x68]; // 'BZh'

const toBytes = (x: Uint8Array | number[]): Uint8Array => (x instanceof Uint8Array ? x : Uint8Array.from(x));

export const bz2Codec: Codec = {
  name: 'bz2',
  async compress(data) {
    return toBytes(compressjs.Bzip2.compressFile(data, null, 9));
  },
  decompress(data) {
    return decodeChecked('bz2', 'a bzip2 stream', MAGIC, data, (d) => toBytes(compressjs.Bzip2.decompressFile(d)));
  },
};
