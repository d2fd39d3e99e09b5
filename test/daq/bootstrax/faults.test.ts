// Fault test (issue item 7): three bootstrax on one PostgreSQL server of the test's own while
// fake_daq feeds runs (some written live, some complete); a random bootstrax is killed with
// SIGKILL at 30+ random moments and restarted each time; the PostgreSQL server is restarted
// twice mid-run; one run has a corrupt live file, one never gets THE_END; one host's output
// disk is a 24 MB tmpfs (when this machine allows mounting). With --delete_live. At the end:
// runs done, failed with a reason, lost, processed twice, stuck (the last three must be 0).

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBackRawRows } from '../../../src/daq/bootstrax/stored-facts.js';
import { openRunDb, type RunDb, type RunDoc } from '../../../src/rundb/rundb.js';
import { ensureBuilt, ROOT } from '../../helpers/cli.js';
import { fakeDaq, type FakeDaqRun } from '../../helpers/daq.js';
import { tempDir } from '../../helpers/tmp.js';
import { startBootstrax, waitFor, type Daemon } from './daemon-process.js';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

const HOSTS = ['eb3', 'eb4', 'eb5'];
const NORMAL_RUNS = [21, 22, 23, 24, 25, 26, 27, 28];
const CORRUPT_RUN = 31;
const ENDLESS_RUN = 32;
/** The reason each spoilt run must finally fail with (the corrupt file's folder; the wait for data). */
const SPOILT_REASON: Record<number, RegExp> = {
  [CORRUPT_RUN]: /000001/,
  [ENDLESS_RUN]: /No data written|input_timeout|THE_END/,
};
const KILLS = 32;
const TIME_SCALE = '0.02';

let dir: string;
let pgs: PrivatePostgres | undefined;
let db: RunDb;
let tmpfs: string | null = null;
const daemons = new Map<string, Daemon>();
const logs: string[] = [];

function mountTmpfs(at: string): boolean {
  mkdirSync(at, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', at], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  ensureBuilt();
  dir = tempDir('straxts-bx-faults-');
  pgs = await startPrivatePostgres();
  db = await openRunDb(pgs.url);
  if (mountTmpfs(join(dir, 'eb5'))) tmpfs = join(dir, 'eb5');
}, 600_000);

afterAll(async () => {
  for (const d of daemons.values()) await d.stop('SIGKILL');
  await db?.close().catch(() => undefined);
  pgs?.stop();
  if (tmpfs) execFileSync('umount', ['-l', tmpfs]);
  rmSync(dir, { recursive: true, force: true });
});

function start(host: string): void {
  const prev = daemons.get(host);
  if (prev) logs.push(prev.log());
  const d = startBootstrax(
    [
      '--production',
      '--undying',
      '--delete_live',
      '--rundb',
      pgs!.url,
      '--hostname',
      host,
      '--output_dir',
      join(dir, host),
      '--fix_target',
      '--targets',
      'event_info_double',
      '--cores',
      '1',
      '--min_free_gb',
      '0.004',
    ],
    { STRAXTS_BOOTSTRAX_TIME_SCALE: TIME_SCALE },
  );
  daemons.set(host, d);
}

/** fake_daq writes a run into a scratch folder and its own runs database; the test then spoils
 * it and puts it where bootstrax looks, with the document fake_daq made. */
async function stagedRun(number: number, spoil: (runDir: string) => void, ended: boolean): Promise<void> {
  const runId = String(number).padStart(6, '0');
  const stage = join(dir, 'stage', runId);
  const scratchDb = `sqlite:${join(dir, 'stage', `${runId}.sqlite`)}`;
  const w = await fakeDaq(fakeRun(number, join(stage, runId), scratchDb));
  expect([w.code, w.stderr]).toEqual([0, '']);
  spoil(join(stage, runId));
  cpSync(join(stage, runId), join(dir, 'live', runId), { recursive: true });
  const sdb = await openRunDb(scratchDb);
  const doc = (await sdb.getRun(number))!;
  await sdb.close();
  await db.insertRun({
    number,
    start: doc.start,
    end: ended ? doc.end : null,
    mode: doc.mode,
    detectors: doc.detectors,
    daqConfig: doc.daqConfig,
    data: [{ type: 'live', host: 'daq', location: join(dir, 'live') }],
  });
}

/** A 2 s run of fake_daq in half-second chunks, registered in rundb. */
function fakeRun(number: number, output: string, rundb: string): FakeDaqRun {
  return {
    duration: '2s',
    seed: number,
    output,
    run: number,
    rundb,
    chunkDuration: 0.5,
    syncChunkDuration: 0.05,
  };
}

interface Figures {
  done: number;
  failedWithReason: number;
  lost: number;
  processedTwice: number;
  stuck: number;
  kills: number;
  pgRestarts: number;
  details: string[];
  /** Failures recorded during the test, by cause. */
  causes: Map<string, number>;
}

