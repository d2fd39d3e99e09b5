// A chunk codec: how strax compresses the raw bytes of one chunk file.

export interface Codec {
  /** strax's compressor name as written in metadata ('zstd', 'lz4', 'blosc', 'bz2'). */
  readonly name: string;
  compress(data: Uint8Array): Promise<Uint8Array>;
  /** expectedBytes (the metadata's nbytes) lets a decoder allocate once; it is a hint only. */
  decompress(data: Uint8Array, expectedBytes?: number): Promise<Uint8Array>;
}

/** Raised for malformed compressed input; the caller adds the file name. */
export class CorruptDataError extends Error {}

/** A byte array as a Buffer over the same memory (what the native codec libraries take). */
export const asBuffer = (data: Uint8Array): Buffer =>
  Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/**
 * Decode a stream with a library after checking its magic bytes; the library's failures become
 * CorruptDataError naming the codec.
 */
export async function decodeChecked(
  codec: string,
  streamName: string,
  magic: readonly number[],
  data: Uint8Array,
  decode: (data: Uint8Array) => Uint8Array | Promise<Uint8Array>,
): Promise<Uint8Array> {
  if (data.length < 4 || magic.some((b, i) => data[i] !== b))
    throw new CorruptDataError(`${codec}: not ${streamName} (bad magic)`);
  try {
    return await decode(data);
  } catch (e) {
    throw new CorruptDataError(`${codec}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
