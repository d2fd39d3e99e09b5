// Minimal types for the part of compressjs straxts uses (bzip2).
declare module 'compressjs' {
  interface Bzip2Api {
    compressFile(input: Uint8Array, output?: null, blockSizeMultiplier?: number): Uint8Array | number[];
    decompressFile(input: Uint8Array): Uint8Array | number[];
  }
  const compressjs: { Bzip2: Bzip2Api };
  export default compressjs;
}
