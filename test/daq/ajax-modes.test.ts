// Each ajax mode on a built database + disk state, on SQLite and PostgreSQL: exactly what it
// deletes, moves, keeps and unregisters; and its dry run changes nothing.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajax } from '../../src/daq/ajax/ajax.js';
import type { AjaxMode, AjaxSettings } from '../../src/daq/ajax/settings.js';
import { RUCIO_HOST } from '../../src/storage/rundb-frontend.js';
import { DB_TARGETS } from '../helpers/rundb.js';
import {
  HOST,
  LIVE_HOST_NAME,
  NOW,
  OTHER_HOST,
  addRun,
  age,
  hashDatabase,
  hashFolder,
  hoursAgo,
  registerFolder,
  registerLive,
  writeDataFolder,
  writeLive,
} from './helpers/daq-state.js';
import { daqCaseEach } from '../helpers/daq.js';

describe.each(DB_TARGETS)('ajax modes on $dialect', (target) => {
  const c = daqCaseEach(target);

  const settings = (host: string, production: boolean, extra: Partial<AjaxSettings> = {}): AjaxSettings => ({
    hostname: host,
    liveHost: LIVE_HOST_NAME,
    folders: c.folders,
    production,
    force: false,
    now: () => NOW,
    log: () => undefined,
    ...extra,
  });

  /** Dry run first (must change nothing), then production; returns the production ajax. */
  async function dryThenProduction(
    host: string,
    mode: AjaxMode,
    extra: Partial<AjaxSettings> = {},
  ): Promise<Ajax> {
    const before = [hashFolder(c.root), await hashDatabase(c.db)];
    const dry = new Ajax(c.db, settings(host, false, extra));
    await dry.clean(mode);
    expect([hashFolder(c.root), await hashDatabase(c.db)]).toEqual(before);
    const prod = new Ajax(c.db, settings(host, true, extra));
    await prod.clean(mode);
    // The dry run announced exactly what production did.
    expect(dry.report.removedEntries).toBe(prod.report.removedEntries);
    expect(dry.report.deletedFolders).toBe(prod.report.deletedFolders);
    expect(dry.report.movedFolders).toBe(prod.report.movedFolders);
    expect(dry.report.bytesFreed).toBe(prod.report.bytesFreed);
    expect(dry.report.refusals).toEqual(prod.report.refusals);
    return prod;
  }

  const types = async (run: number) => (await c.db.listData(run)).map((e) => `${e.type}@${e.host}`).sort();

  it('ceph: deletes live_data of transferred runs only while a complete raw_records copy exists', async () => {
    // 1: processed, transferred, raw_records complete on disk -> live goes.
    // 2: the raw_records entry points to nothing -> live kept (refused).
    // 3: raw_records only as a transferred Rucio replica -> live goes.
    // 4: not transferred; 5: started 10 h ago -> not looked at.
    // 6: raw_records only on another eventbuilder (cannot be checked from here) -> live kept.
    for (const n of [1, 2, 3, 4, 5, 6]) {
      await addRun(c.db, {
        number: n,
        status: n === 4 ? 'eb_ready_to_upload' : 'transferred',
        ...(n === 5 ? { start: hoursAgo(10) } : {}),
      });
      writeLive(c.folders.live, n);
      await registerLive(c.db, n, c.folders.live);
    }
    const rr1 = await writeDataFolder(c.folders.processed, 1, 'raw_records', 'aaaaaaaaaa');
    await registerFolder(c.db, 1, LIVE_HOST_NAME, rr1, 'raw_records', 'aaaaaaaaaa');
    const rr6 = await writeDataFolder(c.folders.processed, 6, 'raw_records', 'aaaaaaaaaa');
    await registerFolder(c.db, 6, HOST, rr6, 'raw_records', 'aaaaaaaaaa');
    await registerFolder(
      c.db,
      2,
      LIVE_HOST_NAME,
      join(c.folders.processed, '000002-raw_records-aaaaaaaaaa'),
      'raw_records',
      'aaaaaaaaaa',
    );
    await c.db.registerData({
      run: 3,
      type: 'raw_records',
      host: RUCIO_HOST,
      location: 'UC_DALI_USERDISK',
      lineageHash: 'aaaaaaaaaa',
      status: 'transferred',
    });

    // Another host never touches live_data.
    const other = new Ajax(c.db, settings(HOST, true));
    await other.clean('ceph');
    expect(other.report.removedEntries).toBe(0);

    const a = await dryThenProduction(LIVE_HOST_NAME, 'ceph');
    expect(existsSync(join(c.folders.live, '000001'))).toBe(false);
    expect(existsSync(join(c.folders.live, '000003'))).toBe(false);
    for (const n of [2, 4, 5, 6])
      expect(existsSync(join(c.folders.live, String(n).padStart(6, '0')))).toBe(true);
    expect(await types(1)).toEqual([`raw_records@${LIVE_HOST_NAME}`]);
    expect(await types(2)).toEqual(['live@daq', `raw_records@${LIVE_HOST_NAME}`]);
    expect(await types(6)).toEqual(['live@daq', `raw_records@${HOST}`]);
    expect(a.report.refusals.map((r) => r.why)).toEqual([
      expect.stringMatching(/only complete raw data of run 000002/),
      expect.stringMatching(/only complete raw data of run 000006/),
    ]);
    const del = await c.db.listDeletedData(1);
    expect(del).toHaveLength(1);
    expect(del[0]).toMatchObject({
      type: 'live',
      host: 'daq',
      by: `ajax.${LIVE_HOST_NAME}`,
      reason: 'clean ceph',
    });
    expect(existsSync(rr1)).toBe(true);
  });

  it("abandoned: deletes an abandoned run's data but never its last raw copy", async () => {
    await addRun(c.db, { number: 10, state: 'abandoned' });
    await addRun(c.db, { number: 11, state: 'abandoned' });
    writeLive(c.folders.live, 10);
    await registerLive(c.db, 10, c.folders.live);
    const made: Record<string, string> = {};
    for (const n of [10, 11]) {
      for (const t of ['peaklets', 'raw_records']) {
        made[`${n}${t}`] = await writeDataFolder(c.folders.preProcessed, n, t, 'bbbbbbbbbb');
        await registerFolder(c.db, n, HOST, made[`${n}${t}`]!, t, 'bbbbbbbbbb');
      }
    }
    const a = await dryThenProduction(HOST, 'abandoned');
    // Run 10 keeps its live_data; its processed data goes (raw_records too: live_data is there).
    expect(await types(10)).toEqual(['live@daq']);
    expect(existsSync(made['10peaklets']!) || existsSync(made['10raw_records']!)).toBe(false);
    // Run 11 had no live_data: its raw_records are its last copy and stay.
    expect(await types(11)).toEqual([`raw_records@${HOST}`]);
    expect(existsSync(made['11raw_records']!)).toBe(true);
    expect(existsSync(made['11peaklets']!)).toBe(false);
    expect(a.report.refusals.map((r) => r.why)).toEqual([
      expect.stringMatching(/last copy of raw_records of run 000011/),
    ]);
    expect((await c.db.listDeletedData(10)).map((d) => d.reason)).toEqual(['run abandoned', 'run abandoned']);

    // On the live host: run 10's live_data is now its only raw data -> kept, and said so.
    const live = await dryThenProduction(LIVE_HOST_NAME, 'abandoned');
    expect(await types(10)).toEqual(['live@daq']);
    expect(live.report.refusals.some((r) => /only raw data of run 000010/.test(r.why))).toBe(true);
  });

  it('non_latest: removes leftovers of runs another host finished, raw_records only with a verified copy elsewhere', async () => {
    for (const n of [20, 21]) {
      await addRun(c.db, { number: n, status: 'transferred', bootstraxHost: OTHER_HOST });
      for (const t of ['peaklets', 'raw_records']) {
        const p = await writeDataFolder(c.folders.preProcessed, n, t, 'cccccccccc', {
          state: t === 'peaklets' ? 'temp' : 'complete',
        });
        await registerFolder(c.db, n, HOST, p, t, 'cccccccccc');
        await registerFolder(
          c.db,
          n,
          OTHER_HOST,
          join('/data/xenonnt_processed', `${String(n).padStart(6, '0')}-${t}-cccccccccc`),
          t,
          'cccccccccc',
        );
      }
    }
    await c.db.registerData({
      run: 20,
      type: 'raw_records',
      host: RUCIO_HOST,
      location: 'UC_OSG_USERDISK',
      lineageHash: 'cccccccccc',
      status: 'transferred',
    });
    // A run this host finished itself is not looked at.
    await addRun(c.db, { number: 22, status: 'transferred' });
    const p22 = await writeDataFolder(c.folders.preProcessed, 22, 'peaklets', 'cccccccccc');
    await registerFolder(c.db, 22, HOST, p22, 'peaklets', 'cccccccccc');

    const a = await dryThenProduction(HOST, 'non_latest');
    expect(await types(20)).toEqual([
      `peaklets@${OTHER_HOST}`,
      `raw_records@${OTHER_HOST}`,
      `raw_records@${RUCIO_HOST}`,
    ]);
    // Run 21: the other host's copy cannot be checked from here -> raw_records kept; the rest goes
    // (straxen would have stopped the whole mode at this run).
    expect(await types(21)).toEqual([
      `peaklets@${OTHER_HOST}`,
      `raw_records@${OTHER_HOST}`,
      `raw_records@${HOST}`,
    ]);
    expect(existsSync(join(c.folders.preProcessed, '000021-peaklets-cccccccccc_temp'))).toBe(false);
    expect(existsSync(join(c.folders.preProcessed, '000021-raw_records-cccccccccc'))).toBe(true);
    expect(existsSync(p22)).toBe(true);
    expect(a.report.refusals).toHaveLength(1);
  });

  it('database: unregisters entries whose data is gone, keeps those with data or an unfinished _temp', async () => {
    await addRun(c.db, { number: 30 });
    const gone = await registerFolder(
      c.db,
      30,
      HOST,
      join(c.folders.preProcessed, '000030-peaklets-dddddddddd'),
      'peaklets',
      'dddddddddd',
    );
    const goneRaw = await registerFolder(
      c.db,
      30,
      HOST,
      join(c.folders.preProcessed, '000030-raw_records-dddddddddd'),
      'raw_records',
      'dddddddddd',
    );
    const temp = await writeDataFolder(c.folders.preProcessed, 30, 'event_info', 'dddddddddd', {
      state: 'temp',
    });
    await registerFolder(c.db, 30, HOST, temp, 'event_info', 'dddddddddd');
    const here = await writeDataFolder(c.folders.preProcessed, 30, 'peak_basics', 'dddddddddd');
    await registerFolder(c.db, 30, HOST, here, 'peak_basics', 'dddddddddd');
    // live_data entry of a run whose live folder is gone (straxen never catches this one).
    await registerLive(c.db, 30, c.folders.live);

    await dryThenProduction(HOST, 'database');
    expect(await types(30)).toEqual(['event_info@' + HOST, 'live@daq', 'peak_basics@' + HOST]);
    expect((await c.db.listDeletedData(30)).map((d) => d.type).sort()).toEqual(
      [gone.type, goneRaw.type].sort(),
    );
    await dryThenProduction(LIVE_HOST_NAME, 'database');
    expect(await types(30)).toEqual(['event_info@' + HOST, 'peak_basics@' + HOST]);
  });

  it('unregistered and production: move c.folders nobody registered, keep registered and recent ones', async () => {
    await addRun(c.db, { number: 40 });
    const reg = await writeDataFolder(c.folders.preProcessed, 40, 'peaklets', 'eeeeeeeeee');
    await registerFolder(c.db, 40, HOST, reg, 'peaklets', 'eeeeeeeeee');
    const regTemp = await writeDataFolder(c.folders.preProcessed, 40, 'raw_records', 'eeeeeeeeee', {
      state: 'temp',
    });
    await registerFolder(c.db, 40, HOST, regTemp, 'raw_records', 'eeeeeeeeee');
    // Registered for another host only: unregistered here.
    const foreign = await writeDataFolder(c.folders.preProcessed, 40, 'event_info', 'eeeeeeeeee');
    await registerFolder(c.db, 40, OTHER_HOST, foreign, 'event_info', 'eeeeeeeeee');
    const orphan = await writeDataFolder(c.folders.preProcessed, 41, 'peaklets', 'eeeeeeeeee'); // no run doc at all
    const fresh = await writeDataFolder(c.folders.preProcessed, 42, 'peaklets', 'eeeeeeeeee');
    const inProcessed = await writeDataFolder(c.folders.processed, 43, 'peaklets', 'eeeeeeeeee');
    for (const p of [reg, `${regTemp}_temp`, foreign, orphan, inProcessed]) age(p, 2);
    const before = hashFolder(orphan);

    const a = await dryThenProduction(HOST, 'unregistered');
    expect(a.report.movedFolders).toBe(2);
    for (const p of [reg, `${regTemp}_temp`, fresh, inProcessed]) expect(existsSync(p)).toBe(true);
    for (const p of [foreign, orphan]) expect(existsSync(p)).toBe(false);
    expect(hashFolder(join(c.folders.unregistered, '000041-peaklets-eeeeeeeeee'))).toBe(before);
    expect(await types(40)).toEqual([`event_info@${OTHER_HOST}`, `peaklets@${HOST}`, `raw_records@${HOST}`]);

    const p = await dryThenProduction(HOST, 'production');
    expect(p.report.movedFolders).toBe(1);
    expect(existsSync(join(c.folders.unregistered, '000043-peaklets-eeeeeeeeee'))).toBe(true);
  });

  it('old_hash: deletes only the outdated copy, never the current one nor low-level data', async () => {
    await addRun(c.db, { number: 50, status: 'transferred' });
    const current = (_run: string, type: string) =>
      type === 'unknown_type' ? undefined : `new${type.length}hash`.slice(0, 10).padEnd(10, 'x');
    const cur = current('000050', 'event_info')!;
    const old = await writeDataFolder(c.folders.processed, 50, 'event_info', 'oldoldoldo');
    const now = await writeDataFolder(c.folders.processed, 50, 'event_info', cur);
    const rrOld = await writeDataFolder(c.folders.processed, 50, 'raw_records', 'oldoldoldo');
    const unregOld = await writeDataFolder(c.folders.processed, 50, 'peak_basics', 'oldoldoldo');
    for (const [p, t, h] of [
      [old, 'event_info', 'oldoldoldo'],
      [now, 'event_info', cur],
      [rrOld, 'raw_records', 'oldoldoldo'],
    ] as const)
      await registerFolder(c.db, 50, HOST, p, t, h);

    await dryThenProduction(HOST, 'old_hash', { currentLineageHash: current });
    expect(existsSync(old)).toBe(false);
    for (const p of [now, rrOld, unregOld]) expect(existsSync(p)).toBe(true);
    const left = (await c.db.listData(50)).map((e) => `${e.type}-${e.lineageHash}`).sort();
    expect(left).toEqual([`event_info-${cur}`, 'raw_records-oldoldoldo']);
    expect(await c.db.listDeletedData(50)).toMatchObject([
      { type: 'event_info', lineageHash: 'oldoldoldo', reason: 'old lineage hash' },
    ]);
  });

  it('--number: removes a run from this host; a last raw copy only with --force', async () => {
    await addRun(c.db, { number: 60 });
    const pk = await writeDataFolder(c.folders.preProcessed, 60, 'peaklets', 'ffffffffff');
    const rr = await writeDataFolder(c.folders.preProcessed, 60, 'raw_records', 'ffffffffff');
    await registerFolder(c.db, 60, HOST, pk, 'peaklets', 'ffffffffff');
    await registerFolder(c.db, 60, HOST, rr, 'raw_records', 'ffffffffff');
    const plain = new Ajax(c.db, settings(HOST, true));
    await plain.removeRun(60, false);
    expect(existsSync(pk)).toBe(false);
    expect(existsSync(rr)).toBe(true);
    expect(plain.report.refusals[0]!.why).toMatch(/last copy/);
    const lines: string[] = [];
    const forced = new Ajax(c.db, settings(HOST, true, { force: true, log: (l) => lines.push(l) }));
    await forced.removeRun(60, false);
    expect(existsSync(rr)).toBe(false);
    expect(await c.db.listData(60)).toEqual([]);
    expect(lines.some((l) => /FORCED/.test(l))).toBe(true);
    expect((await c.db.listDeletedData(60)).map((d) => d.reason)).toEqual(['manual', 'manual']);
  });

  it('--number --delete_live: live_data goes once raw_records are safe, only on the live host', async () => {
    await addRun(c.db, { number: 70 });
    writeLive(c.folders.live, 70);
    await registerLive(c.db, 70, c.folders.live);
    const rr = await writeDataFolder(c.folders.preProcessed, 70, 'raw_records', 'gggggggggg', {
      state: 'failed',
    });
    await registerFolder(c.db, 70, LIVE_HOST_NAME, rr, 'raw_records', 'gggggggggg');
    const a = new Ajax(c.db, settings(LIVE_HOST_NAME, true));
    await a.removeRun(70, true);
    expect(a.report.refusals[0]!.why).toMatch(/only complete raw data/); // raw_records failed: not a copy
    expect(existsSync(join(c.folders.live, '000070'))).toBe(true);
    await writeDataFolder(c.folders.preProcessed, 70, 'raw_records', 'gggggggggg');
    const notLive = new Ajax(c.db, settings(HOST, true));
    await notLive.removeRun(70, true);
    expect(notLive.report.refusals[0]!.why).toMatch(/only on the live host/);
    const b = new Ajax(c.db, settings(LIVE_HOST_NAME, true));
    await b.removeRun(70, true);
    expect(existsSync(join(c.folders.live, '000070'))).toBe(false);
    expect(await types(70)).toEqual([`raw_records@${LIVE_HOST_NAME}`]);
  });
});
