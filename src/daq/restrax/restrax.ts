// restrax: bootstrax's many small chunks in the pre_processed folder become few large ones,
// more strongly compressed, in the processed folder the upload takes them from. Each data type
// of a run is done on its own: copy written, checked, entry re-pointed, original removed
// (data-safety's replaceCopy), so a crash at any point leaves every entry naming a complete
// folder, and the next attempt carries on.

import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DataEntry, JsonObject, RunDb, RunDoc } from '../../rundb/rundb.js';
import { STRAX_FORMAT_VERSION } from '../../storage/metadata.js';
import { isCompleteFolder, removeReplacedOriginal, replaceCopy } from '../data-safety.js';
import { copyFolder, fileCount, folderBytes, moveFolder, removeFolder } from '../data-life/folders.js';
import type { DaqFolders } from '../daq-folders.js';
import { moveOnlyReason, rechunkChoice } from './plan.js';
import { copyProblems, folderMetadata, rechunkFolder } from './rechunk.js';
import {
  applySettingsDoc,
  DEFAULT_RESTRAX_SETTINGS,
  RESTRAX_CONFIG,
  type RestraxSettings,
} from './settings.js';

/** Attempts after which a run is no longer picked up (straxen: n_tries < 6). */
const MAX_ATTEMPTS = 6;

export interface RestraxOptions {
  hostname: string;
  /** Where bootstrax's output is read (straxen's --input_folder). */
  inputFolder: string;
  folders: DaqFolders;
  /** false: write into folders.testProcessed, change neither the database nor the input. */
  production: boolean;
  /** Command-line settings (before the database's restrax_config document is applied). */
  settings?: Partial<RestraxSettings>;
  /** Version recorded in the data entries' meta. */
  softwareVersion: string;
  log: (line: string) => void;
  /** Test hook: called at named points of the work (crash tests kill the process there). */
  checkpoint?: (name: string) => void;
}

export class Restrax {
  private settings: RestraxSettings;

  constructor(
    private readonly db: RunDb,
    private readonly o: RestraxOptions,
  ) {
    this.settings = { ...DEFAULT_RESTRAX_SETTINGS, ...(o.settings ?? {}) };
  }

  get current(): RestraxSettings {
    return this.settings;
  }

  private get output(): string {
    return this.o.production ? this.o.folders.processed : this.o.folders.testProcessed;
  }

  /** Re-read the runs database's restrax_config (straxen does this before every search). */
  async reloadSettings(): Promise<void> {
    const doc = await this.db.getSettings(RESTRAX_CONFIG);
    this.settings = applySettingsDoc(
      { ...DEFAULT_RESTRAX_SETTINGS, ...(this.o.settings ?? {}) },
      doc,
      this.o.log,
    );
  }

  /** The next run to work on: bootstrax done here, waiting for restrax (new ones first, then retries). */
  async findWork(number?: number): Promise<RunDoc | undefined> {
    const runs = await this.db.listRuns(
      {
        status: ['eb_finished_pre'],
        states: ['done'],
        bootstraxHost: this.o.hostname,
        ...(number !== undefined ? { number } : {}),
      },
      { withData: true, order: 'start' },
    );
    const info = (r: RunDoc) => r.restrax as { state?: string; n_tries?: number } | null;
    return (
      runs.find((r) => info(r) === null) ??
      runs.find((r) => (info(r)!.n_tries ?? 0) < MAX_ATTEMPTS && info(r)!.state !== 'done')
    );
  }

  /**
   * One search and, if there is work, one run (straxen's supervisor step). Without production
   * a run number is required: its data is rechunked into the test folder and checked only.
   */
  async step(number?: number): Promise<RunDoc | undefined> {
    await this.reloadSettings();
    let run: RunDoc | undefined;
    if (this.o.production) run = await this.findWork(number);
    else {
      if (number === undefined)
        throw new Error('without --production, name the run to test on with --process N');
      run = await this.db.getRun(number);
    }
    if (run) await this.handleRun(run);
    return run;
  }

  private async setRestrax(run: RunDoc, doc: JsonObject): Promise<void> {
    if (!this.o.production) return;
    const old = (run.restrax ?? {}) as JsonObject;
    await this.db.updateRun(run.number, { restrax: { ...old, ...doc } });
  }

