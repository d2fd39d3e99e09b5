// bootstrax's run state machine. Every change is one conditional UPDATE ... RETURNING, so two
// hosts can never both win a claim or overwrite each other's state unnoticed.

import { sql } from 'kysely';
import { RunDbError, type Connection } from './connection.js';
import { runCondition } from './filters.js';
import { completeRuns } from './runs.js';
import type { BootstraxState, RunDoc, RunFilter } from './types.js';

/** bootstrax constants (straxen scripts/bootstrax.py). */
export const RETRY_BASE_MS = 60_000;
export const MAX_N_RETRY = 10;
export const MAX_CONSIDERING_MS = 60_000;
export const MAX_BUSY_MS = 120_000;

/** Never-claimed runs that may be processed (the hold-processing tag keeps a run back). */
export function newRunsFilter(opts: { vetoOnly?: boolean } = {}): RunFilter {
  return opts.vetoOnly
    ? { states: [null], withoutDetector: 'tpc' }
    : { states: [null], withoutTag: 'hold-processing' };
}

/** Failed runs whose back-off has passed and that have retries left. */
export function retryFilter(now: Date = new Date()): RunFilter {
  return { states: ['failed'], maxFailures: MAX_N_RETRY, retryDueBefore: now };
}

/** Claims another host left hanging: considering for > 60 s or busy for > 120 s. */
export function staleFilter(state: 'considering' | 'busy', now: Date = new Date()): RunFilter {
  const age = state === 'considering' ? MAX_CONSIDERING_MS : MAX_BUSY_MS;
  return { states: [state], staleBefore: new Date(now.getTime() - age) };
}

/**
 * Atomically take the newest-starting run matching `filter`: its state becomes `considering`
 * with this host and time. Undefined when nothing matches (or all matches are being claimed).
 */
export async function claimRun(
  conn: Connection,
  host: string,
  filter: RunFilter,
  now: Date = new Date(),
): Promise<RunDoc | undefined> {
  const { db, dialect } = conn;
  let pick = db
    .selectFrom('runs')
    .select('runs.number')
    .where((eb) => runCondition(eb, filter, dialect))
    .orderBy('runs.start_time', (o) => o.desc().nullsLast())
    .orderBy('runs.number', 'desc')
    .limit(1);
  // PostgreSQL: a row another claimer has locked is skipped, and a row changed by a committed
  // claim is re-checked against the filter before it is locked. SQLite: the UPDATE holds the
  // database write lock from its first step, so no other writer runs in between.
  if (dialect === 'postgres') pick = pick.forUpdate().skipLocked();
  const row = await db
    .updateTable('runs')
    .set({ bootstrax_state: 'considering', bootstrax_host: host, bootstrax_time: now.getTime() })
    .where('runs.number', '=', pick)
    .where((eb) => runCondition(eb, filter.states ? { states: filter.states } : {}, dialect))
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  return (await completeRuns(db, [row], true))[0];
}

export interface StateChange {
  /** Only if the current state is one of these. */
  from?: readonly (BootstraxState | null)[];
  /** Only if this host holds the run (its last state change was by this host). */
  mustHold?: boolean;
  /** Only if the last state change is older than this (failing another host's stale claim). */
  staleBefore?: Date;
  startedProcessing?: Date;
  now?: Date;
}

function stateFilter(number: number, host: string, opts: StateChange): RunFilter {
  const filter: RunFilter = { number };
  if (opts.from) filter.states = opts.from;
  if (opts.mustHold) filter.bootstraxHost = host;
  if (opts.staleBefore) filter.staleBefore = opts.staleBefore;
  return filter;
}

/** Set the state (with host and time). Undefined if the run is missing or a condition fails. */
export async function setBootstraxState(
  conn: Connection,
  number: number,
  host: string,
  state: BootstraxState,
  opts: StateChange = {},
): Promise<RunDoc | undefined> {
  if (state === 'failed')
    throw new RunDbError('Use markFailed to fail a run: it counts the failure and sets the retry time.');
  const set: Record<string, unknown> = {
    bootstrax_state: state,
    bootstrax_host: host,
    bootstrax_time: (opts.now ?? new Date()).getTime(),
  };
  if (opts.startedProcessing) set.bootstrax_started_processing = opts.startedProcessing.getTime();
  const filter = stateFilter(number, host, opts);
  const row = await conn.db
    .updateTable('runs')
    .set(set)
    .where((eb) => runCondition(eb, filter, conn.dialect))
    .returningAll()
    .executeTakeFirst();
  return row ? (await completeRuns(conn.db, [row], true))[0] : undefined;
}

export interface FailOptions extends StateChange {
  /** The U(0.5, 1.5) factor of the back-off; random when absent. */
  jitter?: number;
  /** Back-off base (default straxen's 60 s; tests shrink it). */
  retryBaseMs?: number;
}

/**
 * Mark a run failed: reason stored, n_failures + 1 and next_retry = now + 60 s × jitter ×
 * 5^min(n_failures before, 3), all computed in the one UPDATE from the stored count.
 */
export async function markFailed(
  conn: Connection,
  number: number,
  host: string,
  reason: string,
  opts: FailOptions = {},
): Promise<RunDoc | undefined> {
  const now = (opts.now ?? new Date()).getTime();
  const jitter = opts.jitter ?? 0.5 + Math.random();
  const base = Math.round((opts.retryBaseMs ?? RETRY_BASE_MS) * jitter);
  const filter = stateFilter(number, host, opts);
  const row = await conn.db
    .updateTable('runs')
    .set((eb) => ({
      bootstrax_state: 'failed',
      bootstrax_host: host,
      bootstrax_time: now,
      bootstrax_reason: reason,
      bootstrax_n_failures: eb('bootstrax_n_failures', '+', 1),
      bootstrax_next_retry: sql<number>`cast(${now} as bigint) + cast(${base} as bigint) * (case
        when bootstrax_n_failures >= 3 then 125 when bootstrax_n_failures = 2 then 25
        when bootstrax_n_failures = 1 then 5 else 1 end)`,
    }))
    .where((eb) => runCondition(eb, filter, conn.dialect))
    .returningAll()
    .executeTakeFirst();
  return row ? (await completeRuns(conn.db, [row], true))[0] : undefined;
}

/**
 * Give a claim back without counting a failure (e.g. on shutdown): state null again. Only the
 * holder can, and only from `from` (default: considering).
 */
export async function releaseRun(
  conn: Connection,
  number: number,
  host: string,
  from: readonly BootstraxState[] = ['considering'],
): Promise<boolean> {
  const r = await conn.db
    .updateTable('runs')
    .set({ bootstrax_state: null, bootstrax_host: host, bootstrax_time: Date.now() })
    .where((eb) => runCondition(eb, { number, states: from, bootstraxHost: host }, conn.dialect))
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
