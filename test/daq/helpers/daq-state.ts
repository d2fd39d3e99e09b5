// Builds DAQ database and disk states directly (what bootstrax, redax and the upload leave
// behind), and fingerprints them to prove a dry run changed nothing.

import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { Chunk } from '../../../src/core/chunk.js';
import { Records } from '../../../src/core/records.js';
import { rawRecordDtype, timeFieldsDtype } from '../../../src/core/standard-dtypes.js';
import { LIVE_HOST, LIVE_TYPE, runIdOf } from '../../../src/daq/data-safety.js';
import type { DataEntry, NewRun, RunDb } from '../../../src/rundb/rundb.js';
import { DirectorySaver } from '../../../src/storage/directory-saver.js';

export const HOST = 'eb3.xenon.local';
export const OTHER_HOST = 'eb2.xenon.local';
export const LIVE_HOST_NAME = 'eb0.xenon.local';
/** The tests' present: real time, so that folder ages (file times) agree with it. */
export const NOW = new Date();
export const hoursAgo = (h: number): Date => new Date(NOW.getTime() - h * 3600e3);
const RUN_T0 = 1_780_000_000_000_000_000n;

export interface FolderSpec {
  rows?: number;
  chunks?: number;
  compressor?: string;
  /** 'complete' (default), 'temp' (writing interrupted: only <folder>_temp) or 'failed'. */
  state?: 'complete' | 'temp' | 'failed';
  seed?: number;
}

/** Rows of a data type: raw_records* get the raw record dtype (filled from a seed), others time/endtime. */
export function makeRows(type: string, run: number, n: number, from: number, seed = 1): Records {
  const raw = type.startsWith('raw_records');
  const r = Records.empty(raw ? rawRecordDtype(110) : timeFieldsDtype(), n);
  const t0 = RUN_T0 + BigInt(run) * 10_000_000_000n;
  const time = r.i64('time');
  for (let i = 0; i < n; i++) time[i] = t0 + BigInt((from + i) * 2000);
  if (raw) {
    const len = r.i32('length'),
      dt = r.i16('dt'),
      ch = r.i16('channel'),
      data = r.i16('data'),
      base = r.i16('baseline'),
      pl = r.i32('pulse_length');
    for (let i = 0; i < n; i++) {
      len[i] = 100;
      dt[i] = 10;
      ch[i] = (from + i) % 494;
      pl[i] = 100;
      base[i] = 16000;
      for (let k = 0; k < 100; k++) data[i * 110 + k] = 16000 - (((from + i) * 7 + k * seed) % 50);
    }
  } else {
    const end = r.i64('endtime');
    for (let i = 0; i < n; i++) end[i] = time[i]! + 1000n;
  }
  return r;
}

/** Write a strax data folder root/<run>-<type>-<hash> as bootstrax would. Returns its path. */
export async function writeDataFolder(
  root: string,
  run: number,
  type: string,
  hash: string,
  spec: FolderSpec = {},
): Promise<string> {
  const rows = spec.rows ?? 40,
    chunks = spec.chunks ?? 4;
  const runId = runIdOf(run);
  const dir = join(root, `${runId}-${type}-${hash}`);
  const lineage = { [type]: ['TestPlugin', '0.0.1', {}] } as Record<
    string,
    [string, string, Record<string, unknown>]
  >;
  const dtype = makeRows(type, run, 0, 0).dtype;
  const saver = await DirectorySaver.open(
    dir,
    { runId, dataType: type, lineage, lineageHash: hash },
    {
      runId,
      dataType: type,
      dataKind: type,
      dtype: dtype.toDescr(),
      lineage,
      lineageHash: hash,
      compressor: spec.compressor ?? 'lz4',
      chunkTargetSizeMb: 200,
      rechunk: false,
    },
  );
  const t0 = RUN_T0 + BigInt(run) * 10_000_000_000n;
  const per = Math.ceil(rows / chunks);
  for (let c = 0; c < chunks; c++) {
    const from = c * per,
      n = Math.max(0, Math.min(per, rows - from));
    await saver.save(
      new Chunk({
        runId,
        dataType: type,
        dataKind: type,
        start: t0 + BigInt(from * 2000),
        end: t0 + BigInt((from + per) * 2000),
        data: makeRows(type, run, n, from, spec.seed ?? 1),
      }),
    );
  }
  const state = spec.state ?? 'complete';
  if (state === 'complete') await saver.close();
  else if (state === 'failed') await saver.fail(new Error('simulated failure'));
  // 'temp': left open, as after a crash: only <dir>_temp exists.
  return dir;
}

/** A run folder in live_data as redax leaves it (THE_END when the run ended). */
export function writeLive(liveDir: string, run: number, ended = true): string {
  const dir = join(liveDir, runIdOf(run));
  mkdirSync(join(dir, '000000'), { recursive: true });
  writeFileSync(join(dir, '000000', 'reader0_reader_0'), Buffer.alloc(4096, run % 251));
  if (ended) {
    mkdirSync(join(dir, 'THE_END'), { recursive: true });
    writeFileSync(join(dir, 'THE_END', 'reader0_reader_0'), '');
  }
  return dir;
}

export interface RunSpec extends Partial<NewRun> {
  number: number;
  state?: 'done' | 'abandoned' | 'failed' | 'busy' | null;
  bootstraxHost?: string;
  bootstraxTime?: Date;
}

/** Insert a run with its bootstrax state (start 48 h ago, bootstrax 24 h ago unless given). */
export async function addRun(db: RunDb, spec: RunSpec): Promise<void> {
  const { state = 'done', bootstraxHost = HOST, bootstraxTime = hoursAgo(24), ...run } = spec;
  await db.insertRun({
    start: hoursAgo(48),
    end: hoursAgo(47),
    mode: 'tpc_background',
    detectors: ['tpc'],
    ...run,
  });
  if (state === 'failed')
    await db.markFailed(spec.number, bootstraxHost, 'test failure', { now: bootstraxTime });
  else if (state) await db.setBootstraxState(spec.number, bootstraxHost, state, { now: bootstraxTime });
}

export async function registerFolder(
  db: RunDb,
  run: number,
  host: string,
  location: string,
  type: string,
  hash: string,
): Promise<DataEntry> {
  return db.registerData({ run, type, host, location, lineageHash: hash, status: 'complete' });
}

export async function registerLive(db: RunDb, run: number, liveDir: string): Promise<DataEntry> {
  return db.registerData({ run, type: LIVE_TYPE, host: LIVE_HOST, location: liveDir, protocol: 'daq' });
}

/** Digest of every file (path, size, bytes) under a folder. */
export function hashFolder(root: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      h.update(`${relative(root, p)}|${st.isDirectory() ? 'd' : st.size}\n`);
      if (st.isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  if (existsSync(root)) walk(root);
  return h.digest('hex');
}

/** Digest of the runs database as the tools see it: runs, data entries, deleted data, heartbeats, settings. */
export async function hashDatabase(db: RunDb): Promise<string> {
  const runs = await db.listRuns({}, { withData: true });
  const deleted = [];
  for (const r of runs) deleted.push(await db.listDeletedData(r.number));
  const hosts = await db.listHosts();
  return createHash('sha256').update(JSON.stringify({ runs, deleted, hosts })).digest('hex');
}

/** Make a folder (and the files in it) look last changed `hours` ago. */
export function age(path: string, hours: number): void {
  const t = new Date(Date.now() - hours * 3600e3);
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
    utimesSync(p, t, t);
  };
  walk(path);
}
