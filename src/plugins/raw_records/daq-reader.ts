// straxen's DAQReader: the online source of raw_records. It reads a run's live_data folder
// (live-data-layout.ts) while the DAQ may still be writing it: chunk i is read once its main
// folder and both overlap folders are complete (chunk 0: no `_pre`; the last chunk: once
// THE_END is there and no next main folder exists). Each overlap is cut at a safe break
// (daq-overlap.ts) and the records are split by the channel map into seven data types.
//
// Every option is untracked, as in straxen, so the lineage hash never depends on the DAQ
// settings. Plugins do not touch files: the folder is reached through LiveRunFolder, and the
// class the contexts register (src/daq/live-data/daq-reader.ts) supplies the disk reader.

import type { DType } from '../../core/dtype.js';
import { any, defineOptions, dict, float, int, required, str } from '../../core/option-schema.js';
import { Plugin, SaveWhen, type ComputeResult } from '../../core/plugin.js';
import { Records } from '../../core/records.js';
import { rawRecordDtype } from '../../core/standard-dtypes.js';
import { channelCount, splitByChannelMap, type ChannelMap } from './channel-map-split.js';
import {
  ARTIFICIAL_DEADTIME_CHANNEL,
  cutOverlap,
  sortByTimeAndChannel,
  startTimes,
  type OverlapSettings,
} from './daq-overlap.js';
import {
  END_FOLDER,
  LiveDataError,
  countThreadFiles,
  filesPerFolder,
  mainFolder,
  mainWindow,
  postFolder,
  preFolder,
  type ReadoutThreads,
} from './live-data-layout.js';

/** A run's live_data folder as the DAQReader sees it. */
export interface LiveRunFolder {
  /** The run folder (for messages). */
  readonly location: string;
  /** File names in a sub-folder ('' : the run folder itself), sorted; null when it does not exist (yet). */
  files(folder: string): string[] | null;
  /** The rows of one thread file, decompressed, in the raw_records dtype. */
  readRecords(folder: string, file: string, dtype: DType, compressor: string): Promise<Records>;
}

export const DAQ_READER_OUTPUTS = [
  'raw_records',
  'raw_records_he',
  'raw_records_aqmon',
  'raw_records_nv',
  'raw_records_aqmon_nv',
  'raw_records_aux_mv',
  // Last: it names the plugin in every output's lineage, as in straxen.
  'raw_records_mv',
] as const;

/** straxen's options, names and defaults; all untracked. */
const untracked = { track: false };
const DAQ_READER_OPTIONS = defineOptions({
  record_length: int(110, 'samples per record in the live_data', untracked),
  max_digitizer_sampling_time: int(10, 'longest sample width of any digitizer [ns]', untracked),
  run_start_time: float(
    0,
    'run start [s since the epoch]; whole seconds are the zero of live_data times',
    untracked,
  ),
  daq_chunk_duration: int(5e9, 'length of a main chunk folder [ns]', untracked),
  daq_overlap_chunk_duration: int(5e8, 'length of an overlap (_pre/_post) folder [ns]', untracked),
  daq_compressor: str('lz4', 'compressor of the live_data files', untracked),
  readout_threads: dict<unknown>(
    required,
    "readout-thread name → files it writes per folder (the run's daq_config.processing_threads)",
    untracked,
  ),
  daq_input_dir: str<unknown>(required, "the run's live_data folder (LIVE/RUN)", untracked),
  safe_break_in_pulses: any<number>(
    1000,
    'quiet time [ns] at which an overlap may be cut without splitting a pulse',
    untracked,
  ),
  channel_map: dict<unknown>(
    required,
    'detector part → [first, last] channel; decides which raw_records type a channel goes to',
    untracked,
  ),
});

export abstract class DAQReaderBase extends Plugin<typeof DAQ_READER_OPTIONS> {
  override get className(): string {
    return 'DAQReader';
  }
  override readonly provides = DAQ_READER_OUTPUTS;
  override readonly dependsOn = [] as const;
  override readonly dataKind = Object.fromEntries(DAQ_READER_OUTPUTS.map((d) => [d, d]));
  override readonly version = '0.0.0';
  override readonly compressor = 'lz4';
  override readonly saveWhen = SaveWhen.ALWAYS;
  override readonly rechunkOnSave = {
    raw_records: false,
    raw_records_he: false,
    raw_records_aqmon: true,
    raw_records_nv: false,
    raw_records_aqmon_nv: true,
    raw_records_aux_mv: true,
    raw_records_mv: false,
  };
  override readonly chunkTargetSizeMb = 500;
  override readonly inputTimeout: number = 300;

  override readonly options = DAQ_READER_OPTIONS;

