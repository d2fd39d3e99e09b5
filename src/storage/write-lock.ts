// One writer per stored data type: a lock file `.RUN-TYPE-HASH-lock` beside the data folders,
// created with O_EXCL and holding the owner's host, pid and process start time. Another process
// waits for it (or reads the data once complete); a lock whose owner is provably gone (same host,
// and that pid no longer runs, or runs a different process) is taken over, and its `_temp`
// folder replaced. The name is hidden and has four '-' parts: no strax listing takes it for data.

import {
  linkSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface LockOwner {
  host: string;
  pid: number;
  /** The owner's process start (clock ticks since boot, /proc/PID/stat), against pid reuse. */
  pidStart: string | null;
  /** When the lock was taken (ISO time). */
  since: string;
  /** Random: tells this lock from a later one of the same process. */
  nonce: string;
}

/** A lock file unrefreshed this long is old enough to name when its owner cannot be checked. */
export const REMOTE_LOCK_STALE_MS = 5 * 60_000;
const REFRESH_MS = 30_000;
/** A lock file still unreadable this long after its last write belongs to no live writer. */
const UNREADABLE_DEAD_MS = 60_000;

export function lockFileName(folder: string): string {
  return `.${folder}-lock`;
}

/** Start time of a process on this host, or null when it does not run (or /proc is absent). */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] ?? null;
  } catch {
    return null;
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const me = (): Omit<LockOwner, 'since' | 'nonce'> => ({
  host: hostname(),
  pid: process.pid,
  pidStart: processStart(process.pid),
});

export type OwnerState = 'this-process' | 'alive' | 'dead' | 'unknown';

/** Is the owner running? 'dead' only when proven: same host and the pid gone or reused. */
export function ownerState(o: LockOwner): OwnerState {
  const self = me();
  if (o.host !== self.host) return 'unknown';
  if (o.pid === self.pid && o.pidStart === self.pidStart) return 'this-process';
  if (!processRuns(o.pid)) return 'dead';
  const start = processStart(o.pid);
  if (o.pidStart !== null && start !== null && start !== o.pidStart) return 'dead';
  return 'alive';
}

export function describeOwner(o: LockOwner): string {
  return `pid ${o.pid} on host ${o.host} since ${o.since.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`;
}

function parseOwner(text: string): LockOwner | null {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.host !== 'string' || typeof o.pid !== 'number' || typeof o.nonce !== 'string') return null;
    return {
      host: o.host,
      pid: o.pid,
      pidStart: typeof o.pidStart === 'string' ? o.pidStart : null,
      since: typeof o.since === 'string' ? o.since : '?',
      nonce: o.nonce,
    };
  } catch {
    return null;
  }
}

/** The owner recorded in a lock file; null if there is none. An unreadable lock (its writer died
 * between creating and filling it) counts as owned by nobody alive once it is a minute old. */
export function readLockOwner(path: string): LockOwner | 'unreadable' | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  return parseOwner(text) ?? 'unreadable';
}

/** A lock this process holds: refreshed while held (for waiters on other hosts), released once. */
export class WriteLock {
  private timer: NodeJS.Timeout | null;
  private released = false;

  constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {
    this.timer = setInterval(() => this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  private refresh(): void {
    const now = new Date();
    try {
      utimesSync(this.path, now, now);
    } catch {
      /* a vanished lock is found at release */
    }
  }

  /** Remove the lock file, if it is still ours. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const now = readLockOwner(this.path);
    if (now !== null && now !== 'unreadable' && now.nonce === this.owner.nonce) {
      try {
        unlinkSync(this.path);
      } catch {
        /* already gone */
      }
    }
  }
}

export type LockAttempt =
  | { lock: WriteLock; tookOverFrom: LockOwner | null }
  | { owner: LockOwner | 'unreadable'; state: OwnerState; ageMs: number };

/** Take the lock for a data folder in `root`, or say who holds it. */
export function tryLock(root: string, folder: string): LockAttempt {
  const path = join(root, lockFileName(folder));
  let tookOverFrom: LockOwner | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    const owner: LockOwner = {
      ...me(),
      since: new Date().toISOString(),
      nonce: Math.random().toString(36).slice(2) + Date.now().toString(36),
    };
    if (!createLockFile(path, owner)) {
      const held = readLockOwner(path);
      if (held === null) continue; // released meanwhile
      const ageMs = lockAge(path);
      const state = holderState(held, ageMs);
      if (state !== 'dead') return { owner: held, state, ageMs };
      if (takeOver(path, held)) tookOverFrom = held === 'unreadable' ? null : held;
      continue;
    }
    return { lock: new WriteLock(path, owner), tookOverFrom };
  }
  // Five rounds of races with other takers: report whoever holds it now.
  const held = readLockOwner(path);
  return { owner: held ?? 'unreadable', state: 'alive', ageMs: lockAge(path) };
}

/** Create the lock file holding `owner`, or false when one exists. The content is written under
 * a name of this process's own and linked into place, so a lock file is never seen empty: a
 * writer killed between creating and filling it (kill -9, a full disk) left one that every later
 * writer had to wait out. */
function createLockFile(path: string, owner: LockOwner): boolean {
  const own = `${path}.new-${process.pid}-${owner.nonce}`;
  try {
    writeFileSync(own, JSON.stringify(owner), { flag: 'wx' });
    linkSync(own, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(own, { force: true });
  }
}

/** The holder of an existing lock file, `ageMs` after its last write. An unreadable one is
 * being written for a moment at most: unreadable a minute later, no writer is filling it. */
function holderState(held: LockOwner | 'unreadable', ageMs: number): OwnerState {
  if (held === 'unreadable') return ageMs > UNREADABLE_DEAD_MS ? 'dead' : 'alive';
  return ownerState(held);
}

function lockAge(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Remove a dead owner's lock without removing a live one that replaced it meanwhile: move it
 * aside under a name of our own, then check it is the one we judged dead. */
function takeOver(path: string, dead: LockOwner | 'unreadable'): boolean {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch {
    return false;
  }
  const moved = readLockOwner(aside);
  const same =
    dead === 'unreadable'
      ? moved === 'unreadable'
      : moved !== null && moved !== 'unreadable' && moved.nonce === dead.nonce;
  if (!same) {
    // A live lock taken between our read and our rename: put it back (unless yet another is there).
    try {
      linkSync(aside, path);
    } catch {
      /* the newer lock stays; its owner and this one's both find out at release */
    }
  }
  unlinkSync(aside);
  return same;
}

/** Resolve once the lock file is gone, its owner provably dead, or (owner on another host) it
 * has not been refreshed for REMOTE_LOCK_STALE_MS (polling). */
export async function waitForLock(root: string, folder: string, pollMs = 500): Promise<void> {
  const path = join(root, lockFileName(folder));
  for (;;) {
    const held = readLockOwner(path);
    if (held === null) return;
    const age = lockAge(path);
    const state = holderState(held, age);
    if (state === 'dead' || (state === 'unknown' && age > REMOTE_LOCK_STALE_MS)) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
