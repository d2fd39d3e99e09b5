// Old-format (strax < 0.9) raw_records made from a current folder by the inverse transform:
// same file names and compressor, old dtype and metadata (chunks without start/end).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pyJsonParse, type PyJson } from '../../../src/core/python/json.js';
import { Records } from '../../../src/core/records.js';
import { oldRecordDtype, samplesPerRecord, toOldRecords } from '../../../src/daq/legacy/old-raw-records.js';
import { getCodec } from '../../../src/storage/codecs/index.js';
import { formatMetadata, metadataFileName, readMetadata } from '../../../src/storage/metadata.js';
import { parseFolderName } from '../../../src/storage/data-directory.js';

/** Write the old-format twin of the current raw_records folder `src` into `destParent`. */
export async function writeOldFormat(
  src: string,
  destParent: string,
  shift?: (i: number, r: Records) => Records,
): Promise<string> {
  const key = parseFolderName(basename(src))!;
  const mdName = metadataFileName(key.dataType, key.lineageHash);
  const md = readMetadata(join(src, mdName));
  const raw = pyJsonParse(readFileSync(join(src, mdName), 'utf8')) as { [k: string]: PyJson };
  const dest = join(destParent, basename(src));
  mkdirSync(dest, { recursive: true });
  const codec = getCodec(md.compressor);
  const n = samplesPerRecord(md.dtype);
  const chunks: { [k: string]: PyJson }[] = [];
  for (const [i, c] of md.chunks.entries()) {
    let rr = Records.fromBytes(md.dtype, await codec.decompress(readFileSync(join(src, c.filename!))));
    if (shift) rr = shift(i, rr);
    const old = toOldRecords(rr);
    const packed = await codec.compress(old.toBytes());
    writeFileSync(join(dest, c.filename!), packed);
    chunks.push({
      chunk_i: i,
      filename: c.filename!,
      filesize: packed.length,
      n: old.length,
      nbytes: old.nbytes,
    });
  }
  const oldMd: { [k: string]: PyJson } = {
    ...raw,
    chunks,
    dtype: oldRecordDtype(n).toDescr(),
    data_kind: 'records',
    strax_version: '0.8.8',
  };
  delete oldMd.start;
  delete oldMd.end;
  writeFileSync(join(dest, mdName), formatMetadata(oldMd));
  return dest;
}
