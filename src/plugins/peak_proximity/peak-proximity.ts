// straxen PeakProximity: per peak, how strongly earlier large S2s nearby in time and space
// could have caused it, and how many comparable S2s are near it in time.

import { DType } from '../../core/dtype.js';
import { OverlapWindowPlugin, type ComputeRange, type InputsByKind } from '../../core/plugin.js';
import { pyFloat } from '../../core/python/float.js';
import { Records } from '../../core/records.js';
import { TIME_FIELDS } from '../../core/standard-dtypes.js';
import { timeOffsets } from '../../kernels/int64-time.js';
import { peakProximity } from '../../kernels/peak-proximity.js';
import { numericOption } from '../events/options.js';

export class PeakProximity extends OverlapWindowPlugin {
  readonly provides: readonly string[] = ['peak_proximity'];
  override readonly dependsOn: readonly string[] = ['peak_basics', 'peak_positions'];
  override readonly version = '0.6.0';
  override readonly options = [
    {
      name: 'proximity_type',
      default: 2,
      type: 'any' as const,
      help: '(List of) type(s) of peaks to consider for proximity score',
    },
    {
      name: 'proximity_min_area_fraction',
      default: 0.2,
      type: 'any' as const,
      help: 'The area of competing peaks must be at least this fraction of that of the considered peak',
    },
    {
      name: 'proximity_window',
      default: 10_000_000,
      type: 'any' as const,
      help: 'Peaks starting within this time window (on either side) in ns count as nearby.',
    },
    {
      name: 'proximity_exponents',
      default: [pyFloat(1), pyFloat(-1), pyFloat(1)],
      type: 'list' as const,
      help: 'The exponent of (delta t, delta r) when calculating proximity score',
    },
    {
      name: 'proximity_sigma',
      default: pyFloat(20),
      type: 'number' as const,
      help: 'The parameter of HalfCauchy, which is a function of S2 area',
    },
  ];

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
    return 10 * numericOption(this, 'proximity_window');
  }

  override compute(inputs: InputsByKind, range: ComputeRange): Records {
    const peaks = inputs['peaks'];
    if (!peaks) throw new Error('PeakProximity: needs peaks');
    const types = this.config['proximity_type'];
    const typeList = Array.isArray(types) ? types.map(Number) : [Number(types)];
    const exps = this.config['proximity_exponents'];
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
        minAreaFraction: numericOption(this, 'proximity_min_area_fraction'),
        window: numericOption(this, 'proximity_window'),
        exponents: [Number(exps[0]), Number(exps[1]), Number(exps[2])],
        sigma: numericOption(this, 'proximity_sigma'),
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
