// The per-(run, type, hash) write lock: one writer at a time, a live writer's lock is respected
// (waited for, or named in one line), a provably dead writer's lock and `_temp` are taken over.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataBeingWritten } from '../../src/core/storage-api.js';
import type { DataKey, SaveMetadata } from '../../src/core/storage-api.js';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { StorageError } from '../../src/storage/errors.js';
import {
  lockFileName,
  processStart,
  readLockOwner,
  tryLock,
  waitForLock,
} from '../../src/storage/write-lock.js';
import { tempDir } from '../helpers/tmp.js';

const key: DataKey = { runId: '000123', dataType: 'peaks', lineage: {}, lineageHash: 'abcdefghij' };
const folder = '000123-peaks-abcdefghij';
const meta: SaveMetadata = {
  runId: '000123',
  dataType: 'peaks',
  dataKind: 'peaks',
  dtype: "[('time', '<i8'), ('length', '<i4'), ('dt', '<i2')]",
  lineage: {},
  lineageHash: 'abcdefghij',
  compressor: 'zstd',
  chunkTargetSizeMb: 200,
};

const children: { kill(): boolean }[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill();
});

/** A pid that ran on this host and has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

function writeLock(dir: string, owner: object): string {
  const path = join(dir, lockFileName(folder));
  writeFileSync(path, JSON.stringify({ since: '2026-01-01T00:00:00.000Z', nonce: 'x1', ...owner }));
  return path;
}

describe('write lock of a data folder', () => {
  it('a second saver in another process is refused while the first writes, with its pid and host', async () => {
    const dir = tempDir('straxts-lock-');
    const child = spawn('sleep', ['60']);
    children.push(child);
    writeLock(dir, { host: hostname(), pid: child.pid, pidStart: processStart(child.pid!) });
    const dd = new DataDirectory(dir);
    const err = await dd.saver(key, meta).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataBeingWritten);
    expect((err as Error).message).toBe(
      `peaks of run 000123 (${join(dir, folder)}) is being written by pid ${child.pid} on host ${hostname()} since 2026-01-01 00:00:00 UTC`,
    );
    expect((err as DataBeingWritten).waitUntilWritten).not.toBeNull();
    expect(existsSync(join(dir, `${folder}_temp`))).toBe(false);
  });

  it('waiting ends when the writer releases the lock', async () => {
    const dir = tempDir('straxts-lock-');
    const dd = new DataDirectory(dir);
    const first = await dd.saver(key, meta);
    // This process holds it: a second saver here is a configuration error, not a wait.
    await expect(dd.saver(key, meta)).rejects.toThrow(StorageError);
    await first.close();
    expect(existsSync(join(dir, lockFileName(folder)))).toBe(false);
    // Complete now: a later saver is told to read it instead.
    const err = await dd.saver(key, meta).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataBeingWritten);
    expect((err as Error).message).toMatch(/was written by another process meanwhile/);
    await (err as DataBeingWritten).waitUntilWritten!();
    // Behind the runs-database frontend, complete but unregistered data is rewritten instead.
    const again = await new DataDirectory(dir, { replaceComplete: true }).saver(key, meta);
    expect(existsSync(join(dir, folder))).toBe(false);
    await again.close();
    expect(existsSync(join(dir, folder))).toBe(true);
  });

  it("a dead writer's lock and _temp folder are taken over and replaced", async () => {
    const dir = tempDir('straxts-lock-');
    const pid = deadPid();
    writeLock(dir, { host: hostname(), pid, pidStart: '1' });
    mkdirSync(join(dir, `${folder}_temp`));
    writeFileSync(join(dir, `${folder}_temp`, 'peaks-abcdefghij-000000'), 'half a chunk');
    const dd = new DataDirectory(dir);
    const s = await dd.saver(key, meta);
    const owner = readLockOwner(join(dir, lockFileName(folder)));
    expect(owner).toMatchObject({ pid: process.pid, host: hostname() });
    expect(existsSync(join(dir, `${folder}_temp`, 'peaks-abcdefghij-000000'))).toBe(false);
    await s.close();
    expect(existsSync(join(dir, folder))).toBe(true);
  });

  it('a reused pid (another process start time) counts as dead', () => {
    const dir = tempDir('straxts-lock-');
    const child = spawn('sleep', ['60']);
    children.push(child);
    writeLock(dir, { host: hostname(), pid: child.pid, pidStart: 'not-its-start' });
    const got = tryLock(dir, folder);
    expect('lock' in got).toBe(true);
    if ('lock' in got) {
      expect(got.tookOverFrom?.pid).toBe(child.pid);
      got.lock.release();
    }
  });

  it('a writer on another host is waited for, and named in one line once its lock is stale', async () => {
    const dir = tempDir('straxts-lock-');
    const path = writeLock(dir, { host: 'eb3.example', pid: 4242, pidStart: '99' });
    const dd = new DataDirectory(dir);
    const fresh = await dd.saver(key, meta).catch((e: unknown) => e);
    expect(fresh).toBeInstanceOf(DataBeingWritten);
    expect((fresh as DataBeingWritten).waitUntilWritten).not.toBeNull();
    // Not refreshed for an hour: it cannot be proven dead, so it is named, not waited for.
    const old = new Date(Date.now() - 3600_000);
    utimesSync(path, old, old);
    const stale = await dd.saver(key, meta).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(DataBeingWritten);
    expect((stale as DataBeingWritten).waitUntilWritten).toBeNull();
    expect((stale as Error).message).toMatch(
      /is being written by pid 4242 on host eb3\.example .* last refreshed 60 min ago; if that process is gone, delete the lock file/,
    );
    expect((stale as Error).message).not.toContain('\n');
    expect(readFileSync(path, 'utf8')).toContain('eb3.example');
  });

  it('an empty lock file (its writer died before filling it) is respected for a minute, then taken over', async () => {
    const dir = tempDir('straxts-lock-');
    const path = join(dir, lockFileName(folder));
    writeFileSync(path, '');
    const young = tryLock(dir, folder);
    expect('lock' in young).toBe(false);
    // A waiter does not wait the five minutes meant for writers on other hosts.
    const old = new Date(Date.now() - 61_000);
    utimesSync(path, old, old);
    const waited = await Promise.race([
      waitForLock(dir, folder, 10).then(() => 'returned'),
      new Promise((r) => setTimeout(() => r('still waiting'), 2000)),
    ]);
    expect(waited).toBe('returned');
    const got = tryLock(dir, folder);
    expect('lock' in got).toBe(true);
    if ('lock' in got) got.lock.release();
  });

  it('a lock file appears whole, and nothing else is left beside it', () => {
    const dir = tempDir('straxts-lock-');
    const got = tryLock(dir, folder);
    expect('lock' in got).toBe(true);
    expect(readLockOwner(join(dir, lockFileName(folder)))).toMatchObject({ pid: process.pid });
    expect(readdirSync(dir)).toEqual([lockFileName(folder)]);
    const second = tryLock(dir, folder);
    expect(second).toMatchObject({ state: 'this-process' });
    expect(readdirSync(dir)).toEqual([lockFileName(folder)]);
    if ('lock' in got) got.lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lock files are invisible to listings', async () => {
    const dir = tempDir('straxts-lock-');
    const dd = new DataDirectory(dir);
    const s = await dd.saver(key, meta);
    expect(existsSync(join(dir, lockFileName(folder)))).toBe(true);
    expect(dd.keysFor('000123', 'peaks')).toEqual([]);
    expect(dd.entries().map((e) => e.dir)).toEqual([join(dir, `${folder}_temp`)]);
    await s.fail(new Error('stop'));
    expect(existsSync(join(dir, lockFileName(folder)))).toBe(false);
  });
});
