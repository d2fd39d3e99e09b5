// Default position reconstruction: the area-weighted centre of gravity of the top PMT array
// (straxts's stand-in for straxen's neural-network plugins, whose models are not public).
// Same class name, version and (absent) options as the plugin that made the reference data.

import { N_TOP_PMTS, PMT_X, PMT_Y } from '../../config/pmt-positions.js';
import type { Records } from '../../core/records.js';
import { centreOfGravity } from '../../kernels/position-cog.js';
import { PeakPositionsBase, type ReconstructedPositions } from './peak-positions-base.js';

export class PeakPositionsCoG extends PeakPositionsBase {
  static readonly moduleUrl = import.meta.url;
  // Row by row: chunks can be computed independently on the worker pool.
  override readonly parallel = true;
  override readonly version = '0.0.1';
  readonly algorithm = 'cog';
  protected override readonly algorithmTitle = ', centre of gravity';

  protected reconstruct(peaks: Records): ReconstructedPositions {
    const nChannels = peaks.width('area_per_channel');
    return centreOfGravity(peaks.f32('area_per_channel'), nChannels, N_TOP_PMTS, PMT_X, PMT_Y);
  }
}
