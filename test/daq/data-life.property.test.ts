// Property: over random DAQ states (runs in every bootstrax state and data-flow status, live
// data present, unfinished or gone, raw_records copies complete, unfinished, failed or missing
// on several hosts, Rucio replicas, unregistered folders) and random sequences of ajax (every
// mode, --number, --delete_live) and restrax calls by two hosts, every run that had a complete
// raw copy (live_data or raw_records) registered and on disk still has one.

import fc from 'fast-check';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajax } from '../../src/daq/ajax/ajax.js';
import { AJAX_MODES } from '../../src/daq/ajax/settings.js';
import { LIVE_TYPE, isCompleteFolder, runIdOf } from '../../src/daq/data-safety.js';
import type { DaqFolders } from '../../src/daq/daq-folders.js';
import { Restrax } from '../../src/daq/restrax/restrax.js';
import { openRunDb, type DataEntry, type RunDb } from '../../src/rundb/rundb.js';
import { RUCIO_HOST } from '../../src/storage/rundb-frontend.js';
import { DB_TARGETS } from '../helpers/rundb.js';
import {
  HOST,
  LIVE_HOST_NAME,
  NOW,
  OTHER_HOST,
  addRun,
  age,
  hoursAgo,
  registerLive,
  writeDataFolder,
  writeLive,
} from './helpers/daq-state.js';
import { makeFolders } from '../helpers/daq.js';

const LOCAL_HOSTS = [HOST, LIVE_HOST_NAME] as const;

const copyArb = fc.record({
  host: fc.constantFrom(HOST, LIVE_HOST_NAME, OTHER_HOST, RUCIO_HOST),
  place: fc.constantFrom('preProcessed', 'processed') as fc.Arbitrary<'preProcessed' | 'processed'>,
  state: fc.constantFrom('complete', 'temp', 'failed', 'missing'),
});
const runArb = fc.record({
  state: fc.constantFrom('done', 'abandoned', 'failed') as fc.Arbitrary<'done' | 'abandoned' | 'failed'>,
  status: fc.constantFrom(null, 'eb_finished_pre', 'transferred'),
  bootstraxHost: fc.constantFrom(HOST, LIVE_HOST_NAME, OTHER_HOST),
  live: fc.constantFrom('none', 'ended', 'running', 'gone'),
  raw: fc.array(copyArb, { maxLength: 3 }),
  peaklets: fc.constantFrom(null, HOST, LIVE_HOST_NAME),
  orphan: fc.boolean(),
  startHoursAgo: fc.constantFrom(5, 48),
});
const actionArb = fc.oneof(
  fc.record({
    kind: fc.constant('ajax' as const),
    host: fc.constantFrom(...LOCAL_HOSTS),
    mode: fc.constantFrom(...AJAX_MODES),
  }),
  fc.record({
    kind: fc.constant('remove' as const),
    host: fc.constantFrom(...LOCAL_HOSTS),
    run: fc.nat(3),
    live: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('restrax' as const), host: fc.constantFrom(...LOCAL_HOSTS) }),
);

type RunSpec = ReturnType<typeof runArb.generate>['value'];

interface World {
  root: string;
  live: string;
  folders: Record<string, DaqFolders>;
}

/** Is this entry a complete raw copy, as an observer seeing every local disk can tell? */
function completeRawCopy(e: DataEntry): boolean {
  if (e.type === LIVE_TYPE) return existsSync(join(e.location, runIdOf(e.run), 'THE_END'));
  if (e.type !== 'raw_records') return false;
  if (e.host === RUCIO_HOST) return e.status === 'transferred';
  return (LOCAL_HOSTS as readonly string[]).includes(e.host) && isCompleteFolder(e.location);
}

