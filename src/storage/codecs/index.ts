// The codecs by strax's compressor name.

import { bloscCodec } from './blosc.js';
import { bz2Codec } from './bz2.js';
import { CorruptDataError, type Codec } from './codec.js';
import { lz4Codec } from './lz4.js';
import { zstdCodec } from './zstd.js';

export { CorruptDataError, type Codec };

const CODECS: ReadonlyMap<string, Codec> = new Map(
  [zstdCodec, lz4Codec, bloscCodec, bz2Codec].map((c) => [c.name, c]),
);

export const COMPRESSORS: readonly string[] = [...CODECS.keys()];

export class UnknownCompressorError extends Error {}

/** The codec for a compressor name; `where` (a file or data type) goes into the error. */
export function getCodec(name: string, where?: string): Codec {
  const c = CODECS.get(name);
  if (!c) {
    const at = where ? ` (in ${where})` : '';
    throw new UnknownCompressorError(
      `unknown compressor '${name}'${at}; supported: ${COMPRESSORS.join(', ')}`,
    );
  }
  return c;
}
