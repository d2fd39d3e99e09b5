// Loading strax chunk files of the reference runs for the records golden tests (lz4 and zstd
// frames of numpy row bytes), and running PulseProcessing on them with the reference config.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decompressFrameSync } from 'lz4-napi';
import { decompress as zstdDecompress } from '@mongodb-js/zstd';
import { DType } from '../../src/core/dtype.js';
import { Records } from '../../src/core/records.js';
import { referenceDataDir, referenceFolder, runNumber } from '../helpers/reference.js';

export interface RefChunk { start: bigint; end: bigint; data: Records }
export interface RefMeta {
  dtype: string;
  compressor: string;
  lineage: Record<string, [string, string, Record<string, unknown>]>;
  chunks: { start: number; end: number; n: number; filename: string }[];
}

/** Metadata of a reference data type (numbers of epoch ns are inexact here; see loadChunks). */
export function readMeta(run: string, type: string): { dir: string; meta: RefMeta } {
  const dir = join(referenceDataDir(run), referenceFolder(run, type));
  const file = readdirSync(dir).find((f) => f.endsWith('-metadata.json'))!;
  return { dir, meta: JSON.parse(readFileSync(join(dir, file), 'utf8')) as RefMeta };
}

async function decode(bytes: Buffer, compressor: string): Promise<Buffer> {
  if (compressor === 'lz4') return decompressFrameSync(bytes);
  if (compressor === 'zstd') return zstdDecompress(bytes);
  throw new Error(`test loader: compressor ${compressor} not handled`);
}

/** Every chunk of a reference data type, in order. */
export async function loadChunks(run: string, type: string): Promise<RefChunk[]> {
  const { dir, meta } = readMeta(run, type);
  const text = readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('-metadata.json'))!), 'utf8');
  // JSON numbers of epoch ns lose precision: re-read each chunk's bounds from the text.
  const chunkTexts = text.slice(text.indexOf('"chunks"')).split('"chunk_i"').slice(1);
  const dtype = DType.fromDescr(meta.dtype);
  const out: RefChunk[] = [];
  for (let i = 0; i < meta.chunks.length; i++) {
    const c = meta.chunks[i]!;
    const ct = chunkTexts[i]!;
    const start = BigInt(/"start": (\d+)/.exec(ct)![1]!);
    const end = BigInt(/"end": (\d+)/.exec(ct)![1]!);
    let data = Records.empty(dtype, 0);
    if (c.n > 0) {
      const raw = await decode(readFileSync(join(dir, c.filename)), meta.compressor);
      const aligned = new Uint8Array(raw.length);
      aligned.set(raw);
      data = Records.fromBytes(dtype, aligned);
    }
    out.push({ start, end, data });
  }
  return out;
}

/** The run's configuration with the resource files the URL options name, resolved. */
export function referenceConfig(run: string): { hitThresholds: number[]; config: Record<string, unknown> } {
  const dir = referenceDataDir(run);
  const num = runNumber(run);
  const config = JSON.parse(readFileSync(join(dir, `${num}-config.json`), 'utf8')) as Record<string, unknown>;
  const url = String(config['hit_min_amplitude']);
  const file = /resource:\/\/([^?]+)/.exec(url)![1]!;
  const hitThresholds = JSON.parse(readFileSync(join(dir, file), 'utf8')) as number[];
  return { hitThresholds, config };
}
