import { describe, expect, it } from 'vitest';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';
import { Records } from '../../src/core/records.js';
import { Events } from '../../src/plugins/events/index.js';
import { PeakProximity } from '../../src/plugins/peak_proximity/index.js';
import { REFERENCE_RUNS, runNumber } from '../helpers/reference.js';
import { configure, loadNpy, mergePeakInputs, timeRange } from './event-chain-fixtures.js';
import { chunked, runOverlapped } from './overlap-driver.js';

describe('overlap-window plugins fed in several chunks', () => {
  for (const run of REFERENCE_RUNS) {
    for (const nChunks of [3, 7]) {
      it(`${run} in ${nChunks} chunks: peak_proximity and events as from one chunk, events numbered 0..N-1`, () => {
        const { start, end } = timeRange(run, 'peaks');
        const basics = loadNpy(run, 'peak_basics');
        const prox = configure(new PeakProximity(), {
          peak_basics: basics.dtype, peak_positions: loadNpy(run, 'peak_positions').dtype,
        }, run).plugin;
        const proxIn = chunked(runNumber(run), 'peaks', 'peaks', mergePeakInputs(run, ['peak_basics', 'peak_positions']), start, end, nChunks);
        const proxOut = Records.concat(runOverlapped(prox, 'peaks', proxIn, 'peak_proximity', 'peaks'));
        const agP = compareRecords(proxOut, loadNpy(run, 'peak_proximity'), { rtol: 0 });
        if (!agP.ok) console.log(formatAgreement(agP));
        expect(agP.ok).toBe(true);

        const ev = configure(new Events(), { peak_basics: basics.dtype, peak_proximity: prox.inferDtype() }, run).plugin;
        ev.setup();
        // Count rows the plugin makes, to see that held-back events really were recomputed.
        let computed = 0;
        const compute = ev.compute.bind(ev);
        ev.compute = (inputs, range) => {
          const r = compute(inputs, range);
          computed += r.length;
          return r;
        };
        const evIn = chunked(runNumber(run), 'peaks', 'peaks', mergePeakInputs(run, ['peak_basics', 'peak_proximity']), start, end, nChunks);
        const parts = runOverlapped(ev, 'peaks', evIn, 'events', 'events');
        const events = Records.concat(parts);
        const agE = compareRecords(events, loadNpy(run, 'events'), { rtol: 0 });
        if (!agE.ok) console.log(formatAgreement(agE));
        expect(agE.ok).toBe(true);
        expect(computed).toBeGreaterThan(events.length);
        expect(Array.from(events.i64('event_number'), Number)).toEqual(Array.from({ length: events.length }, (_, i) => i));
      });
    }
  }
});
