// Default position reconstruction: the area-weighted centre of gravity of the top PMT array
// (straxts's stand-in for straxen's neural-network plugins, whose models are not public).
// Same class name, version and tracked options (none) as the plugin that made the reference data:
// the PMT positions come in as an untracked option.

import { any, defineOptions } from '../../core/option-schema.js';
import type { Records } from '../../core/records.js';
import { centreOfGravity } from '../../kernels/position-cog.js';
import { PeakPositionsBase, type ReconstructedPositions } from './peak-positions-base.js';

/** PMT positions of the top array and below [cm], channel i at index i. */
export interface PmtPositions {
  n_top_pmts: number;
  x: readonly number[];
  y: readonly number[];
}

const OPTIONS = defineOptions({
  pmt_positions: any<PmtPositions>(
    'resource://straxts_xenonnt_pmt_positions.json?fmt=json',
    'Positions [cm] of the PMTs as {n_top_pmts, x: [...], y: [...]}, channel i at index i; the first n_top_pmts channels are the top array. Change it only for another detector.',
    { track: false },
  ),
});

export class PeakPositionsCoG extends PeakPositionsBase<typeof OPTIONS> {
  static readonly moduleUrl = import.meta.url;
  // Row by row: chunks can be computed independently.
  override readonly parallel = true;
  // A weighted mean per peak, over its per-channel areas: shipping those to a worker thread cost
  // more than the mean (bench000333, --workers 2, with event_basics also kept: ~4 % faster whole
  // process, ~10 % warm; 10-minute run 31 → 29.5 s).
  override readonly computeOnPool = false;
  override readonly version = '0.0.1';
  readonly algorithm = 'cog';
  protected override readonly algorithmTitle = ', centre of gravity';
  override readonly options = OPTIONS;
  private pmtX = new Float64Array(0);
  private pmtY = new Float64Array(0);

  override setup(): void {
    const pos = this.cfg.pmt_positions;
    if (!pos || !Array.isArray(pos.x) || !Array.isArray(pos.y) || typeof pos.n_top_pmts !== 'number')
      throw new Error('PeakPositionsCoG: pmt_positions must be {n_top_pmts, x: [...], y: [...]}');
    this.pmtX = Float64Array.from(pos.x);
    this.pmtY = Float64Array.from(pos.y);
  }

  protected reconstruct(peaks: Records): ReconstructedPositions {
    const nChannels = peaks.width('area_per_channel');
    return centreOfGravity(
      peaks.f32('area_per_channel'),
      nChannels,
      this.cfg.pmt_positions.n_top_pmts,
      this.pmtX,
      this.pmtY,
    );
  }
}
