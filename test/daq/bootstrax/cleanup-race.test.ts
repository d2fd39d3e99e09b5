// Several hosts run their periodic clean-up at the same moment on one database: a stale claim
// is failed by exactly one of them (one failure counted, one log line), on SQLite and PostgreSQL.

import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openRunDb } from '../../../src/rundb/rundb.js';
import { freshPgDatabase } from '../../helpers/rundb.js';
import { tempDir } from '../../helpers/tmp.js';

const WORKER = fileURLToPath(new URL('./cleanup-worker.ts', import.meta.url));
const HOSTS = ['eb3', 'eb4', 'eb5'];

type Reply = { ready?: true; log?: string; error?: string };

async function race(url: string, out: string): Promise<Reply[]> {
  const kids = HOSTS.map((h) =>
    fork(WORKER, [url, h, out], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const replies = kids.map((k) => {
    const msgs: Reply[] = [];
    const waiters: ((r: Reply) => void)[] = [];
    k.on('message', (m) => {
      const w = waiters.shift();
      if (w) w(m as Reply);
      else msgs.push(m as Reply);
    });
    return () => new Promise<Reply>((r) => (msgs.length ? r(msgs.shift()!) : waiters.push(r)));
  });
  for (const next of replies) expect(await next()).toEqual({ ready: true });
  for (const k of kids) k.send('go');
  return Promise.all(replies.map((next) => next()));
}

describe.each(['sqlite', 'postgres'] as const)('clean-up race on %s', (dialect) => {
  it('fails each stale claim exactly once', async () => {
    const dir = tempDir('straxts-bx-race-');
    const pg = dialect === 'postgres' ? await freshPgDatabase('race') : null;
    const url = pg ? pg.url : `sqlite:${join(dir, 'rundb.sqlite')}`;
    try {
      const db = await openRunDb(url);
      const old = new Date(Date.now() - 3_600_000);
      for (let n = 1; n <= 20; n++) {
        await db.insertRun({ number: n, start: new Date(Date.UTC(2026, 0, 1, 0, n)), end: new Date() });
        await db.claimRun('eb9', { number: n, states: [null] }, old);
        if (n % 2) await db.setBootstraxState(n, 'eb9', 'busy', { now: old });
      }
      const replies = await race(url, dir);
      for (const r of replies) expect(r.error).toBeUndefined();
      const runs = await db.listRuns({ minNumber: 1, maxNumber: 20 });
      for (const r of runs) expect(r.bootstrax).toMatchObject({ state: 'failed', nFailures: 1 });
      const lines = replies.flatMap((r) => (r.log ?? '').split('\n').filter((l) => / -> failed /.test(l)));
      expect(lines).toHaveLength(20);
      await db.close();
    } finally {
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
