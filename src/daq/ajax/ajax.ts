// ajax: the DAQ disk cleaner. Each mode selects runs (selection.ts), and every deletion goes
// through data-safety's deleteCopy; folders nobody registered are moved, never deleted.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataEntry, RunDb } from '../../rundb/rundb.js';
import { parseFolderName } from '../../storage/data-directory.js';
import { LIVE_HOST, LIVE_TYPE, copyPath, deleteCopy, isRawType, type SafetyContext } from '../data-safety.js';
import { folderBytes, isTrash, moveFolder, removeTrash } from '../data-life/folders.js';
import { AjaxReport } from './report.js';
import { abandonedRuns, cephRuns, databaseRuns, nonLatestRuns, oldHashRun } from './selection.js';
import { AJAX_TIMES, LOW_LEVEL_TYPES, type AjaxMode, type AjaxSettings } from './settings.js';

export class Ajax {
  readonly report: AjaxReport;
  private readonly ctx: SafetyContext;
  private readonly by: string;

  constructor(
    private readonly db: RunDb,
    private readonly s: AjaxSettings,
  ) {
    this.report = new AjaxReport(s.production, s.log, s.warn ?? s.log);
    this.ctx = {
      hostname: s.hostname,
      liveHost: s.hostname === s.liveHost,
      ...(s.hostAliases ? { hostAliases: s.hostAliases } : {}),
    };
    this.by = `ajax.${s.hostname}`;
  }

  private get now(): Date {
    return this.s.now ? this.s.now() : new Date();
  }

  private get isLiveHost(): boolean {
    return this.ctx.liveHost;
  }

  private isOurs(e: DataEntry): boolean {
    return e.host === this.s.hostname || (this.s.hostAliases ?? []).includes(e.host);
  }

  private async state(state: string): Promise<void> {
    // A dry run writes nothing, not even its heartbeat.
    if (this.s.production)
      await this.db.heartbeat({ host: this.s.hostname, program: 'ajax', pid: process.pid, state });
  }

  private async delete(entry: DataEntry, reason: string, named = false): Promise<void> {
    const o = await deleteCopy(this.db, this.ctx, {
      entry,
      reason,
      by: this.by,
      production: this.s.production,
      allowLastCopy: named && this.s.force,
      ...(this.s.confirm ? { confirm: this.s.confirm } : {}),
    });
    if (
      o.action === 'refused' &&
      o.entry &&
      !named &&
      /last copy|only (complete )?raw data/.test(o.why ?? '')
    ) {
      o.why += `; to delete it anyway: ajax --number ${o.entry.run}${entry.type === LIVE_TYPE ? ' --delete_live' : ''} --force --ask_confirm --production`;
    }
    this.report.deletion(o);
  }

  /** Non-raw types first: a run's raw copies are the last to go (and each checked). */
  private ordered(entries: readonly DataEntry[]): DataEntry[] {
    const rank = (e: DataEntry): number => (e.type === LIVE_TYPE ? 2 : isRawType(e.type) ? 1 : 0);
    return [...entries].sort((a, b) => rank(a) - rank(b) || a.id - b.id);
  }

  /** straxen's remove_run_from_host: this host's data of a run, or (deleteLive) its live_data. */
  async removeRun(number: number, deleteLive: boolean, reason = 'manual'): Promise<void> {
    const run = await this.db.getRun(number);
    this.report.lookedAt(number);
    const entries = (run?.data ?? []).filter((e) =>
      deleteLive ? e.type === LIVE_TYPE && e.host === LIVE_HOST : this.isOurs(e),
    );
    if (!entries.length) {
      this.report.note(
        `no registered ${deleteLive ? 'live_data' : 'data'} of run ${number} on ${deleteLive ? LIVE_HOST : this.s.hostname}`,
      );
      return;
    }
    for (const e of this.ordered(entries)) await this.delete(e, reason, true);
  }

  async cleanCeph(): Promise<void> {
    await this.state('clean_ceph');
    if (!this.isLiveHost) {
      this.report.note(`live_data is cleaned only on ${this.s.liveHost} (this is ${this.s.hostname})`);
      return;
    }
    for (const run of await this.db.listRuns(cephRuns(this.now), { withData: true })) {
      this.report.lookedAt(run.number);
      for (const e of run.data!.filter((d) => d.type === LIVE_TYPE)) await this.delete(e, 'clean ceph');
    }
  }

  async cleanAbandoned(live: boolean): Promise<void> {
    await this.state('clean_abandoned');
    if (live && !this.isLiveHost) return;
    for (const run of await this.db.listRuns(abandonedRuns(this.s.hostname, this.now, live), {
      withData: true,
    })) {
      this.report.lookedAt(run.number);
      const mine = run.data!.filter((e) =>
        live ? e.type === LIVE_TYPE && e.host === LIVE_HOST : this.isOurs(e),
      );
      for (const e of this.ordered(mine)) await this.delete(e, 'run abandoned');
    }
  }

  async cleanNonLatest(): Promise<void> {
    await this.state('clean_non_latest');
    for (const run of await this.db.listRuns(nonLatestRuns(this.s.hostname, this.now), { withData: true })) {
      this.report.lookedAt(run.number);
      for (const e of this.ordered(run.data!.filter((d) => this.isOurs(d))))
        await this.delete(e, 'non latest');
    }
  }

