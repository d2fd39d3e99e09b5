import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { baselinedRecordsAndHits } from '../../src/kernels/records-pass.js';
import { baseline } from '../oracles/baseline.js';
import { integrate, rawToRecords } from '../oracles/pulse-processing.js';
import { findHits } from '../../src/kernels/hitfinder.js';
import {
  rowsBelowChannel,
  zeroOutOfBounds,
  type RawRecordColumns,
} from '../../src/kernels/pulse-processing.js';

const SPR = 12;
// Times are float64 ns offsets from the kernels' base.
const T0 = 1_000_000;

const rowArb = fc.record({
  channel: fc.integer({ min: 0, max: 4 }),
  continues: fc.boolean(),
  length: fc.integer({ min: 0, max: SPR }),
  level: fc.integer({ min: 15990, max: 16010 }),
  samples: fc.array(fc.integer({ min: -60, max: 60 }), { minLength: SPR, maxLength: SPR }),
});

interface Row {
  channel: number;
  continues: boolean;
  length: number;
  level: number;
  samples: number[];
}

function build(rows: Row[]): RawRecordColumns {
  const n = rows.length;
  const raw: RawRecordColumns = {
    time: new Float64Array(n),
    length: new Int32Array(n),
    dt: new Int16Array(n),
    channel: new Int16Array(n),
    pulse_length: new Int32Array(n),
    record_i: new Int16Array(n),
    baseline: new Int16Array(n),
    data: new Int16Array(n * SPR),
  };
  const seen = new Set<number>();
  rows.forEach((x, i) => {
    raw.time[i] = T0 + i * 50;
    raw.length[i] = x.length;
    raw.dt[i] = 10;
    raw.channel[i] = x.channel;
    // a continuation only after a first fragment of the same channel (else baseline throws)
    raw.record_i[i] = x.continues && seen.has(x.channel) ? 1 : 0;
    seen.add(x.channel);
    raw.pulse_length[i] = x.length;
    raw.baseline[i] = 16000;
    // garbage beyond length, as a careless digitiser might leave it
    raw.data.set(
      x.samples.map((s) => x.level - s),
      i * SPR,
    );
  });
  return raw;
}

describe('baselinedRecordsAndHits equals strax’s sequence of kernels', () => {
  it('records fields and hits are identical (property)', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 30 }),
        fc.integer({ min: 1, max: SPR + 3 }),
        fc.boolean(),
        fc.array(fc.integer({ min: -5, max: 40 }), { minLength: 5, maxLength: 5 }),
        fc.constantFrom(0, 0.5, 3),
        fc.integer({ min: 2, max: 5 }),
        (rows, nbs, flip, amp, hon, maxCh) => {
          const raw = build(rows);
          const sel = rowsBelowChannel(raw.channel, maxCh);
          const ref = rawToRecords(raw, sel);
          zeroOutOfBounds(ref.length, ref.data);
          baseline(ref, { baselineSamples: nbs, flip });
          integrate(ref);
          const refHits = findHits(ref, amp, hon);
          const { records, hits } = baselinedRecordsAndHits(
            raw,
            sel,
            { baselineSamples: nbs, flip },
            { minAmplitude: amp, minHeightOverNoise: hon },
          );
          for (const k of Object.keys(ref) as (keyof typeof ref)[])
            expect(Array.from(records[k] as ArrayLike<unknown>)).toEqual(
              Array.from(ref[k] as ArrayLike<unknown>),
            );
          for (const k of Object.keys(refHits) as (keyof typeof refHits)[])
            expect(Array.from(hits![k] as ArrayLike<unknown>)).toEqual(
              Array.from(refHits[k] as ArrayLike<unknown>),
            );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('missing first fragment is an error', () => {
    const raw = build([
      { channel: 1, continues: false, length: 3, level: 16000, samples: new Array(SPR).fill(0) },
    ]);
    raw.record_i[0] = 2;
    expect(() => baselinedRecordsAndHits(raw, undefined, {}, null)).toThrow(/missing 0th fragment/);
  });
});
