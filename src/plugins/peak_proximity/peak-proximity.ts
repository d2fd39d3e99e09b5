// straxen PeakProximity: per peak, how strongly earlier large S2s nearby in time and space
// could have caused it, and how many comparable S2s are near it in time.

import { DType } from '../../core/dtype.js';
import { OverlapWindowPlugin, type ComputeRange, type InputsByKind } from '../../core/plugin.js';
import { pyFloat } from '../../core/python/float.js';
import { Records } from '../../core/records.js';
import { TIME_FIELDS } from '../../core/standard-dtypes.js';
import { timeOffsets } from '../../core/int64-time.js';
import { peakProximity } from '../../kernels/peak-proximity.js';
import { any, defineOptions, list, num } from '../../core/option-schema.js';

const OPTIONS = defineOptions({
  proximity_type: any<number | readonly number[]>(
    2,
    'Peak type, or list of types, that count as competitors when scoring a peak (2: S2s).',
  ),
  proximity_min_area_fraction: num(
    0.2,
    'A competitor counts only if its area is at least this fraction of the scored peak area.',
  ),
  proximity_window: num(
    10_000_000,
    'Half-width [ns] of the time window, on either side of a peak, in which competitors are looked for; it also sets the overlap window.',
  ),
  proximity_exponents: list<readonly number[]>(
    [pyFloat(1), pyFloat(-1), pyFloat(1)],
    'Three exponents of the proximity score: of the time difference, of the distance in (x, y) and of the competitor area.',
  ),
  proximity_sigma: num(
    pyFloat(20),
    'Scale [cm] of the half-Cauchy distance weight; depends on the S2 area in straxen, a constant here.',
  ),
});

export class PeakProximity extends OverlapWindowPlugin<typeof OPTIONS> {
  readonly provides: readonly string[] = ['peak_proximity'];
  override readonly dependsOn: readonly string[] = ['peak_basics', 'peak_positions'];
  override readonly version = '0.6.0';
  override readonly options = OPTIONS;

  override inferDtype(): DType {
    return DType.of([
      { name: 'proximity_score', type: '<f4', title: 'Strength of proximity peaks in (time, space)' },
      {
        name: 'n_competing_left',
        type: '<i4',
        title: 'Number of larger or slightly smaller peaks left of the main peak',
      },
      { name: 'n_competing', type: '<i4', title: 'Number of nearby larger or slightly smaller peaks' },
      ...TIME_FIELDS,
    ]);
  }

  getWindowSize(): number {
    return 10 * this.cfg.proximity_window;
  }

  override compute(inputs: InputsByKind, range: ComputeRange): Records {
    const peaks = inputs['peaks'];
    if (!peaks) throw new Error('PeakProximity: needs peaks');
    const types = this.cfg.proximity_type;
    const typeList = Array.isArray(types) ? types.map(Number) : [Number(types)];
    const exps = this.cfg.proximity_exponents;
    if (!Array.isArray(exps) || exps.length !== 3)
      throw new Error('PeakProximity: proximity_exponents must be a list of three numbers');
    const base = range.start;
    const time = peaks.i64('time'),
      endtime = peaks.i64('endtime');
    const res = peakProximity(
      {
        time: timeOffsets(time, base),
        endtime: timeOffsets(endtime, base),
        centerTime: timeOffsets(peaks.i64('center_time'), base),
        area: peaks.f32('area'),
        x: peaks.f32('x'),
        y: peaks.f32('y'),
        type: peaks.col('type') as Int8Array,
      },
      {
        types: typeList,
        minAreaFraction: this.cfg.proximity_min_area_fraction,
        window: this.cfg.proximity_window,
        exponents: [Number(exps[0]), Number(exps[1]), Number(exps[2])],
        sigma: this.cfg.proximity_sigma,
      },
    );
    return new Records(this.inferDtype(), peaks.length, {
      proximity_score: res.score,
      n_competing_left: res.nCompetingLeft,
      n_competing: res.nCompeting,
      time: time.slice(),
      endtime: endtime.slice(),
    });
  }
}