const CAUSES: [string, RegExp][] = [
  ['own claim after a restart', /restarted while the run was/],
  ['stale claim of a dead host', /said it was (busy|considering)/],
  ['output disk full', /ENOSPC|no space/i],
  ['database unreachable', /Runs database|ECONNREFUSED|terminat/],
  ['corrupt live file', /Bad data from DAQ/],
  ['no THE_END', /No data written/],
];

function tallyCauses(allLogs: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of allLogs.matchAll(/-> failed \((.*)\)$/gm)) {
    const cause = CAUSES.find(([, re]) => re.test(m[1]!))?.[0] ?? 'other';
    out.set(cause, (out.get(cause) ?? 0) + 1);
  }
  return out;
}

async function figures(runs: RunDoc[], kills: number, pgRestarts: number): Promise<Figures> {
  const allLogs = [...logs, ...[...daemons.values()].map((d) => d.log())].join('\n');
  const f: Figures = {
    done: 0,
    failedWithReason: 0,
    lost: 0,
    processedTwice: 0,
    stuck: 0,
    kills,
    pgRestarts,
    details: [],
    causes: tallyCauses(allLogs),
  };
  for (const r of runs) {
    const runId = String(r.number).padStart(6, '0');
    const b = r.bootstrax;
    const processed = (r.data ?? []).filter((e) => e.type !== 'live');
    // Twice = complete copies on two hosts (an attempt cut short may leave an unfinished one).
    const hosts = new Set(processed.filter((e) => e.status === 'complete').map((e) => e.host));
    const doneBy = new Set(
      [...allLogs.matchAll(new RegExp(`bootstrax (eb\\d) INFO run ${runId}: busy -> done`, 'g'))].map(
        (m) => m[1],
      ),
    );
    const folders = HOSTS.filter((h) => {
      const out = join(dir, h);
      return (
        existsSync(out) &&
        readdirSync(out).some((n) => n.startsWith(`${runId}-event_info_double`) && !n.endsWith('_temp'))
      );
    });
    if (hosts.size > 1 || doneBy.size > 1 || folders.length > 1) {
      f.processedTwice++;
      f.details.push(`${runId}: processed by ${[...hosts]} / done by ${[...doneBy]} / folders on ${folders}`);
    }
    if (b.state === 'considering' || b.state === 'busy' || b.state === null) {
      f.stuck++;
      f.details.push(`${runId}: stuck ${b.state ?? 'new'} (${b.host})`);
    }
    if (b.state === 'done') f.done++;
    if ((b.state === 'failed' || b.state === 'abandoned') && (b.reason ?? '').trim() !== '') {
      f.failedWithReason++;
      f.details.push(`${runId}: failed ${b.nFailures}x: ${(b.reason ?? '').split('\n')[1]}`);
    }
    // Lost: neither the live_data nor a complete raw_records copy that reads back is left.
    const liveLeft = existsSync(join(dir, 'live', runId, 'THE_END')) || r.number === ENDLESS_RUN;
    let rawOk = false;
    const raw = processed.filter((e) => e.type === 'raw_records' && e.status === 'complete');
    if (raw.length) {
      try {
        const rows = await readBackRawRows(raw.map((e) => e.location));
        rawOk = (rows.get('raw_records') ?? 0) > 0;
      } catch {
        rawOk = false;
      }
    }
    if (b.state === 'done' && !rawOk) f.lost++;
    else if (!liveLeft && !rawOk) f.lost++;
    if ((b.state === 'done' && !rawOk) || (!liveLeft && !rawOk)) f.details.push(`${runId}: LOST`);
  }
  return f;
}

