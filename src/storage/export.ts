// Export of one stored data type to .npy (np.load gives strax's array), .npy.gz, .csv or .jsonl,
// chunk by chunk in constant memory: the .npy header goes first with the row count from the
// metadata (rewritten in place when a time range selects fewer), then each chunk's rows as they
// are read. Written to OUT_temp and renamed when complete; removed on failure.

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { DType } from '../core/dtype.js';
import { Records } from '../core/records.js';
import { DataDirectory, readChunkBytes } from './data-directory.js';
import { resolveKey, selectFullyContained } from './load-all.js';
import { StorageError } from './errors.js';
import type { ChunkInfo, DataMetadata } from './metadata.js';
import { npyHeader } from './npy.js';
import { csvHeader, csvLines, jsonRows } from './text-export.js';

export const EXPORT_FORMATS = ['npy', 'csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  dir: string;
  runId: string;
  dataType: string;
  out: string;
  format: ExportFormat;
  hash?: string;
  /** Rows fully inside [start, end) ns. */
  timeRange?: readonly [bigint, bigint];
  /** Leave the field descriptions out of the .npy header (numpy 2 loads a short one without
   * max_header_size). */
  noTitles?: boolean;
}

export interface ExportResult {
  rows: number;
  metadata: DataMetadata;
}

/** The format a file name asks for, or null. */
export function formatOfName(out: string): ExportFormat | null {
  if (/\.npy(\.gz)?$/.test(out)) return 'npy';
  if (/\.csv(\.gz)?$/.test(out)) return 'csv';
  if (/\.jsonl(\.gz)?$/.test(out)) return 'jsonl';
  return null;
}

/** Bytes to a file, gzip-compressed or not, with back-pressure. */
class OutputFile {
  private constructor(
    private readonly fh: FileHandle | null,
    private readonly gz: { zip: Gzip; file: WriteStream } | null,
    private at = 0,
  ) {}

  static async open(path: string, gzip: boolean): Promise<OutputFile> {
    if (!gzip) return new OutputFile(await open(path, 'w'), null);
    const zip = createGzip();
    const file = createWriteStream(path);
    zip.pipe(file);
    return new OutputFile(null, { zip, file });
  }

  get seekable(): boolean {
    return this.fh !== null;
  }

  async write(bytes: Uint8Array | string): Promise<void> {
    const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    if (this.fh) {
      for (let off = 0; off < b.length;)
        off += (await this.fh.write(b, off, b.length - off, this.at + off)).bytesWritten;
      this.at += b.length;
    } else if (!this.gz!.zip.write(b)) await once(this.gz!.zip, 'drain');
  }

  /** Overwrite bytes at the start (plain files only). */
  async rewriteStart(bytes: Uint8Array): Promise<void> {
    await this.fh!.write(bytes, 0, bytes.length, 0);
  }

  async close(): Promise<void> {
    if (this.fh) return this.fh.close();
    const { zip, file } = this.gz!;
    const done = once(file, 'close');
    zip.end();
    await done;
  }
}

/** Rows of each chunk in order: raw bytes straight from the file unless a time range cuts them. */
async function* chunkRows(
  dir: string,
  md: DataMetadata,
  timeRange: readonly [bigint, bigint] | undefined,
): AsyncGenerator<{ bytes: Uint8Array; records: () => Records; n: number }> {
  const infos = md.chunks.filter(
    (c: ChunkInfo) => c.n > 0 && (!timeRange || (c.end > timeRange[0] && c.start < timeRange[1])),
  );
  for (const info of infos) {
    const bytes = await readChunkBytes(dir, md, info);
    if (!timeRange) {
      yield { bytes, n: info.n, records: () => Records.fromBytes(md.dtype, bytes) };
      continue;
    }
    const kept = selectFullyContained(Records.fromBytes(md.dtype, bytes), timeRange);
    yield { bytes: kept.toBytes(), n: kept.length, records: () => kept };
  }
}

/** A time range that selects nothing because it misses the data altogether. */
export class TimeRangeOutsideData extends StorageError {}

function checkRange(md: DataMetadata, [a, b]: readonly [bigint, bigint]): void {
  if (md.start === undefined || md.end === undefined || (b > md.start && a < md.end)) return;
  const seconds = b < 10n ** 12n ? '; times are ns since the epoch, not seconds' : '';
  throw new TimeRangeOutsideData(
    `time range [${a}, ${b}) ns lies outside the data, which spans [${md.start}, ${md.end}) ns${seconds}`,
  );
}

export async function exportStored(req: ExportRequest): Promise<ExportResult> {
  const dd = new DataDirectory(req.dir, { readonly: true, create: false });
  const key = resolveKey(dd, req.runId, req.dataType, req.hash);
  const md = dd.metadata(key);
  if (req.timeRange) checkRange(md, req.timeRange);
  const found = dd.find(key)!;
  const tmp = `${req.out}_temp`;
  const out = await OutputFile.open(tmp, req.out.endsWith('.gz'));
  let rows = 0;
  try {
    if (req.format === 'npy') {
      let expected = md.chunks.reduce((s, c) => s + c.n, 0);
      if (req.timeRange && !out.seekable) {
        // A gzip stream cannot be rewritten: count the selected rows first.
        expected = 0;
        for await (const c of chunkRows(found.dir, md, req.timeRange)) expected += c.n;
      }
      const dtype = req.noTitles
        ? new DType(
            md.dtype.fields.map((f) => ({ ...f, title: null })),
            md.dtype.itemsize,
          )
        : md.dtype;
      await out.write(npyHeader(dtype, expected));
      for await (const c of chunkRows(found.dir, md, req.timeRange)) {
        await out.write(c.bytes);
        rows += c.n;
      }
      if (rows !== expected) {
        if (!out.seekable) throw new Error(`${req.out}: ${rows} rows read, ${expected} expected`);
        // Same header length for any count (numpy pads the shape to 21 digits).
        await out.rewriteStart(npyHeader(dtype, rows));
      }
    } else {
      if (req.format === 'csv') await out.write(csvHeader(md.dtype) + '\n');
      for await (const c of chunkRows(found.dir, md, req.timeRange)) {
        const r = c.records();
        const lines = req.format === 'csv' ? csvLines(r) : jsonRows(r);
        let text = '';
        for (const l of lines) {
          text += l + '\n';
          if (text.length > 1 << 20) {
            await out.write(text);
            text = '';
          }
        }
        await out.write(text);
        rows += c.n;
      }
    }
    await out.close();
    await rename(tmp, req.out);
  } catch (e) {
    await out.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  return { rows, metadata: md };
}
