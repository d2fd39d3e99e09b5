// Every plugin of the vanilla XENONnT chain straxts ships, in data-flow order
// (raw_records from the detector simulation … event_info_double).

import type { PluginClass } from '../core/plugin.js';
import { CorrectedAreas } from './corrected_areas/index.js';
import { DistinctChannels } from './distinct_channels/index.js';
import { EnergyEstimates } from './energy_estimates/index.js';
import { EventBasicsVanilla } from './event_basics/index.js';
import { EventInfo } from './event_info/index.js';
import { EventInfoDouble } from './event_info_double/index.js';
import { EventPositions } from './event_positions/index.js';
import { Events } from './events/index.js';
import { MergedS2sVanilla } from './merged_s2s/index.js';
import { PeakBasicsVanilla } from './peak_basics/index.js';
import { PeakPositionsCoG } from './peak_positions/index.js';
import { PeakProximity } from './peak_proximity/index.js';
import { PeakletClassificationVanilla } from './peaklet_classification/index.js';
import { Peaklets } from './peaklets/index.js';
import { PeaksVanilla } from './peaks/index.js';
import { SimRawRecords } from './raw_records/index.js';
import { PulseProcessing } from './records/index.js';

/** raw_records → records … peak_basics (the TPC chain). */
export const TPC_PLUGINS: readonly PluginClass[] = [
  SimRawRecords,
  PulseProcessing,
  Peaklets,
  PeakletClassificationVanilla,
  MergedS2sVanilla,
  PeaksVanilla,
  PeakBasicsVanilla,
];

/** peak_positions … event_info_double (the event chain). */
export const EVENT_PLUGINS: readonly PluginClass[] = [
  PeakPositionsCoG,
  PeakProximity,
  Events,
  EventBasicsVanilla,
  EventPositions,
  CorrectedAreas,
  EnergyEstimates,
  EventInfo,
  DistinctChannels,
  EventInfoDouble,
];

/** The whole vanilla chain, raw_records … event_info_double. */
export const VANILLA_PLUGINS: readonly PluginClass[] = [...TPC_PLUGINS, ...EVENT_PLUGINS];
