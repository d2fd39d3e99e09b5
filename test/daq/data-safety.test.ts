// data-safety: what counts as another copy, and the check + unregistration being one
// transaction (two deleters racing for a run's last two copies leave one), on both databases.

import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteCopy, inspectCopy, whyKeep, type SafetyContext } from '../../src/daq/data-safety.js';
import { DB_TARGETS } from '../helpers/rundb.js';
import {
  HOST,
  addRun,
  registerFolder,
  registerLive,
  writeDataFolder,
  writeLive,
} from './helpers/daq-state.js';
import { daqCaseEach } from '../helpers/daq.js';

const WORKER = fileURLToPath(new URL('./helpers/delete-worker.ts', import.meta.url));

function spawnWorker(args: string[]): { child: ChildProcess; next(): Promise<unknown> } {
  const child = fork(WORKER, args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue: unknown[] = [];
  const waiting: ((m: unknown) => void)[] = [];
  child.on('message', (m) => (waiting.length ? waiting.shift()!(m) : queue.push(m)));
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w({ error: `worker exited with ${code}` });
  });
  return { child, next: () => new Promise((r) => (queue.length ? r(queue.shift()) : waiting.push(r))) };
}

const CTX: SafetyContext = { hostname: HOST, liveHost: true, hostAliases: ['eb3'] };

describe.each(DB_TARGETS)('data safety on $dialect', (target) => {
  const c = daqCaseEach(target);

  const req = (entry: Parameters<typeof deleteCopy>[2]['entry'], production = true) => ({
    entry,
    reason: 'test',
    by: 'test',
    production,
  });

  it('two entries naming one folder are one copy, not two', async () => {
    await addRun(c.db, { number: 1 });
    const rr = await writeDataFolder(c.folders.preProcessed, 1, 'raw_records', 'aaaaaaaaaa');
    const a = await registerFolder(c.db, 1, HOST, rr, 'raw_records', 'aaaaaaaaaa');
    await registerFolder(c.db, 1, 'eb3', `${rr}/`, 'raw_records', 'aaaaaaaaaa');
    const o = await deleteCopy(c.db, CTX, req(a));
    expect(o.action).toBe('refused');
    expect(existsSync(rr)).toBe(true);
    expect(await c.db.listData(1)).toHaveLength(2);
  });

  it('an incomplete or failed copy protects nothing; an entry with nothing on disk may always go', async () => {
    await addRun(c.db, { number: 2 });
    const good = await writeDataFolder(c.folders.preProcessed, 2, 'raw_records', 'aaaaaaaaaa');
    const failed = await writeDataFolder(c.folders.processed, 2, 'raw_records', 'bbbbbbbbbb', {
      state: 'failed',
    });
    const temp = await writeDataFolder(c.folders.unregistered, 2, 'raw_records', 'cccccccccc', {
      state: 'temp',
    });
    const eGood = await registerFolder(c.db, 2, HOST, good, 'raw_records', 'aaaaaaaaaa');
    const eFailed = await registerFolder(c.db, 2, HOST, failed, 'raw_records', 'bbbbbbbbbb');
    const eTemp = await registerFolder(c.db, 2, HOST, temp, 'raw_records', 'cccccccccc');
    const states = [eGood, eFailed, eTemp].map((e) => inspectCopy(e, CTX));
    expect(states.map((s) => s.verified)).toEqual([true, false, false]);
    expect(states[2]!.folders).toEqual([`${temp}_temp`]);
    // The good copy is the only complete one: kept. The broken ones may go (the good one stays).
    expect(whyKeep(states[0]!, states)).toMatch(/last copy of raw_records/);
    expect(whyKeep(states[1]!, states)).toBeNull();
    expect((await deleteCopy(c.db, CTX, req(eTemp))).action).toBe('deleted');
    expect(existsSync(`${temp}_temp`)).toBe(false);
    // A chunk file missing makes a copy incomplete.
    const chunk = readdirSync(good).find((f) => /-000001$/.test(f))!;
    rmSync(join(good, chunk));
    expect(inspectCopy(eGood, CTX).verified).toBe(false);
    // Nothing on disk: unregistering loses nothing.
    rmSync(failed, { recursive: true });
    expect((await deleteCopy(c.db, CTX, req(eFailed))).action).toBe('deleted');
  });

  it('two processes racing to delete the last two raw copies of a run leave one', async () => {
    for (let round = 0; round < 3; round++) {
      const n = 10 + round;
      await addRun(c.db, { number: n });
      writeLive(c.folders.live, n);
      const live = await registerLive(c.db, n, c.folders.live);
      const rr = await writeDataFolder(c.folders.preProcessed, n, 'raw_records', 'aaaaaaaaaa');
      const raw = await registerFolder(c.db, n, HOST, rr, 'raw_records', 'aaaaaaaaaa');
      const workers = [live, raw].map((e) => spawnWorker([c.url, String(n), String(e.id), HOST]));
      try {
        for (const w of workers) expect(await w.next()).toEqual({ ready: true });
        for (const w of workers) w.child.send('go');
        const actions = [];
        for (const w of workers) actions.push(((await w.next()) as { action: string }).action);
        expect(actions.sort()).toEqual(['deleted', 'refused']);
      } finally {
        for (const w of workers) w.child.kill();
      }
      const left = await c.db.listData(n);
      expect(left).toHaveLength(1);
      expect(inspectCopy(left[0]!, CTX).verified).toBe(true);
    }
  }, 120_000);

  it('a dry run decides as production would and changes nothing', async () => {
    await addRun(c.db, { number: 3 });
    const rr = await writeDataFolder(c.folders.preProcessed, 3, 'raw_records', 'aaaaaaaaaa');
    const e = await registerFolder(c.db, 3, HOST, rr, 'raw_records', 'aaaaaaaaaa');
    expect((await deleteCopy(c.db, CTX, req(e, false))).action).toBe('refused');
    expect((await deleteCopy(c.db, CTX, { ...req(e, false), allowLastCopy: true })).action).toBe(
      'would-delete',
    );
    expect(existsSync(rr)).toBe(true);
    expect(await c.db.listDeletedData(3)).toEqual([]);
    const o = await deleteCopy(c.db, CTX, { ...req(e), allowLastCopy: true });
    expect(o).toMatchObject({ action: 'deleted', forced: true });
    expect(existsSync(rr)).toBe(false);
    expect(readdirSync(c.folders.preProcessed)).toEqual([]); // no trash left behind
  });
});
