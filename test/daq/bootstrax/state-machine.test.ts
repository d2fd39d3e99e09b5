import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  failureClass,
  retryDelayMs,
  TRANSITIONS,
  transition,
  workingHost,
  type RunEvent,
  type RunState,
} from '../../../src/daq/bootstrax/state-machine.js';

const STATES: RunState[] = [null, 'considering', 'busy', 'done', 'failed', 'abandoned'];
const EVENTS: RunEvent[] = [
  { kind: 'claim' },
  { kind: 'start' },
  { kind: 'heartbeat' },
  { kind: 'succeed' },
  { kind: 'fail', reason: 'x' },
  { kind: 'stale', reason: 'x' },
  { kind: 'crashed-own', reason: 'x' },
  { kind: 'inconsistent-done', reason: 'x' },
  { kind: 'abandon-tag', reason: 'x' },
  { kind: 'manual-fail', reason: 'x' },
  { kind: 'manual-abandon' },
  { kind: 'release' },
];
const PROD = { production: true, deleteLive: false, holdsRun: true };

describe('bootstrax run state machine', () => {
  it('follows straxen: new -> considering -> busy -> done', () => {
    let s: RunState = null;
    for (const [ev, to] of [
      [{ kind: 'claim' }, 'considering'],
      [{ kind: 'start' }, 'busy'],
      [{ kind: 'heartbeat' }, 'busy'],
      [{ kind: 'succeed' }, 'done'],
    ] as const) {
      const o = transition(s, ev, PROD);
      expect(o.ok).toBe(true);
      if (o.ok) s = o.to;
      expect(s).toBe(to);
    }
  });

  it('a failure cleans this host’s data first, counts, and a failed run can be claimed again', () => {
    const o = transition('busy', { kind: 'fail', reason: 'boom' }, PROD);
    expect(o).toMatchObject({ ok: true, to: 'failed', countsFailure: true });
    if (o.ok) expect(o.before.map((e) => e.kind)).toEqual(['kill-child', 'clean-host-data']);
    expect(transition('failed', { kind: 'claim' }, PROD)).toMatchObject({ ok: true, to: 'considering' });
  });

  it('abandoned is terminal: no event leaves it', () => {
    for (const ev of EVENTS) expect(transition('abandoned', ev, PROD).ok).toBe(false);
  });

  it('done is left only by the clean-up rules and the manual commands', () => {
    const leaving = EVENTS.filter((ev) => transition('done', ev, PROD).ok).map((e) => e.kind);
    expect(leaving.sort()).toEqual(['abandon-tag', 'inconsistent-done', 'manual-abandon', 'manual-fail']);
  });

  it('test mode never deletes anything (straxen cleans on failures even then)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATES),
        fc.constantFrom(...EVENTS),
        fc.boolean(),
        fc.boolean(),
        (s, ev, deleteLive, holdsRun) => {
          const o = transition(s, ev, { production: false, deleteLive, holdsRun });
          if (!o.ok) return;
          const kinds = [...o.before, ...o.after].map((e) => e.kind);
          expect(kinds).not.toContain('clean-host-data');
          expect(kinds).not.toContain('delete-live');
          expect(kinds).not.toContain('set-status-finished');
        },
      ),
    );
  });

  it('live_data deletion is only ever an effect of success, after the state is written', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATES), fc.constantFrom(...EVENTS), fc.boolean(), (s, ev, holdsRun) => {
        const o = transition(s, ev, { production: true, deleteLive: true, holdsRun });
        if (!o.ok) return;
        expect(o.before.map((e) => e.kind)).not.toContain('delete-live');
        if (o.after.some((e) => e.kind === 'delete-live')) expect(o.to).toBe('done');
      }),
    );
  });

  it('an event is accepted exactly from the states of its table row', () => {
    for (const ev of EVENTS)
      for (const s of STATES) expect(transition(s, ev, PROD).ok).toBe(TRANSITIONS[ev.kind].from.includes(s));
  });

  it('a release gives the claim back uncounted and keeps nothing half-written registered', () => {
    const o = transition('busy', { kind: 'release' }, PROD);
    expect(o).toMatchObject({ ok: true, to: null, countsFailure: false });
    if (o.ok) expect(o.before.map((e) => e.kind)).toEqual(['kill-child', 'clean-host-data']);
  });

  it('back-off: 60 s × jitter × 5^min(n, 3)', () => {
    expect(retryDelayMs(0, 1, 60_000)).toBe(60_000);
    expect(retryDelayMs(1, 0.5, 60_000)).toBe(150_000);
    expect(retryDelayMs(2, 1.5, 60_000)).toBe(2_250_000);
    expect(retryDelayMs(3, 1, 60_000)).toBe(7_500_000);
    expect(retryDelayMs(9, 1, 60_000)).toBe(7_500_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0.5, max: 1.5, noNaN: true }), (n, j) => {
        const d = retryDelayMs(n, j, 60_000);
        expect(d).toBeGreaterThanOrEqual(30_000 * 5 ** Math.min(n, 3) - 1e-6);
        expect(d).toBeLessThanOrEqual(90_000 * 5 ** Math.min(n, 3) + 1e-6);
      }),
    );
  });

  it('names failures as straxen logs them', () => {
    expect(failureClass(0, { kind: 'fail', reason: '' })).toBe('New failure');
    expect(failureClass(2, { kind: 'fail', reason: '' })).toBe('Repeated failure');
    expect(failureClass(0, { kind: 'stale', reason: '' })).toBe('Repeated failure');
  });

  it('a run belongs to its claimer while considering, busy or done, else to no host', () => {
    const owners = STATES.map((state) => workingHost({ bootstrax: { state, host: 'eb3' } }));
    expect(owners).toEqual([null, 'eb3', 'eb3', 'eb3', null, null]);
  });
});
