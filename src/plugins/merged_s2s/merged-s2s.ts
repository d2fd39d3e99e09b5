// straxen MergedS2sVanilla 1.1.1: neighbouring S2 peaklets (S1s ignored) merged into one S2
// when the gap between them is small for the merged area, the result is short enough and no
// natural break argues against it; lone hits inside a merged S2 are added to it.

import { OverlapWindowPlugin, type ComputeRange, type InputsByKind } from '../../core/plugin.js';
import { DType } from '../../core/dtype.js';
import { Records, type Columns } from '../../core/records.js';
import { pyFloat } from '../../core/python/float.js';
import { computeProperties } from '../../kernels/peak-properties.js';
import { addLoneHits, gcdOf, mergePeaks } from '../../kernels/peak-merging.js';
import { getMergeInstructions, type ThresholdPoints } from '../../kernels/s2-merging.js';
import { peaksFromRecords, peaksToRecords } from '../../core/kernel-columns.js';
import { loneHitsForMerging } from './lone-hits.js';
import { bool, defineOptions, int, list } from '../../core/option-schema.js';
import { default_reconstruction_algorithm, gain_model, n_top_pmts, n_tpc_pmts } from '../shared-options.js';

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

const OPTIONS = defineOptions({
  s2_merge_max_duration: int(
    30000,
    'Longest merged S2 [ns]: a merge that would make a longer peak is not done.',
    { min: 0 },
  ),
  s2_merge_gap_thresholds_vanilla: list<ThresholdPoints>(
    pf(GAP_THRESHOLDS),
    'Largest gap [ns] that may be closed by merging, as (log10(area / PE), gap) points interpolated in area. The first gap is the largest ever closed, the last area the largest merged S2.',
  ),
  gain_model,
  merge_without_s1: bool(
    true,
    'Leave S1 peaklets out of merging, so an S2 can be merged across an S1 inside it.',
  ),
  n_top_pmts,
  n_tpc_pmts,
  sum_waveform_top_array: bool(true, 'Also build the sum waveform of the top array alone for merged S2s.'),
  merged_s2s_get_window_size_factor: int(
    5,
    'How many times the longest possible merge the overlap window spans; larger is safer at chunk edges but holds more data.',
    { track: false },
  ),
  s2_merge_dr_thresholds: list<ThresholdPoints>(
    pf(DR_THRESHOLDS),
    'Largest spread [cm] of the peaklet positions within a merged S2, as (log10(area_top / PE), spread) points; used only with rm_sparse_xy_vanilla.',
  ),
  rm_sparse_xy_vanilla: bool(
    false,
    'Drop peaklets whose (x, y) lies far from the rest before merging; needs peaklet positions, which straxts does not make.',
  ),
  use_uncertainty_weights_vanilla: bool(
    false,
    'Weight peaklet positions by their reconstruction uncertainty when judging the spread; needs a probabilistic reconstruction.',
  ),
  default_reconstruction_algorithm,
  merge_lone_hits: bool(true, 'Add the lone hits that fall inside a merged S2 to its waveform and area.'),
  use_natural_break_gof: bool(
    true,
    'Refuse merges that natural breaks would split again (goodness of split above peak_merge_gof_threshold).',
  ),
  peak_merge_gof_threshold: list<ThresholdPoints>(
    pf(GOF_THRESHOLDS),
    'Goodness-of-split curve, as (log10(area / PE), threshold) points, above which a candidate merge is refused.',
  ),
});

export class MergedS2sVanilla extends OverlapWindowPlugin<typeof OPTIONS> {
  override readonly provides = ['merged_s2s'] as const;
  override readonly dependsOn = ['peaklets', 'peaklet_classification', 'lone_hits'] as const;
  override readonly dataKind = 'merged_s2s';
  override readonly version = '1.1.1';

  override readonly options = OPTIONS;

  override inferDtype(): DType {
    const indicator = DType.of([{ name: 'merged', type: '|b1', title: MERGED_INDICATOR_TITLE }]);
    const cls = this.depDtypes['peaklet_classification'],
      pk = this.depDtypes['peaklets'];
    if (!cls || !pk)
      throw new Error('MergedS2sVanilla: dtypes of peaklets and peaklet_classification are needed');
    return DType.merge([cls, pk, indicator]);
  }

  private gapThresholds(): ThresholdPoints {
    return this.cfg.s2_merge_gap_thresholds_vanilla;
  }

  override getWindowSize(): number {
    const factor = this.cfg.merged_s2s_get_window_size_factor;
    return factor * (Math.trunc(this.gapThresholds()[0]![1]) + this.cfg.s2_merge_max_duration);
  }

  override compute(inputs: InputsByKind, _range: ComputeRange): Records {
    const dtype = this.inferDtype();
    if (this.cfg.rm_sparse_xy_vanilla) {
      throw new Error(
        'MergedS2sVanilla: rm_sparse_xy_vanilla needs peaklet positions, which straxts does not make; set it to false',
      );
    }
    let peaklets = inputs['peaklets']!;
    if (this.cfg.merge_without_s1) {
      const type = peaklets.i8('type');
      peaklets = peaklets.filter(Array.from(type, (t) => t !== 1));
    }
    if (peaklets.length <= 1) return Records.empty(dtype, 0);
    const gaps = this.gapThresholds();
    const maxGap = gaps[0]![1];
    if (maxGap < 0) return Records.empty(dtype, 0);

    const base = peaklets.i64('time')[0]!;
    const p = peaksFromRecords(peaklets, base);
    const maxDuration = this.cfg.s2_merge_max_duration;
    const groups = getMergeInstructions(p, {
      gapThresholds: gaps,
      maxDuration,
      maxGap,
      maxArea: 10 ** gaps[gaps.length - 1]![0],
      gofThresholds: this.cfg.peak_merge_gof_threshold,
      naturalBreak: this.cfg.use_natural_break_gof,
    });
    const merged = mergePeaks(p, groups.start, groups.end, Math.floor(maxDuration / gcdOf(p.dt, 0, p.n)));
    merged.type.fill(2);
    // Shape properties are taken before lone hits are added, and kept (as straxen does).
    computeProperties(merged, this.cfg.n_top_pmts);

    const lh = loneHitsForMerging(inputs['lone_hits']!, base);
    const withTop = dtype.has('data_top');
    addLoneHits(
      merged,
      lh,
      Float64Array.from(this.cfg.gain_model),
      withTop ? this.cfg.n_top_pmts : -1,
      withTop,
      dtype.has('data_start'),
    );

    const extra: Columns = {};
    if (dtype.has('merged')) extra['merged'] = new Uint8Array(merged.n).fill(1);
    return peaksToRecords(merged, dtype, base, extra);
  }
}
