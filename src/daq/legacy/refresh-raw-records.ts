// refresh_raw_records: raw_records written by strax < 0.9 become today's raw_records in place.
// Every chunk file and the metadata are replaced atomically (written as _temp, renamed). A
// conversion that was interrupted can simply be run again: a chunk already converted is
// recognised by its size (old and new rows differ in width) and read as it is now.

import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DType } from '../../core/dtype.js';
import { PyFloat } from '../../core/python/float.js';
import { pyJsonParse, type PyJson } from '../../core/python/json.js';
import { Records } from '../../core/records.js';
import { rawRecordDtype } from '../../core/standard-dtypes.js';
import { getCodec } from '../../storage/codecs/index.js';
import { DataDirectory, parseFolderName } from '../../storage/data-directory.js';
import { formatMetadata, metadataFileName, STRAX_FORMAT_VERSION } from '../../storage/metadata.js';
import { fromOldRecords, samplesPerRecord } from './old-raw-records.js';

export class RefreshError extends Error {}

export interface RefreshOptions {
  parentFolder: string;
  runId: string;
  /** Go on without the run metadata (fewer checks; straxen's end = last chunk start). */
  noRunMetadata?: boolean;
  /** Drop records overlapping the previous chunk instead of failing. */
  procrustean?: boolean;
  log?: (line: string) => void;
  /** Test hook: called after each chunk file is replaced. */
  afterChunk?: (i: number) => void;
}

export interface RefreshResult {
  folder: string;
  chunks: number;
  rows: number;
  dropped: number;
}

type Obj = { [key: string]: PyJson };

const num = (v: PyJson | undefined): number =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v instanceof PyFloat ? v.value : NaN;

function findFolder(parent: string, runId: string): string {
  if (!existsSync(parent)) throw new RefreshError(`${parent} does not exist`);
  const names = readdirSync(parent).filter((n) => {
    const k = parseFolderName(n);
    return k && k.runId === runId && k.dataType === 'raw_records' && !k.lineageHash.endsWith('_temp');
  });
  if (!names.length) throw new RefreshError(`no raw_records of run ${runId} in ${parent}`);
  if (names.length > 1)
    throw new RefreshError(
      `several raw_records of run ${runId} in ${parent} (${names.join(', ')}): keep one`,
    );
  return join(parent, names[0]!);
}

/** Run start and end in ns, each cut to whole seconds (as straxen). */
function runExtent(parent: string, runId: string): [bigint, bigint] {
  const md = new DataDirectory(parent, { readonly: true }).runMetadata(runId);
  const ns = (v: PyJson | undefined, what: string): bigint => {
    let seconds: number;
    if (typeof v === 'string') seconds = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`) / 1000;
    else seconds = num(v) > 1e14 ? num(v) / 1e9 : num(v);
    if (!Number.isFinite(seconds))
      throw new RefreshError(`run metadata of ${runId} has no usable ${what}; use --no_run_metadata`);
    return BigInt(Math.trunc(seconds)) * 1_000_000_000n;
  };
  return [ns(md.start, 'start'), ns(md.end, 'end')];
}

function endtimeOf(r: Records, i: number): bigint {
  return r.i64('time')[i]! + BigInt(r.i32('length')[i]!) * BigInt(r.i16('dt')[i]!);
}

export async function refreshRawRecords(o: RefreshOptions): Promise<RefreshResult> {
  const log = o.log ?? (() => undefined);
  const folder = findFolder(o.parentFolder, o.runId);
  const key = parseFolderName(folder.split('/').pop()!)!;
  const mdFile = join(folder, metadataFileName(key.dataType, key.lineageHash));
  if (!existsSync(mdFile)) throw new RefreshError(`${mdFile} does not exist`);
  const md = pyJsonParse(readFileSync(mdFile, 'utf8'), mdFile) as Obj;
  const chunks = (md.chunks ?? []) as Obj[];
  if (!chunks.length) throw new RefreshError(`cannot convert ${folder}: no chunks`);
  if ('start' in chunks[0]!) throw new RefreshError(`${folder} was already converted`);
  const oldDtype = DType.fromDescr(String(md.dtype));
  const n = samplesPerRecord(oldDtype);
  const newDtype = rawRecordDtype(n);
  const codec = getCodec(String(md.compressor), mdFile);
  const extent = o.noRunMetadata ? null : runExtent(o.parentFolder, o.runId);

  let lastEnd = 0n,
    rows = 0,
    dropped = 0;
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    const file = join(folder, String(c.filename));
    const bytes = await codec.decompress(readFileSync(file));
    const nOld = num(c.n);
    // Already converted by an interrupted earlier run: new-width rows, not old-width ones.
    const converted = bytes.length !== nOld * oldDtype.itemsize && bytes.length % newDtype.itemsize === 0;
    let rr = converted ? Records.fromBytes(newDtype, bytes) : Records.fromBytes(oldDtype, bytes);
    if (!rr.length) throw new RefreshError(`${file}: empty chunk; cannot convert data with empty chunks`);
    const t = rr.i64('time');
    if (t[0]! < lastEnd) {
      if (!o.procrustean)
        throw new RefreshError(
          `chunk ${i}'s data starts at ${t[0]} while the previous chunk's data ended at ${lastEnd}; --procrustean drops such records`,
        );
      const keep = new Uint8Array(rr.length);
      let cut = 0;
      for (let k = 0; k < rr.length; k++) {
        keep[k] = t[k]! < lastEnd ? 0 : 1;
        cut += 1 - keep[k]!;
      }
      log(`chunk ${i}: dropping ${cut} records overlapping the previous chunk`);
      dropped += cut;
      rr = rr.filter(keep);
      if (!rr.length) throw new RefreshError(`chunk ${i}: no records left after dropping the overlap`);
    }
    const start = i === 0 ? (extent ? extent[0] : rr.i64('time')[0]!) : lastEnd;
    let end = 0n;
    for (let k = 0; k < rr.length; k++) {
      const e = endtimeOf(rr, k);
      if (e > end) end = e;
    }
    lastEnd = end;
    const out = converted ? rr : fromOldRecords(rr);
    if (!converted) {
      const packed = await codec.compress(out.toBytes());
      writeFileSync(`${file}_temp`, packed);
      renameSync(`${file}_temp`, file);
      c.filesize = packed.length;
    } else c.filesize = readFileSync(file).length;
    Object.assign(c, {
      start,
      end,
      run_id: o.runId,
      nbytes: out.nbytes,
      n: out.length,
      first_time: out.i64('time')[0]!,
      first_endtime: endtimeOf(out, 0),
      last_time: out.i64('time')[out.length - 1]!,
      last_endtime: endtimeOf(out, out.length - 1),
    });
    rows += out.length;
    o.afterChunk?.(i);
  }
  const firstStart = chunks[0]!.start as unknown as bigint;
  const lastStart = chunks[chunks.length - 1]!.start as unknown as bigint;
  const [start, end] = extent ?? [firstStart, lastStart];
  Object.assign(md, {
    start,
    end,
    run_id: o.runId,
    data_kind: 'raw_records',
    converted_from_old_strax: md.strax_version ?? null,
    strax_version: STRAX_FORMAT_VERSION,
    dtype: newDtype.toDescr(),
  });
  writeFileSync(`${mdFile}_temp`, formatMetadata(md));
  renameSync(`${mdFile}_temp`, mdFile);
  return { folder, chunks: chunks.length, rows, dropped };
}
