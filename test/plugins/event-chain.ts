// The first half of the event chain run end to end on a reference run's peaks and
// peak_basics: peak_positions → peak_proximity → events → event_basics, each computed by
// straxts from the previous one (one chunk, as the reference).

import { Records } from '../../src/core/records.js';
import { EventBasicsVanilla } from '../../src/plugins/event_basics/index.js';
import { Events } from '../../src/plugins/events/index.js';
import { PeakPositionsCoG } from '../../src/plugins/peak_positions/index.js';
import { PeakProximity } from '../../src/plugins/peak_proximity/index.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { loadNpy, timeRange } from './event-chain-fixtures.js';

export interface ChainOutput {
  peakPositions: Records;
  peakProximity: Records;
  events: Records;
  eventBasics: Records;
}

export async function runEventChain(run: string): Promise<ChainOutput> {
  const peaks = loadNpy(run, 'peaks');
  const basics = loadNpy(run, 'peak_basics');
  const { start, end } = timeRange(run, 'peaks');
  const range = { start, end, chunkI: 0 };

  const pos = (await configuredPlugin(PeakPositionsCoG, run)).plugin;
  const peakPositions = pos.compute({ peaks });
  const prox = (await configuredPlugin(PeakProximity, run)).plugin;
  const peakProximity = prox.compute({ peaks: Records.mergeColumns([basics, peakPositions]) }, range);
  const ev = (await configuredPlugin(Events, run)).plugin;
  const events = ev.compute({ peaks: Records.mergeColumns([basics, peakProximity]) }, range);
  const eb = (await configuredPlugin(EventBasicsVanilla, run)).plugin;
  const eventBasics = eb.compute({
    events,
    peaks: Records.mergeColumns([basics, peakPositions, peakProximity]),
  });
  return { peakPositions, peakProximity, events, eventBasics };
}
