// The data-type metadata JSON strax writes beside the chunks (TYPE-HASH-metadata.json):
// reading it strictly, and writing it exactly as json.dumps(md, sort_keys=True, indent=4).

import { readFileSync, writeFileSync } from 'node:fs';
import { DType } from '../core/dtype.js';
import { PyFloat } from '../core/python/float.js';
import { pyJsonDumps, pyJsonParse, type PyJson } from '../core/python/json.js';
import type { Lineage } from '../core/storage-api.js';
import { DataCorrupted } from './errors.js';

/** The version of strax whose format straxts writes (strax refuses data from before 0.9.0). */
export const STRAX_FORMAT_VERSION = '2.2.3';

export interface ChunkInfo {
  chunkI: number;
  start: bigint;
  end: bigint;
  n: number;
  nbytes: number;
  runId: string;
  filename?: string;
  filesize?: number;
  firstTime?: bigint;
  lastEndtime?: bigint;
  /** `sha256:<hex>` of the chunk file, where straxts wrote it (strax ignores the key). */
  checksum?: string;
}

export interface DataMetadata {
  /** The JSON as parsed (PyFloats kept), for writing back and for any extra keys. */
  raw: { [key: string]: PyJson };
  runId: string;
  dataType: string;
  dataKind: string;
  dtype: DType;
  dtypeText: string;
  compressor: string;
  lineage: Lineage;
  lineageHash: string;
  chunkTargetSizeMb: number;
  start?: bigint;
  end?: bigint;
  chunks: ChunkInfo[];
  writingEnded: boolean;
  exception?: string;
}

export function metadataFileName(dataType: string, hash: string): string {
  return `${dataType}-${hash}-metadata.json`;
}

const asBig = (v: PyJson | undefined): bigint | undefined =>
  typeof v === 'bigint'
    ? v
    : typeof v === 'number'
      ? BigInt(Math.trunc(v))
      : v instanceof PyFloat
        ? BigInt(Math.trunc(v.value))
        : undefined;
const asNum = (v: PyJson | undefined): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v instanceof PyFloat ? v.value : undefined;

/** Parse metadata text; any missing or malformed required field is a DataCorrupted naming `file`. */
export function parseMetadata(text: string, file: string): DataMetadata {
  let raw: PyJson;
  try {
    raw = pyJsonParse(text, file);
  } catch (e) {
    throw new DataCorrupted(`${(e as Error).message} (truncated or damaged metadata; rewrite the data)`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || raw instanceof PyFloat) {
    throw new DataCorrupted(`${file}: metadata is not a JSON object`);
  }
  const md = raw as { [key: string]: PyJson };
  const missing = ['run_id', 'data_type', 'data_kind', 'dtype', 'compressor', 'chunks'].filter(
    (k) => !(k in md),
  );
  if (missing.length)
    throw new DataCorrupted(`${file}: metadata lacks required field(s) ${missing.join(', ')}`);
  const str = (k: string): string => {
    const v = md[k];
    if (typeof v !== 'string') throw new DataCorrupted(`${file}: metadata field '${k}' is not a string`);
    return v;
  };
  let dtype: DType;
  try {
    dtype = DType.fromDescr(str('dtype'));
  } catch (e) {
    throw new DataCorrupted(`${file}: cannot read the dtype (${(e as Error).message})`);
  }
  if (!Array.isArray(md.chunks)) throw new DataCorrupted(`${file}: metadata 'chunks' is not a list`);
  const runId = str('run_id');
  const chunks = md.chunks.map((c, i): ChunkInfo => {
    if (c === null || typeof c !== 'object' || Array.isArray(c) || c instanceof PyFloat)
      throw new DataCorrupted(`${file}: chunk entry ${i} is not an object`);
    const e = c as { [key: string]: PyJson };
    const start = asBig(e.start),
      end = asBig(e.end),
      n = asNum(e.n);
    if (start === undefined || end === undefined || n === undefined) {
      throw new DataCorrupted(`${file}: chunk entry ${i} lacks start, end or n`);
    }
    const info: ChunkInfo = {
      chunkI: asNum(e.chunk_i) ?? i,
      start,
      end,
      n,
      nbytes: asNum(e.nbytes) ?? n * dtype.itemsize,
      runId: typeof e.run_id === 'string' ? e.run_id : runId,
    };
    if (typeof e.filename === 'string') info.filename = e.filename;
    const fs = asNum(e.filesize);
    if (fs !== undefined) info.filesize = fs;
    const ft = asBig(e.first_time),
      le = asBig(e.last_endtime);
    if (ft !== undefined) info.firstTime = ft;
    if (le !== undefined) info.lastEndtime = le;
    if (typeof e.checksum === 'string') info.checksum = e.checksum;
    if (n > 0 && !info.filename) throw new DataCorrupted(`${file}: chunk ${i} has ${n} rows but no filename`);
    return info;
  });
  const out: DataMetadata = {
    raw: md,
    runId,
    dataType: str('data_type'),
    dataKind: str('data_kind'),
    dtype,
    dtypeText: str('dtype'),
    compressor: str('compressor'),
    lineage: (md.lineage ?? {}) as unknown as Lineage,
    lineageHash: typeof md.lineage_hash === 'string' ? md.lineage_hash : '',
    chunkTargetSizeMb: asNum(md.chunk_target_size_mb) ?? 200,
    chunks,
    writingEnded: 'writing_ended' in md,
  };
  const s = asBig(md.start),
    e = asBig(md.end);
  if (s !== undefined) out.start = s;
  if (e !== undefined) out.end = e;
  if ('exception' in md && md.exception !== null) out.exception = String(md.exception);
  return out;
}

export function readMetadata(file: string): DataMetadata {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataCorrupted(
      code === 'ENOENT'
        ? `${file}: metadata file is missing`
        : `${file}: cannot read metadata (${code ?? (e as Error).message})`,
    );
  }
  return parseMetadata(text, file);
}

/** Exactly strax's metadata text. */
export function formatMetadata(md: unknown): string {
  return pyJsonDumps(md, { sortKeys: true, indent: 4 });
}

export function writeMetadataFile(file: string, md: unknown): void {
  writeFileSync(file, formatMetadata(md));
}

/** Unix time in seconds as Python's time.time() (always a float). */
export function pyTimeNow(): PyFloat {
  return new PyFloat(Date.now() / 1000);
}
