// `straxts verify`: read every chunk of stored data back and hold it against its metadata —
// file present with its recorded size and checksum, decodes to the recorded rows, rows sorted
// and inside the chunk's [start, end), chunks contiguous. Finds damage a listing cannot see.

import { endtimes } from '../core/chunk.js';
import { DataDirectory, readChunk, type FolderKey } from './data-directory.js';
import { chunkFileProblem } from './chunk-files.js';
import { metadataFileName, readMetadata, type ChunkInfo, type DataMetadata } from './metadata.js';
import { join } from 'node:path';

export interface Verdict {
  key: FolderKey;
  dir: string;
  chunks: number;
  rows: number;
  /** Empty when the data is sound. */
  problems: string[];
}

const MAX_PROBLEMS = 5;

/** Verify every complete data folder in `path` (of one run, and one data type, if given). */
export async function verifyDirectory(path: string, runId?: string, dataType?: string): Promise<Verdict[]> {
  const out: Verdict[] = [];
  for (const e of new DataDirectory(path, { readonly: true, create: false }).entries()) {
    if (e.temp) continue;
    if (runId !== undefined && e.key.runId !== runId) continue;
    if (dataType !== undefined && e.key.dataType !== dataType) continue;
    out.push(await verifyFolder(e.dir, e.key));
  }
  return out;
}

export async function verifyFolder(dir: string, key: FolderKey): Promise<Verdict> {
  const verdict: Verdict = { key, dir, chunks: 0, rows: 0, problems: [] };
  let md: DataMetadata;
  try {
    md = readMetadata(join(dir, metadataFileName(key.dataType, key.lineageHash)));
  } catch (e) {
    verdict.problems.push((e as Error).message);
    return verdict;
  }
  verdict.chunks = md.chunks.length;
  if (md.exception !== undefined) verdict.problems.push('writing failed (exception in the metadata)');
  else if (!md.writingEnded) verdict.problems.push('writing not finished (no writing_ended)');
  const files = chunkFileProblem(dir, md);
  if (files) verdict.problems.push(files);
  let prevEnd: bigint | null = null;
  for (const info of md.chunks) {
    if (verdict.problems.length >= MAX_PROBLEMS) break;
    const name = info.filename ?? `chunk ${info.chunkI}`;
    if (prevEnd !== null && info.start !== prevEnd)
      verdict.problems.push(`${name}: starts at ${info.start}, the previous chunk ended at ${prevEnd}`);
    prevEnd = info.end;
    try {
      const chunk = await readChunk(dir, md, info);
      verdict.rows += chunk.length;
      const bad = rowProblem(chunk.data.dtype.has('time') ? chunk.data : null, info);
      if (bad) verdict.problems.push(`${name}: ${bad}`);
    } catch (e) {
      verdict.problems.push((e as Error).message);
    }
  }
  const first = md.chunks[0],
    last = md.chunks[md.chunks.length - 1];
  if (first && md.start !== undefined && md.start !== first.start)
    verdict.problems.push(`metadata start ${md.start} is not the first chunk's start ${first.start}`);
  if (last && md.end !== undefined && md.end !== last.end)
    verdict.problems.push(`metadata end ${md.end} is not the last chunk's end ${last.end}`);
  return verdict;
}

/** Rows sorted by time, inside [start, end), first and last as the metadata records them. */
function rowProblem(rows: Parameters<typeof endtimes>[0] | null, info: ChunkInfo): string | null {
  if (rows === null || rows.length === 0) return null;
  const t = rows.i64('time');
  const e = endtimes(rows);
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && t[i]! < t[i - 1]!) return `row ${i} is out of time order`;
    if (t[i]! < info.start || e[i]! > info.end)
      return `row ${i} [${t[i]}, ${e[i]}) lies outside the chunk [${info.start}, ${info.end})`;
  }
  if (info.firstTime !== undefined && t[0] !== info.firstTime)
    return `first row at ${t[0]}, the metadata says ${info.firstTime}`;
  if (info.lastEndtime !== undefined && e[rows.length - 1] !== info.lastEndtime)
    return `last row ends at ${e[rows.length - 1]}, the metadata says ${info.lastEndtime}`;
  return null;
}
