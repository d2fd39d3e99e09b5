// Cleaning against a real SQLite runs database and real folders.

import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cleanRunOnHost,
  deleteLiveData,
  failUnfinishedEntries,
  liveDeletionRefusal,
  sweepUnregistered,
} from '../../../src/daq/bootstrax/cleaning.js';
import { processStart } from '../../../src/storage/write-lock.js';
import { openRunDb, type RunDb } from '../../../src/rundb/rundb.js';
import { tempDir } from '../../helpers/tmp.js';

let dir: string;
let db: RunDb;
const RUN = 4321;
const RUN_ID = '004321';

function folder(root: string, name: string, temp = false): string {
  const p = join(root, name + (temp ? '_temp' : ''));
  mkdirSync(p, { recursive: true });
  writeFileSync(join(p, 'chunk'), 'x');
  return join(root, name);
}

beforeEach(async () => {
  dir = tempDir('straxts-bx-clean-');
  db = await openRunDb(`sqlite:${join(dir, 'rundb.sqlite')}`);
  await db.insertRun({
    number: RUN,
    start: new Date(),
    data: [{ type: 'live', host: 'daq', location: join(dir, 'live') }],
  });
  // a complete live_data copy: the run folder with its THE_END
  folder(join(dir, 'live', RUN_ID), 'THE_END');
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function register(type: string, host: string, temp = false): Promise<string> {
  const loc = folder(join(dir, host), `${RUN_ID}-${type}-abc`, temp);
  await db.registerData({ run: RUN, type, host, location: loc, lineageHash: 'abc' });
  return loc;
}

describe('bootstrax cleaning', () => {
  it('removes this host’s copies (finished or _temp) and records them; other hosts’ stay', async () => {
    const a = await register('raw_records', 'eb3');
    const b = await register('peaklets', 'eb3', true);
    const c = await register('raw_records', 'eb4');
    const r = await cleanRunOnHost(db, RUN, 'eb3', 'retry');
    expect(r.deleted.sort()).toEqual([a, b].sort());
    expect(existsSync(a) || existsSync(`${b}_temp`)).toBe(false);
    expect(existsSync(c)).toBe(true);
    expect((await db.listData(RUN)).map((e) => `${e.type}@${e.host}`).sort()).toEqual([
      'live@daq',
      'raw_records@eb4',
    ]);
    expect((await db.listDeletedData(RUN)).map((d) => d.type).sort()).toEqual(['peaklets', 'raw_records']);
  });

  it('keeps raw_records once the live_data is gone (they may be the only copy)', async () => {
    const raw = await register('raw_records', 'eb3');
    const he = await register('raw_records_he', 'eb3');
    const pk = await register('peaklets', 'eb3');
    rmSync(join(dir, 'live', RUN_ID), { recursive: true });
    const r = await cleanRunOnHost(db, RUN, 'eb3', 'failed');
    expect(r.deleted).toEqual([pk]);
    expect(existsSync(raw) && existsSync(he)).toBe(true);
    expect(r.kept).toHaveLength(2);
  });

  it('keeps raw_records while the live_data is not complete yet (no THE_END)', async () => {
    const raw = await register('raw_records', 'eb3', true);
    const pk = await register('peaklets', 'eb3', true);
    rmSync(join(dir, 'live', RUN_ID, 'THE_END'), { recursive: true });
    const r = await cleanRunOnHost(db, RUN, 'eb3', 'failed');
    expect(r.deleted).toEqual([pk]);
    expect(existsSync(`${raw}_temp`)).toBe(true);
    expect(r.kept[0]).toMatch(/kept raw_records: last copy/);
  });

  it('live_data may go only when the read-back rows equal what the DAQReader read', () => {
    const ok = {
      production: true,
      deleteLive: true,
      checksPassed: true,
      readFromLive: new Map([['raw_records', 10]]),
      readBack: new Map([['raw_records', 10]]),
    };
    expect(liveDeletionRefusal(ok)).toBeNull();
    expect(liveDeletionRefusal({ ...ok, readBack: new Map([['raw_records', 9]]) })).toMatch(
      /9 rows read back/,
    );
    expect(liveDeletionRefusal({ ...ok, readBack: new Map() })).toMatch(/nothing rows read back/);
    expect(liveDeletionRefusal({ ...ok, production: false })).toMatch(/test mode/);
    expect(liveDeletionRefusal({ ...ok, deleteLive: false })).toMatch(/delete_live/);
    expect(liveDeletionRefusal({ ...ok, checksPassed: false })).toMatch(/checks/);
    expect(liveDeletionRefusal({ ...ok, readFromLive: new Map() })).toMatch(/no row counts/);
  });

  it('never deletes live_data that is the only complete raw data', async () => {
    await register('raw_records', 'eb3', true); // unfinished: not a copy to rely on
    const r = await deleteLiveData(db, RUN, 'eb3');
    expect(r.deleted).toEqual([]);
    expect(r.kept[0]).toMatch(/only complete raw data/);
    expect(existsSync(join(dir, 'live', RUN_ID))).toBe(true);
    expect(await db.listData(RUN, { type: 'live' })).toHaveLength(1);
  });

  it('after a stop, sweeps unregistered _temp folders of the run (not raw ones, not locked ones)', async () => {
    const out = join(dir, 'eb3');
    const registered = await register('peaks', 'eb3', true);
    folder(out, `${RUN_ID}-merged_s2s-abc`, true); // created, killed before it was registered
    folder(out, `${RUN_ID}-raw_records-abc`, true); // raw: the next attempt writes over it
    folder(out, `${RUN_ID}-events-abc`, true); // its writer still runs
    writeFileSync(join(out, `.${RUN_ID}-events-abc-lock`), JSON.stringify(ownLock()));
    folder(out, `${RUN_ID}-peak_basics-abc`, true); // its writer was killed
    writeFileSync(
      join(out, `.${RUN_ID}-peak_basics-abc-lock`),
      JSON.stringify({ ...ownLock(), pid: 2 ** 22 + 1 }),
    );
    folder(out, `000001-peaks-abc`, true); // another run
    const locations = new Set((await db.listData(RUN)).map((e) => e.location));
    const removed = sweepUnregistered(out, RUN_ID, locations).map((p) => p.slice(out.length + 1));
    expect(removed.sort()).toEqual([`${RUN_ID}-merged_s2s-abc_temp`, `${RUN_ID}-peak_basics-abc_temp`]);
    expect(readdirSync(out).sort()).toEqual(
      [
        `.${RUN_ID}-events-abc-lock`,
        '000001-peaks-abc_temp',
        `${RUN_ID}-events-abc_temp`,
        `${RUN_ID}-peaks-abc_temp`,
        `${RUN_ID}-raw_records-abc_temp`,
      ].sort(),
    );
    expect(existsSync(`${registered}_temp`)).toBe(true);
  });

  it("marks this host's entries still being written as failed", async () => {
    await register('raw_records', 'eb3', true);
    await register('peaks', 'eb4', true);
    expect(await failUnfinishedEntries(db, RUN, 'eb3')).toEqual(['raw_records']);
    const status = Object.fromEntries((await db.listData(RUN)).map((e) => [`${e.type}@${e.host}`, e.status]));
    expect(status).toMatchObject({ 'raw_records@eb3': 'failed', 'peaks@eb4': null });
  });
});

function ownLock(): Record<string, unknown> {
  return { host: hostname(), pid: process.pid, pidStart: processStart(process.pid), since: '', nonce: 'n' };
}
