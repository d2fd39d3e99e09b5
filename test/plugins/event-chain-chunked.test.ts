import { describe, expect, it } from 'vitest';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';
import { Events } from '../../src/plugins/events/index.js';
import { EventBasicsVanilla } from '../../src/plugins/event_basics/index.js';
import { PeakProximity } from '../../src/plugins/peak_proximity/index.js';
import { REFERENCE_RUNS, runNumber } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { loadNpy, timeRange } from './event-chain-fixtures.js';
import { chunkedAligned, runChunked } from './overlap-driver.js';

const kindOf = (d: string): string => (d === 'events' ? 'events' : 'peaks');

describe('event chain fed in several chunks through the engine', () => {
  for (const run of REFERENCE_RUNS) {
    for (const nChunks of [3, 7]) {
      it(`${run} in ${nChunks} chunks: same rows as from one chunk, events numbered 0..N-1`, async () => {
        const { start, end } = timeRange(run, 'peaks');
        const ref = Object.fromEntries(
          ['peak_basics', 'peak_positions', 'peak_proximity', 'events', 'event_basics'].map((t) => [
            t,
            loadNpy(run, t),
          ]),
        );
        const id = runNumber(run);

        const prox = (await configuredPlugin(PeakProximity, run)).plugin;
        const proxIn = chunkedAligned(
          id,
          { peak_basics: ref.peak_basics!, peak_positions: ref.peak_positions! },
          'peaks',
          start,
          end,
          nChunks,
        );
        const agP = compareRecords(await runChunked(prox, proxIn, kindOf), ref.peak_proximity!, { rtol: 0 });
        if (!agP.ok) console.log(formatAgreement(agP));
        expect(agP.ok).toBe(true);

        const ev = (await configuredPlugin(Events, run)).plugin;
        let computed = 0;
        const compute = ev.compute.bind(ev);
        ev.compute = (inputs, range) => {
          const r = compute(inputs, range);
          computed += r.length;
          return r;
        };
        const evIn = chunkedAligned(
          id,
          { peak_basics: ref.peak_basics!, peak_proximity: ref.peak_proximity! },
          'peaks',
          start,
          end,
          nChunks,
        );
        const events = await runChunked(ev, evIn, kindOf);
        const agE = compareRecords(events, ref.events!, { rtol: 0 });
        if (!agE.ok) console.log(formatAgreement(agE));
        expect(agE.ok).toBe(true);
        // Held-back events were recomputed, yet each number is handed out once.
        expect(computed).toBeGreaterThan(events.length);
        expect(Array.from(events.i64('event_number'), Number)).toEqual(
          Array.from({ length: events.length }, (_, i) => i),
        );

        // event_basics per chunk: events and peaks split at the same times.
        const eb = (await configuredPlugin(EventBasicsVanilla, run)).plugin;
        const ebIn = chunkedAligned(
          id,
          {
            events: ref.events!,
            peak_basics: ref.peak_basics!,
            peak_positions: ref.peak_positions!,
            peak_proximity: ref.peak_proximity!,
          },
          'x',
          start,
          end,
          nChunks,
        );
        const agB = compareRecords(await runChunked(eb, ebIn, kindOf), ref.event_basics!, { rtol: 0 });
        if (!agB.ok) console.log(formatAgreement(agB));
        expect(agB.ok).toBe(true);
      });
    }
  }
});
