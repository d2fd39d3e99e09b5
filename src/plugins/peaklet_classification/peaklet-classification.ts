// straxen PeakletClassificationVanilla (3.0.5): type of each peaklet (0 unknown, 1 S1, 2 S2),
// a column extension of peaklets (same data kind, same rows).

import { Plugin, type InputsByKind } from '../../core/plugin.js';
import { DType } from '../../core/dtype.js';
import { Records } from '../../core/records.js';
import { PEAK_INTERVAL_FIELDS } from '../../core/standard-dtypes.js';
import { classifyPeaklets, type ClassificationOptions } from '../../kernels/classification.js';
import { defineOptions, int, list, num } from '../../core/option-schema.js';
import { s1_min_coincidence } from '../shared-options.js';

export const peakletClassificationDtype = (): DType =>
  DType.of([
    ...PEAK_INTERVAL_FIELDS,
    { name: 'type', type: '|i1', title: 'Classification of the peak(let)' },
    { name: 'merged', type: '|b1', title: 'Peaklet is merging input or peak is merged from peaklets' },
  ]);

const OPTIONS = defineOptions({
  s1_risetime_area_parameters: list<readonly [number, number, number]>(
    [50, 80, 12],
    'S1/S2 boundary in the plane of rise time and area: (norm, constant, tau) of the curve above which a fast-rising peaklet is still an S1.',
  ),
  s1_risetime_aft_parameters: list<readonly [number, number]>(
    [-1, 2.6],
    'S1/S2 boundary in the plane of rise time and area fraction top: (slope, offset) of the exponential the rise time must stay below.',
  ),
  s1_flatten_threshold_aft: list<readonly [number, number]>(
    [0.6, 100],
    'Above this area fraction top (first value) the rise-time boundary is flat at the second value [ns].',
  ),
  s1_max_rise_time_post100: num(
    200,
    'Longest rise time [ns] an S1 above 100 PE may have; slower large peaklets are S2s.',
  ),
  s1_min_coincidence,
  s2_min_pmts: int(
    4,
    'Fewest channels that must contribute for a peaklet to be called an S2; smaller ones stay unclassified.',
  ),
});

export class PeakletClassificationVanilla extends Plugin<typeof OPTIONS> {
  override readonly provides = ['peaklet_classification'] as const;
  override readonly dependsOn = ['peaklets'] as const;
  override readonly version = '3.0.5';

  override readonly options = OPTIONS;

  override inferDtype(): DType {
    return peakletClassificationDtype();
  }

  private rules(): ClassificationOptions {
    return {
      s1RisetimeAreaParameters: this.cfg.s1_risetime_area_parameters,
      s1RisetimeAftParameters: this.cfg.s1_risetime_aft_parameters,
      s1FlattenThresholdAft: this.cfg.s1_flatten_threshold_aft,
      s1MaxRiseTimePost100: this.cfg.s1_max_rise_time_post100,
      s1MinCoincidence: this.cfg.s1_min_coincidence,
      s2MinPmts: this.cfg.s2_min_pmts,
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
