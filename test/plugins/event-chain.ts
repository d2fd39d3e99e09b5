// The first half of the event chain run end to end on a reference run's peaks and
// peak_basics: peak_positions → peak_proximity → events → event_basics, each computed by
// straxts from the previous one (one chunk, as the reference).

import { Records } from '../../src/core/records.js';
import { EventBasicsVanilla } from '../../src/plugins/event_basics/index.js';
import { Events } from '../../src/plugins/events/index.js';
import { PeakPositionsCoG } from '../../src/plugins/peak_positions/index.js';
import { PeakProximity } from '../../src/plugins/peak_proximity/index.js';
import { configure, loadNpy, timeRange } from './event-chain-fixtures.js';

export interface ChainOutput {
  peakPositions: Records;
  peakProximity: Records;
  events: Records;
  eventBasics: Records;
}

export function runEventChain(run: string): ChainOutput {
  const peaks = loadNpy(run, 'peaks');
  const basics = loadNpy(run, 'peak_basics');
  const { start, end } = timeRange(run, 'peaks');
  const range = { start, end, chunkI: 0 };

  const pos = configure(new PeakPositionsCoG(), { peaks: peaks.dtype }, run).plugin;
  const peakPositions = pos.compute({ peaks });

  const prox = configure(
    new PeakProximity(),
    { peak_basics: basics.dtype, peak_positions: pos.inferDtype() },
    run,
  ).plugin;
  const peakProximity = prox.compute({ peaks: Records.mergeColumns([basics, peakPositions]) }, range);

  const ev = configure(
    new Events(),
    { peak_basics: basics.dtype, peak_proximity: prox.inferDtype() },
    run,
  ).plugin;
  ev.setup();
  const events = ev.compute({ peaks: Records.mergeColumns([basics, peakProximity]) }, range);

  const eb = configure(
    new EventBasicsVanilla(),
    {
      events: ev.inferDtype(),
      peak_basics: basics.dtype,
      peak_positions: pos.inferDtype(),
      peak_proximity: prox.inferDtype(),
    },
    run,
  ).plugin;
  eb.setup();
  const eventBasics = eb.compute({
    events,
    peaks: Records.mergeColumns([basics, peakPositions, peakProximity]),
  });
  return { peakPositions, peakProximity, events, eventBasics };
}
