import { describe, expect, it } from 'vitest';
import { STRAXEN_TIMING } from '../../../src/daq/bootstrax/constants.js';
import { limitReached } from '../../../src/daq/bootstrax/limits.js';

const H = 3_600_000;
const t0 = Date.UTC(2026, 0, 1);

describe('bootstrax limits on the processing child (straxen’s constants)', () => {
  it('lets a child run that writes and is within 72 h', () => {
    expect(
      limitReached(
        { now: t0 + 71 * H, startedMs: t0, runEndMs: null, lastWriteMs: t0 + 71 * H },
        STRAXEN_TIMING,
      ),
    ).toBeNull();
  });
  it('stops after 72 h', () => {
    expect(
      limitReached(
        { now: t0 + 73 * H, startedMs: t0, runEndMs: null, lastWriteMs: t0 + 73 * H },
        STRAXEN_TIMING,
      ),
    ).toMatch(/longer than 259200 sec/);
  });
  it('stops 13 h after the run ended (if it also ran 13 h)', () => {
    const c = { startedMs: t0, lastWriteMs: t0 + 14 * H };
    expect(limitReached({ ...c, now: t0 + 14 * H, runEndMs: t0 }, STRAXEN_TIMING)).toMatch(/46800 sec/);
    expect(limitReached({ ...c, now: t0 + 14 * H, runEndMs: t0 + 2 * H }, STRAXEN_TIMING)).toBeNull();
  });
  it('stops after 30 min without a write, not before 30 min of processing', () => {
    expect(
      limitReached({ now: t0 + 29 * 60_000, startedMs: t0, runEndMs: null, lastWriteMs: 0 }, STRAXEN_TIMING),
    ).toBeNull();
    expect(
      limitReached({ now: t0 + 31 * 60_000, startedMs: t0, runEndMs: null, lastWriteMs: 0 }, STRAXEN_TIMING),
    ).toMatch(/No data written for 1800 sec. Last write is from never/);
    expect(
      limitReached(
        { now: t0 + 2 * H, startedMs: t0, runEndMs: null, lastWriteMs: t0 + 2 * H - 60_000 },
        STRAXEN_TIMING,
      ),
    ).toBeNull();
  });
});
