import { describe, expect, it } from 'vitest';
import { checkProcessedData, coverageSource, missingLocations } from '../../../src/daq/bootstrax/checks.js';

const S = 1_000_000_000n;
const start = new Date('2026-01-01T00:00:00Z');
const end = new Date('2026-01-01T00:01:00Z');
const t0 = BigInt(start.getTime()) * 1_000_000n;
const chunk = (a: number, b: number, n = 10, filesize = 100) => ({
  n,
  filesize,
  firstTime: t0 + BigInt(a) * S,
  lastEndtime: t0 + BigInt(b) * S,
});
const raw = (chunks: ReturnType<typeof chunk>[]) => [{ dataType: 'raw_records', chunks }];

describe('bootstrax checks after processing', () => {
  it('passes data covering the run', () => {
    expect(checkProcessedData(raw([chunk(0, 30), chunk(30, 59)]), { start, end })).toBeNull();
  });

  it('fails each of straxen’s conditions with its own message', () => {
    expect(checkProcessedData([], { start, end })).toMatch(/metadata not readable/);
    expect(checkProcessedData(raw([]), { start, end })).toMatch(/no chunks were written/);
    expect(checkProcessedData(raw([chunk(0, 30), chunk(30, 59, 5, 0)]), { start, end })).toMatch(
      /chunk failed writing/,
    );
    expect(checkProcessedData(raw([chunk(0, 59)]), { start, end: null })).toMatch(/hasn't yet ended/);
    expect(checkProcessedData(raw([chunk(0, 30)]), { start, end })).toMatch(
      /covered 30.00 s, but run lasted 60.00 s/,
    );
  });

  it('an empty chunk with size 0 on disk is fine (no rows)', () => {
    expect(
      checkProcessedData(raw([chunk(0, 58), { n: 0, filesize: 0 } as never]), { start, end }),
    ).toBeNull();
  });

  it('judges by the first raw_records type that has times', () => {
    const stored = [
      { dataType: 'raw_records', chunks: [{ n: 0 }] },
      { dataType: 'raw_records_he', chunks: [chunk(0, 59)] },
    ];
    expect(coverageSource(stored)?.dataType).toBe('raw_records_he');
  });

  it('lists registered copies whose folder is not there', () => {
    const have = new Set(['/a']);
    expect(
      missingLocations(
        [
          { type: 'x', location: '/a' },
          { type: 'y', location: '/b' },
        ],
        (p) => have.has(p),
      ),
    ).toEqual(['y at /b']);
  });
});
