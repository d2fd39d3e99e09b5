// straxen MergedS2sVanilla 1.1.1: neighbouring S2 peaklets (S1s ignored) merged into one S2
// when the gap between them is small for the merged area, the result is short enough and no
// natural break argues against it; lone hits inside a merged S2 are added to it.

import {
  OverlapWindowPlugin,
  type ComputeRange,
  type InputsByKind,
  type OptionSpec,
} from '../../core/plugin.js';
import { DType } from '../../core/dtype.js';
import { Records, type Columns } from '../../core/records.js';
import { pyFloat } from '../../core/python/float.js';
import { computeProperties } from '../../kernels/peak-properties.js';
import { addLoneHits, gcdOf, mergePeaks } from '../../kernels/peak-merging.js';
import { getMergeInstructions, type ThresholdPoints } from '../../kernels/s2-merging.js';
import { peaksFromRecords, peaksToRecords } from '../peaklets/columns.js';
import { loneHitsForMerging } from './lone-hits.js';
import { gainsOption } from './gains.js';

const pf = (pairs: readonly (readonly [number, number])[]) => pairs.map(([a, b]) => [pyFloat(a), pyFloat(b)]);

export const GAP_THRESHOLDS: ThresholdPoints = [
  [1.74, 5020.0],
  [2.13, 4180.0],
  [2.51, 3260.0],
  [2.9, 3250.0],
  [3.29, 3040.0],
  [3.68, 2670.0],
  [4.07, 2310.0],
  [4.46, 2050.0],
  [4.85, 1890.0],
];
const DR_THRESHOLDS: ThresholdPoints = [
  [1.51, 14.0],
  [1.84, 18.3],
  [2.18, 19.7],
  [2.51, 12.4],
  [2.84, 5.75],
];
const GOF_THRESHOLDS: ThresholdPoints = [
  [2.5, 1.0],
  [5.625, 0.4],
];

export const MERGED_INDICATOR_TITLE = 'Peaklet is merging input or peak is merged from peaklets';

export class MergedS2sVanilla extends OverlapWindowPlugin {
  override readonly provides = ['merged_s2s'] as const;
  override readonly dependsOn = ['peaklets', 'peaklet_classification', 'lone_hits'] as const;
  override readonly dataKind = 'merged_s2s';
  override readonly version = '1.1.1';

  override readonly options: readonly OptionSpec[] = [
    {
      name: 's2_merge_max_duration',
      default: 30000,
      type: 'int',
      min: 0,
      help: 'Do not merge peaklets at all if the result would be a peak longer than this [ns]',
    },
    {
      name: 's2_merge_gap_thresholds_vanilla',
      default: pf(GAP_THRESHOLDS),
      type: 'list',
      help: 'Points (log10(area), max_gap [ns]) for the largest gap to close; the first gap is the overall maximum, the last area the largest merged area',
    },
    { name: 'gain_model', type: 'any', help: 'PMT gain model (PE per ADC·sample per channel)' },
    {
      name: 'merge_without_s1',
      default: true,
      type: 'bool',
      help: 'Ignore S1s while merging (an S1 may end up inside a merged S2)',
    },
    { name: 'n_top_pmts', type: 'int', help: 'Number of top TPC array PMTs' },
    { name: 'n_tpc_pmts', type: 'int', help: 'Number of TPC PMTs' },
    {
      name: 'sum_waveform_top_array',
      default: true,
      type: 'bool',
      help: 'Digitize the sum waveform of the top array separately',
    },
    {
      name: 'merged_s2s_get_window_size_factor',
      default: 5,
      type: 'int',
      track: false,
      help: 'Factor of the window size for the merged_s2s plugin',
    },
    {
      name: 's2_merge_dr_thresholds',
      default: pf(DR_THRESHOLDS),
      type: 'list',
      help: 'Points (log10(area_top), dr [cm]) for the largest weighted position spread of merged peaklets',
    },
    {
      name: 'rm_sparse_xy_vanilla',
      default: false,
      type: 'bool',
      help: 'Remove peaklets that are too far away in (x, y)',
    },
    {
      name: 'use_uncertainty_weights_vanilla',
      default: false,
      type: 'bool',
      help: 'Use uncertainty from probabilistic posrec to derive weights',
    },
    {
      name: 'default_reconstruction_algorithm',
      default: 'cnf',
      type: 'str',
      help: 'default reconstruction algorithm that provides (x,y)',
    },
    { name: 'merge_lone_hits', default: true, type: 'bool', help: 'Merge lone hits into merged S2s' },
    {
      name: 'use_natural_break_gof',
      default: true,
      type: 'bool',
      help: 'Whether to use the gof field for merging',
    },
    {
      name: 'peak_merge_gof_threshold',
      default: pf(GOF_THRESHOLDS),
      type: 'list',
      help: 'Natural-breaks goodness of split threshold as (log10(area), threshold) points',
    },
  ];

