// Set-ups the DAQ tool tests (bootstrax, ajax, restrax, fake_daq, ...) share, each removed after
// use, pass or fail: DAQ folders; a fresh set of them with a runs database for each test
// (daqCaseEach); a scene for daemon tests (temp folder plus a PostgreSQL runs database of its own,
// torn down after the file's tests with every daemon started in it); fake_daq writing a run.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { DaqFolders } from '../../src/daq/daq-folders.js';
import { openRunDb, type RunDb } from '../../src/rundb/rundb.js';
import { ensureBuilt, runTool, type ToolRun } from './cli.js';
import { freshPgDatabase, type DbTarget } from './rundb.js';
import { tempDir } from './tmp.js';

/** A fresh set of DAQ folders under one temp folder (removed by cleanup, else after the file). */
export function makeFolders(): { root: string; folders: DaqFolders; cleanup(): void } {
  const root = tempDir('straxts-daq-');
  const folders: DaqFolders = {
    live: join(root, 'live_data'),
    preProcessed: join(root, 'pre_processed'),
    processed: join(root, 'xenonnt_processed'),
    unregistered: join(root, 'xenonnt_unregistered'),
    testProcessed: join(root, 'test_processed'),
  };
  for (const f of Object.values(folders)) mkdirSync(f, { recursive: true });
  return { root, folders, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Run every clean-up (in order) even if one fails; then report the first failure. */
export async function runCleanups(cleanups: readonly (() => Promise<void> | void)[]): Promise<void> {
  const errors: unknown[] = [];
  for (const c of cleanups) {
    try {
      await c();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length) throw errors[0];
}

export interface DaqCase {
  root: string;
  folders: DaqFolders;
  url: string;
  db: RunDb;
}

/** For each test of the calling describe: fresh DAQ folders and a runs database of the target's
 * dialect, opened; afterwards closed and removed, whatever part of them was made. */
export function daqCaseEach(target: DbTarget): DaqCase {
  const c = {
    root: '',
    folders: undefined as unknown as DaqFolders,
    url: '',
    db: undefined as unknown as RunDb,
  };
  let cleanups: (() => Promise<void> | void)[] = [];
  beforeEach(async () => {
    const f = makeFolders();
    ({ root: c.root, folders: c.folders } = f);
    // Registered as made: a failure half way still removes what exists.
    cleanups = [f.cleanup];
    const t = target.fresh();
    cleanups.unshift(t.drop);
    c.url = t.url;
    c.db = await openRunDb(t.url);
    cleanups.unshift(async () => c.db.close());
  });
  afterEach(async () => {
    await runCleanups(cleanups.splice(0));
  });
  return c;
}

export interface DaqScene {
  /** A temp folder for live_data, output folders, ... */
  dir: string;
  /** A database of its own on the test server, and the runs database opened on it. */
  url: string;
  db: RunDb;
  /** Stopped (first, in reverse order) when the scene is torn down. */
  onTeardown(stop: () => Promise<unknown> | void): void;
}

/** Register, for the calling test file, a scene built before its tests (the CLIs built too). */
export function daqScene(tag: string): DaqScene {
  const stops: (() => Promise<unknown> | void)[] = [];
  let drop: (() => Promise<void>) | undefined;
  const scene = {
    dir: '',
    url: '',
    db: undefined as unknown as RunDb,
    onTeardown: (stop: () => Promise<unknown> | void) => void stops.push(stop),
  };
  beforeAll(async () => {
    ensureBuilt();
    scene.dir = tempDir(`straxts-${tag}-`);
    const pg = await freshPgDatabase(tag);
    drop = pg.drop;
    scene.url = pg.url;
    scene.db = await openRunDb(pg.url);
  }, 600_000);
  afterAll(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    await scene.db?.close().catch(() => undefined);
    await drop?.();
    // The folder goes with the file's other temp folders (tmp.ts).
  });
  return scene;
}

export interface FakeDaqRun {
  /** The live_data run folder to write. */
  output: string;
  /** Simulated duration, e.g. '2s'. */
  duration: string;
  seed?: number;
  /** Run number to write (and to register with rundb). */
  run?: number;
  rundb?: string;
  /** Pace the writing as the DAQ would (else as fast as it can). */
  realtime?: boolean;
  chunkDuration?: number;
  syncChunkDuration?: number;
  threads?: number;
  extra?: readonly string[];
}

/** fake_daq's arguments for a simulated run (chunks 1 s, sync chunks 0.1 s, 2 threads unless set). */
export function fakeDaqArgs(o: FakeDaqRun): string[] {
  return [
    '--simulate',
    o.duration,
    ...(o.seed === undefined ? [] : ['--seed', String(o.seed)]),
    '--output',
    o.output,
    ...(o.run === undefined ? [] : ['--output_run', String(o.run)]),
    '--chunk_duration',
    String(o.chunkDuration ?? 1),
    '--sync_chunk_duration',
    String(o.syncChunkDuration ?? 0.1),
    '--threads',
    String(o.threads ?? 2),
    ...(o.rundb === undefined ? [] : ['--rundb', o.rundb]),
    ...(o.realtime ? ['--realtime'] : []),
    ...(o.extra ?? []),
  ];
}

export function fakeDaq(o: FakeDaqRun): Promise<ToolRun> {
  return runTool('fake_daq', fakeDaqArgs(o));
}
