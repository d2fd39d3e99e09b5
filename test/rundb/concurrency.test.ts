import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openRunDb } from '../../src/rundb/rundb.js';
import { DB_TARGETS } from '../helpers/rundb.js';

const WORKER = fileURLToPath(new URL('./claim-worker.ts', import.meta.url));
const N_WORKERS = 4;

type Reply = { ready?: true; ok?: true; claimed?: number[]; error?: string };

function spawn(args: string[]): { child: ChildProcess; next(): Promise<Reply> } {
  const child = fork(WORKER, args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue: Reply[] = [];
  const waiting: ((r: Reply) => void)[] = [];
  child.on('message', (m) => {
    const w = waiting.shift();
    if (w) w(m as Reply);
    else queue.push(m as Reply);
  });
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w({ error: `worker exited with code ${code}` });
  });
  return {
    child,
    next: () =>
      new Promise((resolve) => {
        const q = queue.shift();
        if (q) resolve(q);
        else waiting.push(resolve);
      }),
  };
}

describe.each(DB_TARGETS)('several processes on one $dialect runs database', (target) => {
  it('claim every run exactly once', async () => {
    const { url, drop } = target.fresh();
    try {
      const db = await openRunDb(url);
      const numbers: number[] = [];
      for (let i = 0; i < 60; i++) {
        numbers.push(100 + i);
        await db.insertRun({ number: 100 + i, start: new Date(Date.UTC(2024, 0, 1) + i * 60_000) });
      }
      // a few failed runs whose retry is due
      for (const n of [105, 140, 151]) {
        await db.claimRun('setup', { number: n, states: [null] });
        await db.markFailed(n, 'setup', 'test failure', { now: new Date(Date.now() - 3_600_000) });
      }
      const workers = Array.from({ length: N_WORKERS }, (_, i) => spawn(['claim', url, `eb${i}`]));
      for (const w of workers) expect(await w.next()).toEqual({ ready: true });
      for (const w of workers) w.child.send('go');
      const replies = await Promise.all(workers.map((w) => w.next()));
      for (const r of replies) expect(r.error).toBeUndefined();
      const all = replies.flatMap((r) => r.claimed!);
      expect(all.length).toBe(numbers.length);
      expect(new Set(all).size).toBe(numbers.length);
      expect([...all].sort((a, b) => a - b)).toEqual(numbers);
      // the database agrees on who did what
      const runs = await db.listRuns({ minNumber: 100, maxNumber: 199 });
      replies.forEach((r, i) => {
        for (const n of r.claimed!) {
          const run = runs.find((x) => x.number === n)!;
          expect(run.bootstrax.state).toBe('done');
          expect(run.bootstrax.host).toBe(`eb${i}`);
        }
      });
      await db.close();
    } finally {
      await drop();
    }
  }, 300_000);

  it('migrate a fresh database once when opened at the same moment', async () => {
    const { url, drop } = target.fresh();
    try {
      const workers = Array.from({ length: N_WORKERS }, () => spawn(['open', url]));
      await new Promise((r) => setTimeout(r, 1500)); // let every child load before "go"
      for (const w of workers) w.child.send('go');
      const replies = await Promise.all(workers.map((w) => w.next()));
      for (const r of replies) expect(r).toEqual({ ok: true });
      const versions = await appliedVersions(target.dialect, url);
      // Every migration applied, each once (an explicit list: a new migration must be added here).
      expect(versions).toEqual([1, 2, 3, 4]);
    } finally {
      await drop();
    }
  }, 300_000);
});

async function appliedVersions(dialect: string, url: string): Promise<number[]> {
  if (dialect === 'sqlite') {
    const h = new Database(url.replace(/^sqlite:/, ''), { readonly: true });
    try {
      return (
        h.prepare('select version from schema_migrations order by version').all() as { version: number }[]
      ).map((r) => r.version);
    } finally {
      h.close();
    }
  }
  const u = new URL(url);
  const schema = u.searchParams.get('schema')!;
  u.searchParams.delete('schema');
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    const r = await c.query(`select version from "${schema}".schema_migrations order by version`);
    return r.rows.map((x: { version: number }) => x.version);
  } finally {
    await c.end();
  }
}
