// straxen microstrax's load estimate: which chunks a request touches and where max_n cuts the
// range, on chunk lists made up for the purpose.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DataMetadata } from '../../src/storage/metadata.js';
import { loadEstimate } from '../../src/web/get-data.js';

/** Metadata with contiguous chunks of the given row counts, 1000 ns and 100 bytes per row each. */
function chunks(rows: readonly number[]): DataMetadata {
  let t = 0n;
  return {
    chunks: rows.map((n, chunkI) => {
      const c = { chunkI, start: t, end: t + 1000n, n, nbytes: 100 * n, runId: '000001' };
      t += 1000n;
      return c;
    }),
  } as unknown as DataMetadata;
}

describe('loadEstimate', () => {
  it('without max_n loads everything (the whole run)', () => {
    expect(loadEstimate(chunks([5, 6, 7]), null, null)).toEqual({ bytes: 1800, range: [0n, 3000n] });
  });

  it('counts rows only of chunks strictly inside the range, and cuts after passing max_n', () => {
    // The first chunk starts at the range start, so (as in straxen) its rows do not count.
    expect(loadEstimate(chunks([5, 6, 7, 8]), null, 5)).toEqual({ bytes: 1100, range: [0n, 2000n] });
    expect(loadEstimate(chunks([5, 6, 7, 8]), null, 100)).toEqual({ bytes: 2600, range: [0n, 4000n] });
  });

  it('skips chunks outside a given range', () => {
    expect(loadEstimate(chunks([5, 6, 7, 8]), [1500n, 2500n], 1000)).toEqual({
      bytes: 1300,
      range: [1500n, 2500n],
    });
  });

  it('never estimates more than the whole data, and the range stays inside the asked one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(50), { minLength: 1, maxLength: 20 }),
        fc.option(fc.nat(500)),
        (rows, maxN) => {
          const md = chunks(rows);
          const total = rows.reduce((s, n) => s + 100 * n, 0);
          const est = loadEstimate(md, null, maxN);
          expect(est.bytes).toBeLessThanOrEqual(total);
          expect(est.range![0]).toBe(0n);
          expect(est.range![1]).toBeLessThanOrEqual(BigInt(rows.length) * 1000n);
          if (maxN === null) expect(est.bytes).toBe(total);
        },
      ),
    );
  });
});
