// Rewrite one strax data folder with larger chunks and another compressor (strax.rechunker),
// and check a copy against its source before the source may go.

import { basename, dirname, join } from 'node:path';
import { compareRecords } from '../../core/compare.js';
import { DataDirectory, parseFolderName } from '../../storage/data-directory.js';
import { DirectorySaver } from '../../storage/directory-saver.js';
import { loadAll } from '../../storage/load-all.js';
import { readMetadata, metadataFileName, type DataMetadata } from '../../storage/metadata.js';
import { isCompleteFolder } from '../data-safety.js';

/** Metadata keys the saver writes itself; the source's other keys are carried over. */
const SAVER_KEYS = new Set([
  'chunks',
  'compressor',
  'chunk_target_size_mb',
  'writing_started',
  'writing_ended',
  'start',
  'end',
  'strax_version',
  'run_id',
  'data_type',
  'data_kind',
  'dtype',
  'lineage_hash',
  'lineage',
  'exception',
]);

function keyOf(dir: string) {
  const key = parseFolderName(basename(dir));
  if (!key) throw new Error(`${dir} is not a strax data folder (RUN-TYPE-HASH)`);
  return key;
}

export function folderMetadata(dir: string): DataMetadata {
  const key = keyOf(dir);
  return readMetadata(join(dir, metadataFileName(key.dataType, key.lineageHash)));
}

/**
 * Write `src` again as `dest` (same name, another folder) with chunks near targetSizeMb and the
 * given compressor (null: the source's). Written as `<dest>_temp`, renamed when complete.
 */
export async function rechunkFolder(
  src: string,
  dest: string,
  compressor: string | null,
  targetSizeMb: number,
): Promise<void> {
  const key = keyOf(src);
  const md = folderMetadata(src);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(md.raw)) if (!SAVER_KEYS.has(k)) extra[k] = v;
  const fullKey = { ...key, lineage: md.lineage };
  const saver = await DirectorySaver.open(dest, fullKey, {
    runId: md.runId,
    dataType: md.dataType,
    dataKind: md.dataKind,
    dtype: md.dtypeText,
    lineage: md.lineage,
    lineageHash: key.lineageHash,
    compressor: compressor ?? md.compressor,
    chunkTargetSizeMb: targetSizeMb,
    extra,
    rechunk: true,
  });
  try {
    const source = new DataDirectory(dirname(src), { readonly: true });
    for await (const chunk of source.load(key)) await saver.save(chunk);
    await saver.close();
  } catch (e) {
    await saver.fail(e);
    throw e;
  }
}

/**
 * Problems with `dest` as a copy of `src` (empty: fine): both complete, no chunk with rows but
 * no bytes, the same rows; with `deep`, every field of every row equal.
 */
export async function copyProblems(src: string, dest: string, deep: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const d of [src, dest]) if (!isCompleteFolder(d)) out.push(`${d} is missing or not complete`);
  if (out.length) return out;
  const a = folderMetadata(src),
    b = folderMetadata(dest);
  for (const c of b.chunks)
    if (c.n > 0 && !c.filesize) out.push(`${dest}: chunk ${c.chunkI} has ${c.n} rows but an empty file`);
  const rows = (m: DataMetadata) => m.chunks.reduce((n, c) => n + c.n, 0);
  if (rows(a) !== rows(b)) out.push(`${dest} holds ${rows(b)} rows, ${src} ${rows(a)}`);
  if (a.dtypeText !== b.dtypeText) out.push(`${dest} has another dtype than ${src}`);
  if (deep && !out.length) {
    const key = keyOf(src);
    const opts = { hash: key.lineageHash };
    const ra = await loadAll(dirname(src), key.runId, key.dataType, opts);
    const rb = await loadAll(dirname(dest), key.runId, key.dataType, opts);
    const ag = compareRecords(ra, rb, { rtol: 0, atol: 0 });
    if (!ag.ok) {
      const f = ag.fields.find((x) => !x.exact);
      out.push(`${dest} differs from ${src}${f ? ` in ${f.field} (row ${f.firstMismatch?.row})` : ''}`);
    }
  }
  return out;
}