async function build(db: RunDb, w: World, runs: RunSpec[]): Promise<void> {
  for (const [i, r] of runs.entries()) {
    const n = 100 + i;
    await addRun(db, {
      number: n,
      state: r.state,
      status: r.status,
      bootstraxHost: r.bootstraxHost,
      start: hoursAgo(r.startHoursAgo),
      rate: { tpc: { avg: 10 } },
    });
    if (r.live !== 'none') {
      if (r.live !== 'gone') writeLive(w.live, n, r.live === 'ended');
      await registerLive(db, n, w.live);
    }
    for (const [k, c] of r.raw.entries()) {
      const hash = `raw${k}hashxx`;
      if (c.host === RUCIO_HOST || c.host === OTHER_HOST) {
        await db.registerData({
          run: n,
          type: 'raw_records',
          host: c.host,
          location:
            c.host === RUCIO_HOST
              ? 'UC_DALI_USERDISK'
              : `/data/xenonnt_processed/${runIdOf(n)}-raw_records-${hash}`,
          lineageHash: hash,
          status: c.state === 'complete' ? 'transferred' : 'transferring',
        });
        continue;
      }
      const parent = w.folders[c.host]![c.place];
      const loc = join(parent, `${runIdOf(n)}-raw_records-${hash}`);
      if (c.state !== 'missing')
        await writeDataFolder(parent, n, 'raw_records', hash, {
          rows: 20,
          chunks: 3,
          state: c.state as 'complete',
        });
      await db.registerData({ run: n, type: 'raw_records', host: c.host, location: loc, lineageHash: hash });
    }
    if (r.peaklets) {
      const parent = w.folders[r.peaklets]!.preProcessed;
      const p = await writeDataFolder(parent, n, 'peaklets', 'peakhashxx', { rows: 20, chunks: 3 });
      await db.registerData({
        run: n,
        type: 'peaklets',
        host: r.peaklets,
        location: p,
        lineageHash: 'peakhashxx',
      });
    }
    if (r.orphan) {
      const p = await writeDataFolder(w.folders[HOST]!.preProcessed, n, 'raw_records', 'orphanxxxx', {
        rows: 10,
        chunks: 2,
      });
      age(p, 3);
    }
  }
}

async function act(db: RunDb, w: World, a: ReturnType<typeof actionArb.generate>['value']): Promise<void> {
  const folders = w.folders[a.host]!;
  if (a.kind === 'restrax') {
    const r = new Restrax(db, {
      hostname: a.host,
      inputFolder: folders.preProcessed,
      folders,
      production: true,
      softwareVersion: 't',
      log: () => undefined,
    });
    await r.step().catch(() => undefined); // a failed run is recorded; the property is about data
    return;
  }
  const ajax = new Ajax(db, {
    hostname: a.host,
    liveHost: LIVE_HOST_NAME,
    folders,
    production: true,
    force: false,
    now: () => NOW,
    currentLineageHash: () => 'currenthsh',
    log: () => undefined,
  });
  if (a.kind === 'ajax') await ajax.clean(a.mode);
  else await ajax.removeRun(100 + a.run, a.live);
}

describe.each(DB_TARGETS)('DAQ data life on $dialect', (target) => {
  it('no run ever loses its last complete raw copy', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(runArb, { minLength: 1, maxLength: 4 }),
        fc.array(actionArb, { maxLength: 8 }),
        async (runs, actions) => {
          const f = makeFolders();
          const t = target.fresh();
          const db = await openRunDb(t.url);
          try {
            const w: World = { root: f.root, live: f.folders.live, folders: {} };
            for (const h of LOCAL_HOSTS) {
              const base = join(f.root, h);
              w.folders[h] = {
                live: f.folders.live,
                preProcessed: join(base, 'pre_processed'),
                processed: join(base, 'xenonnt_processed'),
                unregistered: join(base, 'xenonnt_unregistered'),
                testProcessed: join(base, 'test_processed'),
              };
              for (const d of Object.values(w.folders[h]!)) mkdirSync(d, { recursive: true });
            }
            await build(db, w, runs);
            const protectedRuns: number[] = [];
            for (let i = 0; i < runs.length; i++)
              if ((await db.listData(100 + i)).some(completeRawCopy)) protectedRuns.push(100 + i);
            for (const a of actions) {
              await act(db, w, a);
              for (const n of protectedRuns) {
                const left = await db.listData(n);
                expect(left.some(completeRawCopy), `run ${n} after ${JSON.stringify(a)}`).toBe(true);
              }
            }
          } finally {
            await db.close();
            await t.drop();
            f.cleanup();
          }
        },
      ),
      { numRuns: target.dialect === 'sqlite' ? 40 : 10 },
    );
  }, 600_000);
});
