// straxen PeakletClassificationVanilla (3.0.5): type of each peaklet (0 unknown, 1 S1, 2 S2),
// a column extension of peaklets (same data kind, same rows).

import { Plugin, type InputsByKind, type OptionSpec } from '../../core/plugin.js';
import { DType } from '../../core/dtype.js';
import { Records } from '../../core/records.js';
import { PEAK_INTERVAL_FIELDS } from '../../core/standard-dtypes.js';
import { classifyPeaklets, type ClassificationOptions } from '../../kernels/classification.js';

export const peakletClassificationDtype = (): DType =>
  DType.of([
    ...PEAK_INTERVAL_FIELDS,
    { name: 'type', type: '|i1', title: 'Classification of the peak(let)' },
    { name: 'merged', type: '|b1', title: 'Peaklet is merging input or peak is merged from peaklets' },
  ]);

export class PeakletClassificationVanilla extends Plugin {
  override readonly provides = ['peaklet_classification'] as const;
  override readonly dependsOn = ['peaklets'] as const;
  override readonly version = '3.0.5';

  override readonly options: readonly OptionSpec[] = [
    {
      name: 's1_risetime_area_parameters',
      default: [50, 80, 12],
      type: 'list',
      help: 'norm, const, tau in the empirical boundary in the risetime-area plot',
    },
    {
      name: 's1_risetime_aft_parameters',
      default: [-1, 2.6],
      type: 'list',
      help: 'Slope and offset in exponential of emperical boundary in the rise time-AFT plot. Specified as (slope, offset)',
    },
    {
      name: 's1_flatten_threshold_aft',
      default: [0.6, 100],
      type: 'list',
      help: 'Threshold for AFT, above which we use a flatted boundary for rise timeSpecified values: (AFT boundary, constant rise time).',
    },
    {
      name: 's1_max_rise_time_post100',
      default: 200,
      type: 'number',
      help: 'Maximum S1 rise time for > 100 PE [ns]',
    },
    {
      name: 's1_min_coincidence',
      default: 2,
      type: 'int',
      help: 'Minimum tight coincidence necessary to make an S1',
    },
    { name: 's2_min_pmts', default: 4, type: 'int', help: 'Minimum number of PMTs contributing to an S2' },
  ];

  override inferDtype(): DType {
    return peakletClassificationDtype();
  }

  private rules(): ClassificationOptions {
    return {
      s1RisetimeAreaParameters: this.opt<[number, number, number]>('s1_risetime_area_parameters'),
      s1RisetimeAftParameters: this.opt<[number, number]>('s1_risetime_aft_parameters'),
      s1FlattenThresholdAft: this.opt<[number, number]>('s1_flatten_threshold_aft'),
      s1MaxRiseTimePost100: this.opt<number>('s1_max_rise_time_post100'),
      s1MinCoincidence: this.opt<number>('s1_min_coincidence'),
      s2MinPmts: this.opt<number>('s2_min_pmts'),
    };
  }

  override compute(inputs: InputsByKind): Records {
    const p = inputs['peaklets']!;
    const n = p.length;
    const type = classifyPeaklets(
      {
        n,
        area: p.f32('area'),
        areaFractionTop: p.f32('area_fraction_top'),
        areaPerChannel: p.f32('area_per_channel'),
        nChannels: p.width('area_per_channel'),
        areaDecileFromMidpoint: p.f32('area_decile_from_midpoint'),
        nWidths: p.width('area_decile_from_midpoint'),
        tightCoincidence: p.i16('tight_coincidence'),
      },
      this.rules(),
    );
    return new Records(this.inferDtype(), n, {
      time: p.i64('time').slice(),
      length: p.i32('length').slice(),
      dt: p.i32('dt').slice(),
      channel: new Int16Array(n).fill(-1),
      type,
      merged: new Uint8Array(n),
    });
  }
}
