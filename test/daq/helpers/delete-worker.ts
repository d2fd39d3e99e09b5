// Child process for the race test: `URL RUN ENTRY_ID HOST` opens the database, waits for "go",
// then deletes that copy through data-safety and reports the action.

import { deleteCopy } from '../../../src/daq/data-safety.js';
import { openRunDb } from '../../../src/rundb/rundb.js';

const [url, run, id, host] = process.argv.slice(2) as [string, string, string, string];

async function main(): Promise<void> {
  const db = await openRunDb(url);
  try {
    const entry = (await db.listData(Number(run))).find((e) => e.id === Number(id));
    if (!entry) throw new Error(`no entry ${id}`);
    process.send!({ ready: true });
    await new Promise((r) => process.once('message', r));
    const o = await deleteCopy(
      db,
      { hostname: host, liveHost: true },
      { entry, reason: 'race', by: 'race', production: true },
    );
    process.send!({ action: o.action });
  } finally {
    await db.close();
  }
}

main().then(
  () => process.disconnect(),
  (e: unknown) => {
    process.send!({ error: e instanceof Error ? e.message : String(e) });
    process.disconnect();
  },
);
