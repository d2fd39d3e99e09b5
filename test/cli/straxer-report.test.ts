// straxer's progress lines count the chunks of the stored input (raw_records), whatever number
// of output chunks the target arrives in; --debug adds a line per output chunk.

import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProgressInfo } from '../../src/core/context/context.js';
import { ProgressReporter, StraxerLog } from '../../src/cli/straxer/report.js';

function capture(debug: boolean): { log: StraxerLog; lines: () => string[] } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (b: Buffer) => (text += b.toString()));
  const log = new StraxerLog({ out, err: new PassThrough() }, debug);
  return { log, lines: () => text.split('\n').filter((l) => l !== '') };
}

const info = (chunks: number, end: bigint): ProgressInfo => ({
  runId: '000001',
  target: 'event_info_double',
  chunks,
  bytes: chunks * 100,
  end,
  fraction: null,
  seconds: 1,
});

describe('progress counter', () => {
  it('names the input chunk being processed, never past the total, the last at the end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 120 }),
        (nInput, outputEnds) => {
          // Input chunks of 1000 ns from 0; outputs end anywhere, in order, the last at the run end.
          const starts = Array.from({ length: nInput }, (_, i) => BigInt(i * 1000));
          const ends = [...outputEnds].sort((a, b) => a - b).map((e) => BigInt(Math.min(e, nInput * 1000)));
          ends.push(BigInt(nInput * 1000));
          const reporter = new ProgressReporter(
            capture(false).log,
            null,
            {
              duration: null,
              rawBytes: null,
              input: { dataType: 'raw_records', chunkStarts: starts },
            },
            0,
          );
          let prev = 0;
          ends.forEach((end, k) => {
            const m = /raw_records chunk (\d+) of (\d+)/.exec(reporter.describe(info(k + 1, end)))!;
            const at = Number(m[1]);
            expect(Number(m[2])).toBe(nInput);
            expect(at).toBeGreaterThanOrEqual(Math.max(1, prev));
            expect(at).toBeLessThanOrEqual(nInput);
            prev = at;
          });
          expect(prev).toBe(nInput);
        },
      ),
    );
  });

  it('without a known input, says the count is of output chunks', () => {
    const r = new ProgressReporter(capture(false).log, null, { duration: null, rawBytes: null });
    expect(r.describe(info(63, 10n))).toMatch(/^event_info_double: 63 output chunks, /);
  });

  it('--debug logs each output chunk; without it, nothing at DEBUG', () => {
    for (const debug of [true, false]) {
      const c = capture(debug);
      const r = new ProgressReporter(c.log, null, { duration: null, rawBytes: null }, 3600);
      r.update(info(1, 500n));
      r.update(info(2, 900n));
      const dbg = c.lines().filter((l) => l.includes(' - straxer - DEBUG - '));
      expect(dbg).toHaveLength(debug ? 2 : 0);
      if (debug)
        expect(dbg[1]).toMatch(/DEBUG - event_info_double chunk 2 ends at 900 ns \(200 bytes so far\)$/);
    }
  });
});
