// Child process for the concurrency tests: `open URL` opens (and so migrates) the database;
// `claim URL HOST` claims runs like bootstrax until none is left. Both wait for "go" from the
// parent first, so all children hit the database at the same moment.

import { newRunsFilter, openRunDb, retryFilter, type RunDb } from '../../src/rundb/rundb.js';

const [mode, url, host] = process.argv.slice(2) as [string, string, string];

function waitForGo(): Promise<void> {
  return new Promise((resolve) => process.once('message', () => resolve()));
}

async function claimAll(db: RunDb): Promise<number[]> {
  const claimed: number[] = [];
  for (;;) {
    const run = (await db.claimRun(host, newRunsFilter())) ?? (await db.claimRun(host, retryFilter()));
    if (!run) return claimed;
    claimed.push(run.number);
    // Only the holder may move its run on; a lost claim would show up as undefined here.
    const busy = await db.setBootstraxState(run.number, host, 'busy', {
      mustHold: true,
      from: ['considering'],
    });
    if (!busy) throw new Error(`${host} lost its claim on run ${run.number}`);
    await db.setBootstraxState(run.number, host, 'done', { mustHold: true, from: ['busy'] });
  }
}

async function main(): Promise<void> {
  if (mode === 'open') {
    await waitForGo();
    const db = await openRunDb(url);
    await db.close();
    process.send!({ ok: true });
    return;
  }
  const db = await openRunDb(url);
  process.send!({ ready: true });
  await waitForGo();
  const claimed = await claimAll(db);
  await db.close();
  process.send!({ claimed });
}

main().then(
  () => process.disconnect(),
  (e: unknown) => {
    process.send!({ error: e instanceof Error ? e.message : String(e) });
    process.disconnect();
  },
);
