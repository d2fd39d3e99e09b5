// Resources straxts ships, found by resource:// when no file of that name is in the search
// folders: uniform (constant) detector maps, the standalone default where no measured map
// exists. Names carry a straxts_ prefix so they never pass for straxen's real map files.

import { N_TOP_PMTS, PMT_X, PMT_Y } from './pmt-positions.js';

export const UNIFORM_ZERO_MAP = 'straxts_map_zero.json';
export const UNIFORM_ONE_MAP = 'straxts_map_one.json';
export const UNIFORM_ZERO_Z_BIAS_MAP = 'straxts_map_zbias_zero.json';
/** XENONnT's PMT positions (pmt-positions.ts) for the position plugins' pmt_positions option. */
export const XENONNT_PMT_POSITIONS = 'straxts_xenonnt_pmt_positions.json';

export const BUNDLED_RESOURCES: Readonly<Record<string, unknown>> = {
  [UNIFORM_ZERO_MAP]: { coordinate_system: [], map: 0.0, name: 'uniform 0 (no correction)' },
  [UNIFORM_ONE_MAP]: { coordinate_system: [], map: 1.0, name: 'uniform 1 (no correction)' },
  [UNIFORM_ZERO_Z_BIAS_MAP]: { coordinate_system: [], z_bias_map: 0.0, name: 'uniform 0 z bias' },
  [XENONNT_PMT_POSITIONS]: { n_top_pmts: N_TOP_PMTS, x: Array.from(PMT_X), y: Array.from(PMT_Y) },
};