  private run!: LiveRunFolder;
  private t0 = 0n;
  private threads: ReadoutThreads = {};
  private overlap!: OverlapSettings;
  private lookBack = 0;
  /** The chunk the engine last asked about (what sourceFinished must account for). */
  private pendingChunk = 0;

  /** The live_data folder of the run, for reading (supplied by the registered subclass). */
  protected abstract openLiveRun(dir: string): LiveRunFolder;

  /** Report something the operator should know, but that does not stop reading (as straxen's
   * warnings: the kind is the warning's class name there). */
  protected abstract warn(kind: string, message: string): void;

  override inferDtype(): Record<string, DType> {
    const dt = rawRecordDtype(this.cfg.record_length);
    return Object.fromEntries(this.provides.map((d) => [d, dt]));
  }

  override setup(): void {
    const dir = this.cfg.daq_input_dir;
    if (typeof dir !== 'string' || dir === '')
      throw new LiveDataError(
        `DAQReader needs daq_input_dir, the run's live_data folder: set it, e.g. --config_kwargs '{"daq_input_dir": "LIVE/RUN"}'`,
      );
    this.threads = checkThreads(this.cfg.readout_threads);
    this.run = this.openLiveRun(dir);
    this.t0 = BigInt(Math.trunc(this.cfg.run_start_time)) * 1_000_000_000n;
    const minGap = Number(this.cfg.safe_break_in_pulses);
    const c = this.cfg.daq_chunk_duration,
      o = this.cfg.daq_overlap_chunk_duration;
    if (!(minGap <= Math.min(c, o)))
      throw new LiveDataError(
        `safe_break_in_pulses (${minGap} ns) must not exceed daq_chunk_duration (${c}) or daq_overlap_chunk_duration (${o}): chunks must be (much) longer than a safe break`,
      );
    this.overlap = {
      minGap,
      recordLength: this.cfg.record_length,
      dtMax: this.cfg.max_digitizer_sampling_time,
    };
    this.lookBack = this.overlap.recordLength * channelCount(this.channelMap());
  }

  private channelMap(): ChannelMap {
    const m = this.cfg.channel_map;
    if (!m || typeof m !== 'object')
      throw new LiveDataError('DAQReader needs channel_map (detector part → channels)');
    return m as ChannelMap;
  }

  private where(folder: string): string {
    return `${this.run.location}/${folder}`;
  }

  /** Number of files in a folder (null: absent), thread names checked. */
  private count(folder: string): number | null {
    const files = this.run.files(folder);
    return files === null ? null : countThreadFiles(this.where(folder), files, this.threads);
  }

  /** Complete, or incomplete but the run has ended (threads may stop in different chunks). */
  private usable(folder: string): boolean {
    const n = this.count(folder);
    if (n === null) return false;
    return n >= filesPerFolder(this.threads) || this.ended();
  }

  /** THE_END is complete: every readout thread has finished. */
  private ended(): boolean {
    const n = this.count(END_FOLDER);
    return n !== null && n >= filesPerFolder(this.threads);
  }

  /** The run has ended. Unlike straxen, data that can then never be read (a main folder
   * without its overlaps, chunks after a missing one) is an error, not a silent end. */
  override sourceFinished(): boolean {
    if (!this.ended()) return false;
    const unread = this.unreadable(this.pendingChunk);
    if (unread)
      throw new LiveDataError(
        `Bad data from DAQ in ${this.run.location}: the run has ended (${END_FOLDER}) but ${unread}`,
      );
    return true;
  }

  /** Why live_data from chunk i on cannot be read although the run has ended (null: nothing left). */
  private unreadable(i: number): string | null {
    const has = (f: string): boolean => this.run.files(f) !== null;
    if (has(mainFolder(i))) {
      const needPost = i === 0 || has(mainFolder(i + 1));
      const missing = [
        i > 0 && !has(preFolder(i)) ? preFolder(i) : '',
        needPost && !has(postFolder(i)) ? postFolder(i) : '',
      ];
      return `chunk ${mainFolder(i)} cannot be read without ${missing.filter(Boolean).join(' and ')}`;
    }
    if (has(preFolder(i))) return `${preFolder(i)} exists without its main folder ${mainFolder(i)}`;
    const later = (this.run.files('') ?? []).filter((f) => /^\d{6}$/.test(f) && Number(f) > i);
    return later.length ? `${mainFolder(i)} is missing while later chunks (${later.join(', ')}) exist` : null;
  }

  override isReady(chunkI: number): boolean {
    this.pendingChunk = chunkI;
    const ended = this.ended();
    const pre = this.usable(preFolder(chunkI)),
      cur = this.usable(mainFolder(chunkI)),
      post = this.usable(postFolder(chunkI));
    const nextAhead = this.run.files(mainFolder(chunkI + 1)) !== null;
    return cur && ((pre && post) || (chunkI === 0 && post) || (ended && pre && !nextAhead));
  }