  /** Entries whose data is gone from disk (location and its _temp both missing). */
  async cleanDatabase(live: boolean): Promise<void> {
    await this.state('clean_database');
    if (live && !this.isLiveHost) return;
    for (const run of await this.db.listRuns(databaseRuns(this.s.hostname, this.now, live), {
      withData: true,
    })) {
      this.report.lookedAt(run.number);
      for (const e of run.data!) {
        const relevant = live ? e.type === LIVE_TYPE && e.host === LIVE_HOST : this.isOurs(e);
        if (!relevant) continue;
        const path = copyPath(e);
        if (existsSync(path) || existsSync(`${path}_temp`)) continue;
        await this.delete(e, 'data already gone from disk');
      }
    }
  }

  /**
   * Folders in `folder` that no entry of this host registers are moved to the unregistered
   * folder (never deleted). A folder changed within the last hour is left: it may be being written.
   */
  async cleanUnregistered(folder: string, state = 'clean_unregistered'): Promise<void> {
    await this.state(state);
    if (!existsSync(folder)) {
      this.report.note(`${folder} does not exist: nothing to look at`);
      return;
    }
    if (this.s.production)
      for (const t of removeTrash(folder)) this.report.note(`finished removing ${join(folder, t)}`);
    const byRun = new Map<number, string[]>();
    for (const name of readdirSync(folder).sort()) {
      if (isTrash(name) || !statSync(join(folder, name)).isDirectory()) continue;
      const key = parseFolderName(name.endsWith('_temp') ? name.slice(0, -5) : name);
      if (!key || !/^\d+$/.test(key.runId)) {
        this.report.note(`left ${join(folder, name)} alone: not a strax data folder of a run`);
        continue;
      }
      const n = Number(key.runId);
      byRun.set(n, [...(byRun.get(n) ?? []), name]);
    }
    const cutoff = this.now.getTime() - AJAX_TIMES.unregisteredGraceMs;
    for (const [number, names] of byRun) {
      this.report.lookedAt(number);
      const registered = new Set<string>();
      for (const e of await this.db.listData(number)) {
        if (!this.isOurs(e)) continue;
        registered.add(resolve(e.location));
        registered.add(resolve(`${e.location}_temp`));
      }
      for (const name of names) {
        const path = join(folder, name);
        if (registered.has(resolve(path))) continue;
        if (newestChange(path) > cutoff) {
          this.report.note(`left ${path} alone for now: unregistered but changed within the last hour`);
          continue;
        }
        await this.moveUnregistered(path, name);
      }
    }
  }

  private async moveUnregistered(path: string, name: string): Promise<void> {
    const dest = join(this.s.folders.unregistered, name);
    if (existsSync(dest)) {
      this.report.refuse(
        path,
        `unregistered, but ${dest} already exists; move or remove one of them by hand`,
      );
      return;
    }
    const bytes = folderBytes(path);
    if (this.s.production) {
      if (this.s.confirm && !(await this.s.confirm(`move unregistered ${path} to ${dest}?`))) {
        this.report.note(`skipped ${path}: not confirmed`);
        return;
      }
      moveFolder(path, dest);
    }
    this.report.moved(path, dest, bytes);
  }

  /** Processed folders of an outdated lineage, of runs done and transferred: only that copy goes. */
  async cleanOldHash(): Promise<void> {
    await this.state('clean_old_hash');
    const folder = this.s.folders.processed;
    const current = this.s.currentLineageHash;
    if (!current) throw new Error('old_hash needs the current lineage hashes (a processing context)');
    if (!existsSync(folder)) return;
    for (const name of readdirSync(folder).sort()) {
      if (name.endsWith('_temp') || isTrash(name)) continue;
      const key = parseFolderName(name);
      if (!key || !/^\d+$/.test(key.runId) || LOW_LEVEL_TYPES.test(key.dataType)) continue;
      const hash = current(key.runId, key.dataType);
      if (hash === undefined) {
        this.report.note(`left ${name} alone: ${key.dataType} is not a data type of this software`);
        continue;
      }
      if (hash === key.lineageHash) continue;
      const number = Number(key.runId);
      this.report.lookedAt(number);
      const path = resolve(folder, name);
      const [run] = await this.db.listRuns(oldHashRun(number, this.s.hostname, key.dataType, this.now), {
        withData: true,
      });
      const entry = run?.data?.find((e) => this.isOurs(e) && resolve(e.location) === path);
      if (!entry) {
        this.report.note(
          `left ${name} alone: old lineage, but not registered here for a run done and transferred`,
        );
        continue;
      }
      await this.delete(entry, 'old lineage hash');
    }
  }

  /** One pass of a mode (straxen's dispatch; `all` as its loop body). */
  async clean(mode: AjaxMode): Promise<void> {
    const live = this.isLiveHost;
    switch (mode) {
      case 'ceph':
        return this.cleanCeph();
      case 'abandoned':
        await this.cleanAbandoned(false);
        if (live) await this.cleanAbandoned(true);
        return;
      case 'non_latest':
        return this.cleanNonLatest();
      case 'database':
        await this.cleanDatabase(false);
        if (live) await this.cleanDatabase(true);
        return;
      case 'unregistered':
        return this.cleanUnregistered(this.s.folders.preProcessed);
      case 'production':
        return this.cleanUnregistered(this.s.folders.processed, 'clean_production');
      case 'old_hash':
        return this.cleanOldHash();
      case 'all':
        if (live) {
          await this.cleanCeph();
          await this.cleanAbandoned(true);
        }
        await this.cleanAbandoned(false);
        await this.cleanNonLatest();
        return;
    }
  }
}

/** Latest modification time (ms) of a folder and the files directly in it. */
function newestChange(path: string): number {
  let t = statSync(path).mtimeMs;
  for (const f of readdirSync(path)) t = Math.max(t, statSync(join(path, f)).mtimeMs);
  return t;
}
