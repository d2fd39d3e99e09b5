// A checksum of each chunk file, kept in its metadata entry under `checksum` (an extra key that
// strax's reader ignores): strax's formats carry none, and a zstd or lz4 chunk with a few flipped
// bytes can decode into wrong rows without any error.

import { createHash } from 'node:crypto';

export const CHECKSUM_KEY = 'checksum';

export function chunkChecksum(fileBytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(fileBytes).digest('hex')}`;
}

/** Why the file's bytes do not match the recorded checksum, or null when they do (or the
 * checksum is of a kind this version does not know). */
export function checksumMismatch(fileBytes: Uint8Array, recorded: string): string | null {
  if (!recorded.startsWith('sha256:')) return null;
  const actual = chunkChecksum(fileBytes);
  return actual === recorded
    ? null
    : `checksum ${actual.slice(0, 19)}… differs from the metadata's ${recorded.slice(0, 19)}…`;
}