  override waitingFor(chunkI: number): string {
    if (this.run.files('') === null) return `the live_data folder ${this.run.location}, which does not exist`;
    const need = [chunkI > 0 ? preFolder(chunkI) : '', mainFolder(chunkI), postFolder(chunkI)].filter(
      Boolean,
    );
    const state = need.map((f) => {
      const n = this.count(f);
      return `${f} ${n === null ? 'missing' : `${n} of ${filesPerFolder(this.threads)} files`}`;
    });
    return `chunk ${mainFolder(chunkI)} in ${this.run.location} (${state.join(', ')}; no complete ${END_FOLDER})`;
  }

  /** A folder's records, sorted, after checking they start inside its window. */
  private async load(folder: string, [start, end]: readonly [number, number]): Promise<Records> {
    const dtype = this.dtypeFor('raw_records');
    const compressor = this.cfg.daq_compressor;
    const files = this.run.files(folder) ?? [];
    const parts: Records[] = [];
    for (const f of files) parts.push(await this.run.readRecords(folder, f, dtype, compressor));
    const rows = sortByTimeAndChannel(Records.concat(parts, dtype));
    if (rows.length > 0) {
      const t = startTimes(rows);
      const first = t[0]!,
        last = t[t.length - 1]!;
      if (first < start || last >= end)
        throw new LiveDataError(
          `Bad data from DAQ in ${this.where(folder)}: records should start in [${start}, ${end}) ns after the run start, but start from ${first} to ${last}`,
        );
    }
    return rows;
  }

  override async compute(_inputs: unknown, range: { chunkI: number }): Promise<ComputeResult> {
    const i = range.chunkI;
    const windows = {
      chunkDuration: this.cfg.daq_chunk_duration,
      overlapDuration: this.cfg.daq_overlap_chunk_duration,
    };
    const [tStart, tEnd] = mainWindow(windows, i);
    const o = windows.overlapDuration;
    let breakPre = tStart,
      breakPost = tEnd;
    const parts: Records[] = [],
      origins: string[] = [];
    if (i === 0 && this.run.files(preFolder(0)) !== null)
      this.warn(
        'DAQWarning',
        `${this.where(preFolder(0))}: chunk 0 should have no _pre folder; it is ignored`,
      );
    if (i > 0 && this.usable(preFolder(i))) {
      const cut = this.cut(preFolder(i), await this.load(preFolder(i), [tStart - o, tStart]), 'pre', [
        tStart - o,
        tStart,
      ]);
      breakPre = cut.breakTime;
      parts.push(cut.rows);
      origins.push(preFolder(i));
    }
    parts.push(await this.load(mainFolder(i), [tStart, tEnd]));
    origins.push(mainFolder(i));
    if (this.usable(postFolder(i))) {
      const window = [tEnd, tEnd + o] as const;
      const cut = this.cut(postFolder(i), await this.load(postFolder(i), window), 'post', window);
      breakPost = cut.breakTime;
      parts.push(cut.rows);
      origins.push(postFolder(i));
    }
    const dtype = this.dtypeFor('raw_records');
    const byType = splitByChannelMap(parts, dtype, this.channelMap(), this.t0, (p) =>
      this.where(origins[p]!),
    );
    const data: Record<string, Records> = {};
    for (const d of this.provides) data[d] = Records.empty(dtype, 0);
    for (const [d, rows] of byType) {
      if (!(d in data))
        throw new LiveDataError(
          `channel_map: '${d}' is not one of the DAQReader's outputs (${this.provides.join(', ')})`,
        );
      data[d] = rows;
    }
    return { start: this.t0 + BigInt(breakPre), end: this.t0 + BigInt(breakPost), data };
  }

  private cut(folder: string, rows: Records, side: 'pre' | 'post', window: readonly [number, number]) {
    const c = cutOverlap(rows, window, side, this.overlap, this.lookBack);
    if (c.deadtime && side === 'post')
      this.warn(
        'ArtificialDeadtimeInserted',
        `${this.where(folder)} has no quiet gap of ${this.overlap.minGap} ns: cut at ${c.breakTime} ns anyway; records across the cut are lost and marked as artificial deadtime (channel ${ARTIFICIAL_DEADTIME_CHANNEL}) from ${c.deadtime[0]} to ${c.deadtime[1]} ns after the run start`,
      );
    return c;
  }
}

function checkThreads(v: unknown): ReadoutThreads {
  const ok =
    !!v &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.values(v).every((n) => Number.isInteger(n) && (n as number) > 0);
  if (!ok || Object.keys(v as object).length === 0)
    throw new LiveDataError(
      `readout_threads must map each readout-thread name to its number of files, e.g. {"reader0_reader_0": 1}; got ${JSON.stringify(v)}`,
    );
  return v as ReadoutThreads;
}
