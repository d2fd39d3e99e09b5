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