  override inferDtype(): DType {
    const indicator = DType.of([{ name: 'merged', type: '|b1', title: MERGED_INDICATOR_TITLE }]);
    const cls = this.depDtypes['peaklet_classification'],
      pk = this.depDtypes['peaklets'];
    if (!cls || !pk)
      throw new Error('MergedS2sVanilla: dtypes of peaklets and peaklet_classification are needed');
    return DType.merge([cls, pk, indicator]);
  }

  private gapThresholds(): ThresholdPoints {
    return this.opt<ThresholdPoints>('s2_merge_gap_thresholds_vanilla');
  }

  override getWindowSize(): number {
    const factor = this.opt<number>('merged_s2s_get_window_size_factor');
    return factor * (Math.trunc(this.gapThresholds()[0]![1]) + this.opt<number>('s2_merge_max_duration'));
  }

  override compute(inputs: InputsByKind, _range: ComputeRange): Records {
    const dtype = this.inferDtype();
    if (this.opt<boolean>('rm_sparse_xy_vanilla')) {
      throw new Error(
        'MergedS2sVanilla: rm_sparse_xy_vanilla needs peaklet positions, which straxts does not make; set it to false',
      );
    }
    let peaklets = inputs['peaklets']!;
    if (this.opt<boolean>('merge_without_s1')) {
      const type = peaklets.col<Int8Array>('type');
      peaklets = peaklets.filter(Array.from(type, (t) => t !== 1));
    }
    if (peaklets.length <= 1) return Records.empty(dtype, 0);
    const gaps = this.gapThresholds();
    const maxGap = gaps[0]![1];
    if (maxGap < 0) return Records.empty(dtype, 0);

    const base = peaklets.i64('time')[0]!;
    const p = peaksFromRecords(peaklets, base);
    const maxDuration = this.opt<number>('s2_merge_max_duration');
    const groups = getMergeInstructions(p, {
      gapThresholds: gaps,
      maxDuration,
      maxGap,
      maxArea: 10 ** gaps[gaps.length - 1]![0],
      gofThresholds: this.opt<ThresholdPoints>('peak_merge_gof_threshold'),
      naturalBreak: this.opt<boolean>('use_natural_break_gof'),
    });
    const merged = mergePeaks(p, groups.start, groups.end, Math.floor(maxDuration / gcdOf(p.dt, 0, p.n)));
    merged.type.fill(2);
    // Shape properties are taken before lone hits are added, and kept (as straxen does).
    computeProperties(merged, this.opt<number>('n_top_pmts'));

    const lh = loneHitsForMerging(inputs['lone_hits']!, base);
    const withTop = dtype.has('data_top');
    addLoneHits(
      merged,
      lh,
      gainsOption(this, 'gain_model'),
      withTop ? this.opt<number>('n_top_pmts') : -1,
      withTop,
      dtype.has('data_start'),
    );

    const extra: Columns = {};
    if (dtype.has('merged')) extra['merged'] = new Uint8Array(merged.n).fill(1);
    return peaksToRecords(merged, dtype, base, extra);
  }
}
