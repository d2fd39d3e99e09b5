// bootstrax's run state machine (spec scripts.md §1.5) as pure data: which states an event may
// start from, where it leads, and what must be done on the disk and in the database before or
// after the state is written. The daemon performs the effects; the runs database makes each
// state write one conditional update whose `from` states come from this table, so two hosts
// can never both move a run.

import type { BootstraxState } from '../../rundb/rundb.js';

export type RunState = BootstraxState | null;

export type RunEvent =
  /** A host takes a new run, or a failed one whose back-off has passed. */
  | { kind: 'claim' }
  /** The processing child has started. */
  | { kind: 'start' }
  /** The holder says it is still working (refreshes the claim's time). */
  | { kind: 'heartbeat' }
  /** Processing and the checks after it succeeded. */
  | { kind: 'succeed' }
  /** Processing or a check failed on the holding host. */
  | { kind: 'fail'; reason: string }
  /** Another host's claim went stale (considering > 60 s, busy > 120 s): any host fails it. */
  | { kind: 'stale'; reason: string }
  /** This host restarted and finds claims of its own: they cannot be running any more. */
  | { kind: 'crashed-own'; reason: string }
  /** A done run without an end or without processed data (periodic clean-up). */
  | { kind: 'inconsistent-done'; reason: string }
  /** The run carries an `abandon` tag (done runs only within 24 h of their start). */
  | { kind: 'abandon-tag'; reason: string }
  /** `--fail N [REASON]`: retried later like any failure. */
  | { kind: 'manual-fail'; reason: string }
  /** `--abandon N`: terminal. */
  | { kind: 'manual-abandon' }
  /** The holder stops (SIGTERM) before finishing: the run is claimable again, no failure. */
  | { kind: 'release' };

export type EventKind = RunEvent['kind'];

export type Effect =
  /** Stop the processing child (SIGKILL) before anything else. */
  | { kind: 'kill-child' }
  /** Remove this host's data of the run (disk and registration), keeping raw_records once the
   * live data is gone. */
  | { kind: 'clean-host-data' }
  /** status := eb_finished_pre (only from null / needs_upload). */
  | { kind: 'set-status-finished' }
  /** Delete the run's live_data (only after raw_records were read back complete). */
  | { kind: 'delete-live' };

export interface Transition {
  /** States the event may start from (the condition of the database update). */
  from: readonly RunState[];
  /** The new state. */
  to: RunState;
  /** Does this count a failure (n_failures + 1, next_retry by back-off)? */
  countsFailure: boolean;
}

const ACTIVE: readonly RunState[] = ['considering', 'busy'];

export const TRANSITIONS: Readonly<Record<EventKind, Transition>> = {
  claim: { from: [null, 'failed'], to: 'considering', countsFailure: false },
  start: { from: ['considering'], to: 'busy', countsFailure: false },
  heartbeat: { from: ['busy'], to: 'busy', countsFailure: false },
  succeed: { from: ['busy'], to: 'done', countsFailure: false },
  fail: { from: ACTIVE, to: 'failed', countsFailure: true },
  stale: { from: ACTIVE, to: 'failed', countsFailure: true },
  'crashed-own': { from: ACTIVE, to: 'failed', countsFailure: true },
  'inconsistent-done': { from: ['done'], to: 'failed', countsFailure: true },
  'abandon-tag': { from: ['done', 'failed'], to: 'abandoned', countsFailure: true },
  'manual-fail': { from: [null, 'considering', 'busy', 'failed', 'done'], to: 'failed', countsFailure: true },
  'manual-abandon': {
    from: [null, 'considering', 'busy', 'failed', 'done'],
    to: 'abandoned',
    countsFailure: false,
  },
  release: { from: ACTIVE, to: null, countsFailure: false },
};

export interface MachineSettings {
  /** Only production touches the database and deletes data (test mode only logs). */
  production: boolean;
  /** --delete_live */
  deleteLive: boolean;
  /** Whether this host holds the run (its processing child may be running here). */
  holdsRun: boolean;
}

export type Outcome =
  | { ok: true; to: RunState; countsFailure: boolean; before: Effect[]; after: Effect[] }
  | { ok: false; why: string };

/**
 * Apply an event to a run's state: the new state and the effects to perform before the state
 * is written (so a crash in between leaves the run claimed, to go stale, never `done` with
 * work missing) and after it.
 */
export function transition(state: RunState, event: RunEvent, s: MachineSettings): Outcome {
  const t = TRANSITIONS[event.kind];
  if (!t.from.includes(state)) {
    return { ok: false, why: `a run in state ${state ?? 'new'} cannot take event ${event.kind}` };
  }
  const before: Effect[] = [];
  const after: Effect[] = [];
  if (s.holdsRun && state === 'busy' && t.to !== 'busy' && t.to !== 'done')
    before.push({ kind: 'kill-child' });
  // Cleaning deletes: production only (straxen cleans in test mode too), and never on a
  // release, which keeps nothing half-written registered but is not a failure.
  const cleans = t.countsFailure || event.kind === 'release';
  if (s.production && cleans && (s.holdsRun || event.kind !== 'release'))
    before.push({ kind: 'clean-host-data' });
  if (event.kind === 'succeed' && s.production) {
    after.push({ kind: 'set-status-finished' });
    if (s.deleteLive) after.push({ kind: 'delete-live' });
  }
  return { ok: true, to: t.to, countsFailure: t.countsFailure, before, after };
}

/**
 * Delay before a failed run may be claimed again: base × jitter × 5^min(failures before, 3)
 * (30–90 s, 150–450 s, 750–2250 s, then 3750–11250 s with straxen's 60 s base).
 */
export function retryDelayMs(failuresBefore: number, jitter: number, baseMs: number): number {
  return baseMs * jitter * 5 ** Math.min(Math.max(failuresBefore, 0), 3);
}

/** Message class of a failure as straxen logs it. */
export function failureClass(failuresBefore: number, event: RunEvent): 'New failure' | 'Repeated failure' {
  return failuresBefore > 0 || event.kind === 'stale' ? 'Repeated failure' : 'New failure';
}

/** Reason text stored in the run document: `<host>:\n<reason>\n<traceback>` as straxen. */
export function storedReason(host: string, reason: string, traceback = ''): string {
  return `${host}:\n${reason}\n${traceback}`;
}

/** The host a run's processed data belongs to: its claimer while it is being or has been
 * processed (considering, busy, done); null in any other state. Copies of other hosts are
 * leftovers (a lost claim, a crashed host). */
export function workingHost(run: { bootstrax: { state: RunState; host: string | null } }): string | null {
  const { state, host } = run.bootstrax;
  return state === 'considering' || state === 'busy' || state === 'done' ? host : null;
}

/** The stale-claim reason straxen writes. */
export function staleReason(host: string | null, state: string, time: Date | null): string {
  return (
    `Host ${host ?? '?'} said it was ${state} at ${time?.toISOString() ?? '?'}, but then didn't get ` +
    `further; perhaps it crashed on this run or is still stuck?`
  );
}
