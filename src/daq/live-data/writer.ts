// Writes a run's live_data folder as the DAQ (redax) does: each piece of the run becomes a
// folder of thread files (a main chunk `%06d`; an overlap twice, as `%06d_post` and the next
// chunk's `%06d_pre`), each thread file one compressed array of raw_records rows with times in
// ns since the run start; `THE_END` when the run is over. Every folder is written as NAME_temp
// and renamed, so a reader never sees half a folder.
//
// The run folder carries a marker file naming its writer: a folder without one was not made
// here and is only replaced when asked to (force).

import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Records } from '../../core/records.js';
import { sortByTimeAndChannel } from '../../plugins/raw_records/daq-overlap.js';
import {
  END_FOLDER,
  LiveDataError,
  TEMP_SUFFIX,
  mainFolder,
  postFolder,
  preFolder,
  threadFileNames,
  type ReadoutThreads,
} from '../../plugins/raw_records/live-data-layout.js';
import { getCodec, type Codec } from '../../storage/codecs/index.js';
import type { LivePiece } from './pieces.js';

/** Name of the file that marks a run folder as written by this writer. */
export const WRITER_MARKER = '.written_by_fake_daq';

/** The TPC's channels are spread evenly over the thread files; higher channels go to the last. */
export const TPC_CHANNELS = 494;

export interface LiveWriterOptions {
  threads: ReadoutThreads;
  compressor: string;
  /** Replace an existing run folder this writer did not make. */
  force?: boolean;
  /** Channels per thread file (default: the TPC's channels spread over all files). */
  channelsPerFile?: number;
}

export interface WrittenFolder {
  name: string;
  rows: number;
  rawBytes: number;
  compressedBytes: number;
}

export class LiveRunWriter {
  private readonly codec: Codec;
  private readonly files: string[];
  private readonly channelsPerFile: number;

  private constructor(
    readonly runDir: string,
    private readonly o: LiveWriterOptions,
  ) {
    this.codec = getCodec(o.compressor, '--compressor');
    this.files = threadFileNames(o.threads);
    if (this.files.length === 0) throw new LiveDataError('the run needs at least one readout-thread file');
    this.channelsPerFile = o.channelsPerFile ?? Math.ceil(TPC_CHANNELS / this.files.length);
  }

  /** Start a run folder (empty, or replacing one this writer made, or any with force). */
  static create(runDir: string, o: LiveWriterOptions): LiveRunWriter {
    const w = new LiveRunWriter(runDir, o);
    if (existsSync(runDir)) {
      const entries = readdirSync(runDir);
      const ours = entries.includes(WRITER_MARKER);
      if (entries.length > 0 && !ours && !o.force)
        throw new LiveDataError(
          `${runDir} already exists and was not written by fake_daq: choose another --output, or pass --force to replace it`,
        );
      rmSync(runDir, { recursive: true, force: true });
    }
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, WRITER_MARKER), `${hostname()} ${process.pid} ${new Date().toISOString()}\n`);
    return w;
  }

  /** Thread file (index into the folder's files) a channel is written to. */
  fileOfChannel(channel: number): number {
    return Math.min(Math.max(0, Math.floor(channel / this.channelsPerFile)), this.files.length - 1);
  }

  /** Write one piece: a main folder, or an overlap as `_post` and the next chunk's `_pre`. */
  async writePiece(p: LivePiece): Promise<WrittenFolder> {
    if (p.kind === 'main') return this.writeFolder(mainFolder(p.chunkI), p.rows);
    const post = await this.writeFolder(postFolder(p.chunkI), p.rows);
    await this.writeFolder(preFolder(p.chunkI + 1), p.rows);
    return post;
  }

  /** One folder with every thread file (empty ones too), appearing at once. */
  async writeFolder(name: string, rows: Records): Promise<WrittenFolder> {
    const byFile = this.split(rows);
    const temp = join(this.runDir, name + TEMP_SUFFIX);
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp);
    let compressedBytes = 0;
    for (let f = 0; f < this.files.length; f++) {
      const packed = await this.codec.compress(byFile[f]!.toBytes());
      compressedBytes += packed.length;
      await writeFile(join(temp, this.files[f]!), packed);
    }
    renameSync(temp, join(this.runDir, name));
    return { name, rows: rows.length, rawBytes: rows.nbytes, compressedBytes };
  }

  /** THE_END: one file per thread file, so the reader knows every thread has finished. */
  finish(): void {
    const temp = join(this.runDir, END_FOLDER + TEMP_SUFFIX);
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp);
    for (const f of this.files) writeFileSync(join(temp, f), '');
    renameSync(temp, join(this.runDir, END_FOLDER));
  }

  private split(rows: Records): Records[] {
    const ch = rows.i16('channel');
    const which = new Int32Array(rows.length);
    const counts = new Array<number>(this.files.length).fill(0);
    for (let i = 0; i < rows.length; i++) {
      which[i] = this.fileOfChannel(ch[i]!);
      counts[which[i]!]!++;
    }
    return counts.map((n, f) => {
      const idx = new Int32Array(n);
      for (let i = 0, k = 0; i < rows.length; i++) if (which[i] === f) idx[k++] = i;
      return sortByTimeAndChannel(n === rows.length ? rows : rows.take(idx));
    });
  }
}
