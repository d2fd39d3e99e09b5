// straxen PeakBasicsVanilla 0.1.7: the per-peak numbers most analyses need, without the
// waveform and per-channel arrays (so it loads as a flat table).

import { Plugin, type ComputeRange, type InputsByKind } from '../../core/plugin.js';
import { DType, type FieldSpec } from '../../core/dtype.js';
import { Records } from '../../core/records.js';
import { TIME_FIELDS } from '../../core/standard-dtypes.js';
import { storeTimes, timeOffsets } from '../../core/int64-time.js';
import { computePeakBasics } from '../../kernels/peak-basics.js';
import { any, defineOptions, int } from '../../core/option-schema.js';

const f = (name: string, type: string, title: string): FieldSpec => ({ name, type, title });

const FIELDS: readonly FieldSpec[] = [
  ...TIME_FIELDS,
  f('center_time', '<i8', 'Weighted average center time of the peak [ns]'),
  f('area', '<f4', 'Peak integral in PE'),
  f('n_hits', '<i4', 'Number of hits contributing at least one sample to the peak'),
  f('n_channels', '<i2', 'Number of PMTs contributing to the peak'),
  f('top_n_channels', '<i2', 'Number of top PMTs contributing to the peak'),
  f('max_pmt', '<i2', 'PMT number which contributes the most PE'),
  f('max_pmt_area', '<f4', 'Area of signal in the largest-contributing PMT (PE)'),
  f('n_saturated_channels', '<i2', 'Total number of saturated channels'),
  f('range_50p_area', '<f4', 'Width (in ns) of the central 50% area of the peak'),
  f('range_90p_area', '<f4', 'Width (in ns) of the central 90% area of the peak'),
  f('area_fraction_top', '<f4', 'Fraction of area seen by the top array'),
  f('length', '<i4', 'Length of the peak waveform in samples'),
  f('dt', '<i2', 'Time resolution of the peak waveform in ns'),
  f('median_time', '<f4', 'Weighted relative median time of the peak [ns]'),
  f('rise_time', '<f4', 'Time between 10% and 50% area quantiles [ns]'),
  f('tight_coincidence', '<i2', 'Number of PMTs with hits within tight range of mean'),
  f('type', '|i1', 'Classification of the peak(let)'),
  f('merged', '|b1', 'Peak is merged from peaklets'),
  f('max_diff', '<i4', 'Largest time difference between apexes of hits inside peak [ns]'),
  f('min_diff', '<i4', 'Smallest time difference between apexes of hits inside peak [ns]'),
  f('first_channel', '<i2', 'First channel/PMT number inside peak (sorted by apexes of hits)'),
  f('last_channel', '<i2', 'Last channel/PMT number inside peak (sorted by apexes of hits)'),
];

/** Fields copied unchanged from peaks (dt narrows from int32 to int16, wrapping as numpy does). */
const COPIED = [
  'time',
  'center_time',
  'length',
  'dt',
  'median_time',
  'area',
  'area_fraction_top',
  'type',
  'merged',
  'max_diff',
  'min_diff',
  'first_channel',
  'last_channel',
  'n_hits',
  'tight_coincidence',
  'n_saturated_channels',
] as const;

const OPTIONS = defineOptions({
  check_peak_sum_area_rtol: any<number | null>(
    null,
    'When a number, check that each peak area equals the sum of its per-channel areas within this relative tolerance (a consistency check; slower).',
    { track: false },
  ),
  // straxen gives this plugin a default of its own (the other plugins need n_top_pmts set).
  n_top_pmts: int(
    253,
    'Number of PMTs in the top array: channels below it count as top for the area fraction top.',
  ),
});

export class PeakBasicsVanilla extends Plugin<typeof OPTIONS> {
  override readonly provides = ['peak_basics'] as const;
  override readonly dependsOn = ['peaks'] as const;
  override readonly version = '0.1.7';

  override readonly options = OPTIONS;

  override inferDtype(): DType {
    return DType.of(FIELDS);
  }

  override compute(inputs: InputsByKind, _range: ComputeRange): Records {
    const p = inputs['peaks']!;
    const n = p.length;
    const out = Records.empty(this.inferDtype(), n);
    for (const name of COPIED) (out.col(name) as Float64Array).set(p.col(name) as Float64Array);

    // endtime = time + dt * length, the product in int32 as numpy computes it.
    const dt = p.i32('dt'),
      len = p.i32('length');
    if (n > 0) {
      const base = p.i64('time')[0]!;
      const end = timeOffsets(p.i64('time'), base);
      for (let i = 0; i < n; i++) end[i] = end[i]! + Math.imul(dt[i]!, len[i]!);
      storeTimes(end, base, out.i64('endtime'), n);
    }

    const d = p.dtype;
    const nCh = d.field('area_per_channel').shape[0]!;
    const b = computePeakBasics({
      n,
      nChannels: nCh,
      nTopChannels: this.cfg.n_top_pmts,
      nWidths: d.field('width').shape[0]!,
      areaPerChannel: p.f32('area_per_channel'),
      width: p.f32('width'),
      areaDecileFromMidpoint: p.f32('area_decile_from_midpoint'),
    });
    out.i16('n_channels').set(b.nChannels);
    out.i16('top_n_channels').set(b.topNChannels);
    out.i16('max_pmt').set(b.maxPmt);
    out.f32('max_pmt_area').set(b.maxPmtArea);
    out.f32('range_50p_area').set(b.range50pArea);
    out.f32('range_90p_area').set(b.range90pArea);
    out.f32('rise_time').set(b.riseTime);

    const rtol = this.cfg.check_peak_sum_area_rtol;
    if (typeof rtol === 'number') checkArea(p, nCh, rtol);
    return out;
  }
}

/** straxen check_area: the per-channel areas of a positive-area peak must add up to its area. */
function checkArea(p: Records, nCh: number, rtol: number): void {
  const area = p.f32('area'),
    apc = p.f32('area_per_channel'),
    time = p.i64('time');
  for (let i = 0; i < p.length; i++) {
    if (!(area[i]! > 0)) continue;
    let s = 0;
    for (let c = i * nCh; c < (i + 1) * nCh; c++) s = Math.fround(s + apc[c]!);
    // np.isclose(a, b, rtol): |a − b| <= 1e-8 + rtol·|b|
    if (!(Math.abs(s - area[i]!) <= 1e-8 + rtol * Math.abs(area[i]!))) {
      const off = 100 * (1 - s / area[i]!);
      throw new Error(
        `PeakBasicsVanilla: area not calculated correctly, it's ${off} % off, time: ${time[i]}`,
      );
    }
  }
}