describe('bootstrax under faults', () => {
  it('loses nothing, processes nothing twice, leaves nothing stuck', async () => {
    mkdirSync(join(dir, 'live'), { recursive: true });
    for (const h of HOSTS) start(h);
    const rng = (() => {
      let s = 12345;
      return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    })();

    // The database restarts are for the eventbuilders; the test's DAQ (fake_daq and the staged
    // runs' inserts) does not retry, so a restart waits for the DAQ's step in hand and the next
    // step waits for the restart.
    let daqStep: Promise<unknown> = Promise.resolve();
    const serialised = <T>(f: () => Promise<T>): Promise<T> => {
      const p = daqStep.then(f);
      daqStep = p.catch(() => undefined);
      return p;
    };

    // the DAQ: runs one after the other, every other one written at the DAQ's pace
    const feeding = (async () => {
      for (const [i, n] of NORMAL_RUNS.entries()) {
        const w = await serialised(() =>
          fakeDaq({
            ...fakeRun(n, join(dir, 'live', String(n).padStart(6, '0')), pgs!.url),
            realtime: i % 2 === 1,
          }),
        );
        if (w.code !== 0) throw new Error(`fake_daq run ${n}: ${w.stderr}`);
      }
      await serialised(() =>
        stagedRun(
          CORRUPT_RUN,
          (runDir) => {
            const folder = join(runDir, '000001');
            const file = readdirSync(folder)[0]!;
            writeFileSync(join(folder, file), 'this is not an lz4 frame');
          },
          true,
        ),
      );
      await serialised(() =>
        stagedRun(ENDLESS_RUN, (runDir) => rmSync(join(runDir, 'THE_END'), { recursive: true }), false),
      );
    })();

    // the faults: kill -9 of a random host at random moments, restarted; PostgreSQL restarted
    let kills = 0;
    let pgRestarts = 0;
    const faults = (async () => {
      while (kills < KILLS) {
        await new Promise((r) => setTimeout(r, 800 + rng() * 2000));
        const h = HOSTS[Math.floor(rng() * HOSTS.length)]!;
        await daemons.get(h)!.stop('SIGKILL');
        kills++;
        start(h);
        if (kills === 10 || kills === 22) {
          await serialised(async () => pgs!.restart());
          pgRestarts++;
        }
      }
    })();
    await Promise.all([feeding, faults]);

    // then let them finish: every run done, or failed with a reason and not due for a retry soon
    const all = [...NORMAL_RUNS, CORRUPT_RUN, ENDLESS_RUN];
    await waitFor(
      'every normal run done and the spoilt ones failed',
      async () => {
        const rs = await db.listRuns({ minNumber: 21, maxNumber: 32 });
        const byN = new Map(rs.map((r) => [r.number, r]));
        return (
          all.every((n) => byN.has(n)) &&
          NORMAL_RUNS.every((n) => byN.get(n)!.bootstrax.state === 'done') &&
          // failed now, not merely failed once: a retry after the back-off would be busy when the
          // daemons stop, and go back to be claimed
          // and for its own fault: a kill -9 may have failed it last, and it is retried after that
          [CORRUPT_RUN, ENDLESS_RUN].every((n) => byN.get(n)!.bootstrax.state === 'failed') &&
          SPOILT_REASON[CORRUPT_RUN]!.test(byN.get(CORRUPT_RUN)!.bootstrax.reason ?? '') &&
          SPOILT_REASON[ENDLESS_RUN]!.test(byN.get(ENDLESS_RUN)!.bootstrax.reason ?? '')
        );
      },
      600_000,
    ).catch((e: unknown) => e);
    for (const d of daemons.values()) await d.stop('SIGTERM');
    const runs = await db.listRuns({ minNumber: 21, maxNumber: 32 }, { withData: true });
    const f = await figures(runs, kills, pgRestarts);
    const report = [
      `fault test: ${runs.length} runs, ${f.kills} kill -9, ${f.pgRestarts} PostgreSQL restarts, disk-full host: ${tmpfs ? 'eb5 (24 MB tmpfs)' : 'not available (mount refused)'}`,
      `  done ${f.done}, failed with a reason ${f.failedWithReason}, lost ${f.lost}, processed twice ${f.processedTwice}, stuck ${f.stuck}`,
      `  failures recorded on the way: ${[...f.causes].map(([c, n]) => `${c} ${n}`).join(', ') || 'none'}`,
      ...f.details.map((d) => `  ${d}`),
    ].join('\n');
    process.stdout.write(report + '\n');
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    writeFileSync(join(ROOT, 'test-artifacts', 'bootstrax-fault-figures.txt'), report + '\n');
    expect(f.lost).toBe(0);
    expect(f.processedTwice).toBe(0);
    expect(f.stuck).toBe(0);
    expect(f.done).toBe(NORMAL_RUNS.length);
    const spoilt = runs.filter((r) => r.number === CORRUPT_RUN || r.number === ENDLESS_RUN);
    for (const r of spoilt) expect(r.bootstrax.state).toBe('failed');
    expect(runs.find((r) => r.number === CORRUPT_RUN)!.bootstrax.reason).toMatch(SPOILT_REASON[CORRUPT_RUN]!);
    expect(runs.find((r) => r.number === ENDLESS_RUN)!.bootstrax.reason).toMatch(SPOILT_REASON[ENDLESS_RUN]!);
    // --delete_live works: a done run's live_data goes once its raw_records were read back. A
    // kill -9 between 'done' and that deletion leaves it for ajax (never the reverse: 'lost' above)
    const done = runs.filter((x) => x.bootstrax.state === 'done');
    const liveLeft = done.filter((r) => existsSync(join(dir, 'live', String(r.number).padStart(6, '0'))));
    process.stdout.write(
      `  live_data deleted for ${done.length - liveLeft.length} of ${done.length} done runs\n`,
    );
    expect(liveLeft.length).toBeLessThan(done.length / 2);
  }, 900_000);
});