  /** Do one run; throws (after recording the failure) if any data type could not be done. */
  async handleRun(run: RunDoc): Promise<void> {
    const tries = Number((run.restrax as { n_tries?: number } | null)?.n_tries ?? 0) + 1;
    const busy: JsonObject = {
      ...((run.restrax ?? {}) as JsonObject),
      n_tries: tries,
      state: 'busy',
      started_processing: new Date().toISOString(),
      host: this.o.hostname,
      ended: null,
    };
    await this.setRestrax(run, busy);
    run = { ...run, restrax: busy };
    try {
      const input = resolve(this.o.inputFolder);
      const mine = (run.data ?? []).filter((e) => e.host === this.o.hostname);
      // An earlier attempt may have died between re-pointing an entry and removing its original.
      if (this.o.production)
        for (const e of mine) {
          const original = join(input, basename(e.location));
          if (resolve(dirname(e.location)) === resolve(this.output) && removeReplacedOriginal(e, original))
            this.o.log(
              `removed ${original}, left over from an interrupted attempt (${e.location} is complete)`,
            );
        }
      const todo = mine.filter((e) => resolve(dirname(e.location)) === input);
      for (const e of todo)
        if (!isCompleteFolder(e.location))
          throw new Error(`${e.location} is registered but missing or not complete`);
      const size = (e: DataEntry) => folderMetadata(e.location).chunks.reduce((n, c) => n + c.nbytes, 0);
      todo.sort((a, b) => size(b) - size(a));
      this.o.log(`run ${run.number}: ${todo.length} data type(s) to do`);
      await pool(todo, Math.max(1, this.settings.max_threads), (e) => this.handleEntry(run, e));
      if (this.o.production) {
        await this.db.setRunStatus(run.number, 'eb_ready_to_upload', ['eb_finished_pre']);
        await this.setRestrax(run, { state: 'done', ended: new Date().toISOString() });
      }
      this.o.log(`run ${run.number} done`);
    } catch (e) {
      await this.setRestrax(run, {
        state: 'failed',
        ended: new Date().toISOString(),
        reason: (e as Error).message,
      });
      throw e;
    }
  }

  private async handleEntry(run: RunDoc, e: DataEntry): Promise<void> {
    const src = e.location;
    const dest = join(this.output, basename(src));
    const cp = this.o.checkpoint ?? (() => undefined);
    if (existsSync(dest) || existsSync(`${dest}_temp`)) {
      // An unregistered copy from an earlier attempt: kept aside (production) rather than deleted.
      if (this.o.production && existsSync(dest)) {
        const aside = join(this.o.folders.unregistered, basename(dest));
        if (existsSync(aside))
          throw new Error(`${dest} exists, and so does ${aside}: move one of them by hand`);
        moveFolder(dest, aside);
        this.o.log(`${dest} already existed, unregistered: moved to ${aside}`);
      } else removeFolder(dest);
      removeFolder(`${dest}_temp`);
    }
    const nChunks = folderMetadata(src).chunks.length;
    const why = moveOnlyReason(run, e, nChunks, this.settings);
    if (why) {
      this.o.log(`${e.type}: moved (${why})`);
      copyFolder(src, dest);
    } else {
      const choice = rechunkChoice(run, e, this.settings, this.o.log);
      this.o.log(
        `${e.type}: rechunked to ${choice.targetSizeMb} MB chunks, ${choice.compressor ?? 'same compressor'}`,
      );
      await rechunkFolder(src, dest, choice.compressor, choice.targetSizeMb);
    }
    cp('written');
    const problems = this.settings.ignore_checks
      ? []
      : await copyProblems(src, dest, this.settings.deep_compare);
    if (problems.length) throw new Error(`${e.type}: ${problems.join('; ')}`);
    if (!this.o.production) return;
    const md = folderMetadata(dest);
    const chunkMb = md.chunks.map((c) => c.nbytes / 1e6);
    await replaceCopy(
      this.db,
      e,
      dest,
      {
        fileCount: fileCount(dest),
        meta: {
          strax_version: STRAX_FORMAT_VERSION,
          straxts_version: this.o.softwareVersion,
          size_mb: Math.trunc(chunkMb.reduce((a, b) => a + b, 0)),
          avg_chunk_mb: Math.trunc(chunkMb.length ? chunkMb.reduce((a, b) => a + b, 0) / chunkMb.length : 0),
          lineage_hash: md.lineageHash,
          compressor: md.compressor,
        },
      },
      () => cp('repointed'),
    );
    cp('replaced');
    this.o.log(`${e.type}: ${dest} registered (${folderBytes(dest)} bytes)`);
  }
}

/** Run `f` over items, at most `n` at once. */
async function pool<T>(items: readonly T[], n: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    // After a failure no new item is started; those under way finish.
    while (next < items.length && !errors.length)
      await f(items[next++]!).catch((e: unknown) => errors.push(e));
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (errors.length) throw errors[0];
}
