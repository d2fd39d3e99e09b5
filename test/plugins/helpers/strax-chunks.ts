// Test-only reader of a reference strax folder's zstd chunks (until the storage layer lands):
// metadata JSON, each chunk decompressed and viewed as rows of the metadata dtype.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decompress } from '@mongodb-js/zstd';
import { DType } from '../../../src/core/dtype.js';
import { Records } from '../../../src/core/records.js';
import { referenceDataDir, referenceFolder } from '../../helpers/reference.js';

export interface StoredChunk {
  start: bigint;
  end: bigint;
  data: Records;
}

interface ChunkMeta {
  filename: string;
  start: number | bigint;
  end: number | bigint;
  n: number;
}

/** Parse metadata JSON keeping int64 chunk bounds exact. */
function parseMetadata(text: string): {
  dtype: string;
  compressor: string;
  chunks: ChunkMeta[];
  lineage: unknown;
} {
  const exact = text.replace(
    /"(start|end|first_time|last_time|first_endtime|last_endtime)": (\d{16,})/g,
    '"$1": "$2"',
  );
  const m = JSON.parse(exact) as { dtype: string; compressor: string; chunks: ChunkMeta[]; lineage: unknown };
  for (const c of m.chunks) {
    c.start = BigInt(c.start as unknown as string);
    c.end = BigInt(c.end as unknown as string);
  }
  return m;
}

export function referenceMetadataText(run: string, type: string): string {
  const folder = referenceFolder(run, type);
  const hash = folder.split('-').pop()!;
  return readFileSync(join(referenceDataDir(run), folder, `${type}-${hash}-metadata.json`), 'utf8');
}

export async function readReferenceChunks(run: string, type: string): Promise<StoredChunk[]> {
  const folder = referenceFolder(run, type);
  const meta = parseMetadata(referenceMetadataText(run, type));
  if (meta.compressor !== 'zstd')
    throw new Error(`test reader handles zstd only, ${type} uses ${meta.compressor}`);
  const dtype = DType.fromDescr(meta.dtype);
  const out: StoredChunk[] = [];
  for (const c of meta.chunks) {
    let data: Records;
    if (c.n === 0) data = Records.empty(dtype, 0);
    else {
      const raw = await decompress(readFileSync(join(referenceDataDir(run), folder, c.filename)));
      data = Records.fromBytes(dtype, new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
    }
    out.push({ start: c.start as bigint, end: c.end as bigint, data });
  }
  return out;
}
