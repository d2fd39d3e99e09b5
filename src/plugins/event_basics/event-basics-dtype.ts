// The event_basics dtype (straxen EventBasicsVanilla): main/alternate S1 and S2 properties,
// event quantities and the per-algorithm S2 positions, in straxen's field order.

import type { FieldSpec } from '../../core/dtype.js';
import { TIME_FIELDS } from '../../core/standard-dtypes.js';

/** Peak properties copied for main and alternate S1 and S2: [name, type, description]. */
export const PEAK_PROPERTIES: readonly (readonly [string, string, string])[] = [
  ['time', '<i8', 'start time since unix epoch [ns]'],
  ['center_time', '<i8', 'weighted average center time since unix epoch [ns]'],
  ['median_time', '<f4', 'weighted relative median time of the peak [ns]'],
  ['endtime', '<i8', 'end time since unix epoch [ns]'],
  ['area', '<f4', 'area, uncorrected [PE]'],
  ['n_channels', '<i2', 'count of contributing PMTs'],
  ['top_n_channels', '<i2', 'count of contributing top PMTs'],
  ['n_hits', '<i4', 'count of hits contributing at least one sample to the peak'],
  ['proximity_score', '<f4', 'proximity score in (time, space)'],
  ['n_competing_left', '<i4', 'number of competing peaks left of the main peak'],
  ['n_competing', '<i4', 'number of competing peaks'],
  ['max_pmt', '<i2', 'PMT number which contributes the most PE'],
  ['max_pmt_area', '<f4', 'area in the largest-contributing PMT (PE)'],
  ['range_50p_area', '<f4', 'width, 50% area [ns]'],
  ['range_90p_area', '<f4', 'width, 90% area [ns]'],
  ['rise_time', '<f4', 'time between 10% and 50% area quantiles [ns]'],
  ['area_fraction_top', '<f4', 'fraction of area seen by the top PMT array'],
  ['tight_coincidence', '<i2', 'channel within tight range of mean'],
  ['n_saturated_channels', '<i2', 'total number of saturated channels'],
  ['merged', '|b1', 'is merged from peaklets'],
];

/** Extra peak fields copied for S1s only. */
export const S1_EXTRA = ['max_diff', 'min_diff', 'first_channel', 'last_channel'] as const;

/** Algorithm labels from the peak_positions field names: the text after the last '_' of every
 * name containing 'x_', de-duplicated and sorted (as straxen derives them). */
export function positionLabels(positionFieldNames: readonly string[]): string[] {
  const labels = new Set<string>();
  for (const n of positionFieldNames) if (n.includes('x_')) labels.add(n.split('_').pop()!);
  return [...labels].sort();
}

export function eventBasicsFields(labels: readonly string[]): FieldSpec[] {
  const f = (name: string, type: string, title: string): FieldSpec => ({ name, type, title });
  const out: FieldSpec[] = [
    ...TIME_FIELDS,
    f('n_peaks', '<i4', 'Number of peaks in the event'),
    f('drift_time', '<f4', 'Drift time between main S1 and S2 in ns'),
    f('event_number', '<i8', 'Event number in this dataset'),
  ];
  for (const i of [1, 2]) {
    out.push(
      f(`s${i}_index`, '<i4', `Main S${i} peak index in event`),
      f(`alt_s${i}_index`, '<i4', `Alternate S${i} peak index in event`),
    );
    for (const [name, type, c] of PEAK_PROPERTIES) {
      out.push(
        f(`s${i}_${name}`, type, `Main S${i} ${c}`),
        f(`alt_s${i}_${name}`, type, `Alternate S${i} ${c}`),
      );
    }
    out.push(
      f(`alt_s${i}_interaction_drift_time`, '<f4', `Drift time using alternate S${i} [ns]`),
      f(`alt_s${i}_delay`, '<i4', `Time between main and alternate S${i} [ns]`),
    );
  }
  out.push(
    f('s1_max_diff', '<i4', 'Main S1 largest time difference between apexes of hits [ns]'),
    f('alt_s1_max_diff', '<i4', 'Alternate S1 largest time difference between apexes of hits [ns]'),
    f('s1_min_diff', '<i4', 'Main S1 smallest time difference between apexes of hits [ns]'),
    f('alt_s1_min_diff', '<i4', 'Alternate S1 smallest time difference between apexes of hits [ns]'),
    f('s1_first_channel', '<i2', 'Main S1 first channel/PMT number (sorted by apexes of hits)'),
    f('alt_s1_first_channel', '<i2', 'Alternate S1 first channel/PMT number (sorted by apexes of hits)'),
    f('s1_last_channel', '<i2', 'Main S1 last channel/PMT number (sorted by apexes of hits)'),
    // straxen's description omits "S1" here.
    f('alt_s1_last_channel', '<i2', 'Alternate last channel/PMT number (sorted by apexes of hits)'),
    f('s2_x', '<f4', 'Main S2 reconstructed X position, uncorrected [cm]'),
    f('s2_y', '<f4', 'Main S2 reconstructed Y position, uncorrected [cm]'),
    f('alt_s2_x', '<f4', 'Alternate S2 reconstructed X position, uncorrected [cm]'),
    f('alt_s2_y', '<f4', 'Alternate S2 reconstructed Y position, uncorrected [cm]'),
    f('area_before_main_s2', '<f4', 'Sum of areas before Main S2 [PE]'),
  );
  for (const where of ['before', 'after']) {
    out.push(
      f(`large_s2_${where}_main_s2_area`, '<f4', `The largest S2 ${where} the Main S2 [PE]`),
      f(`large_s2_${where}_main_s2_index`, '<i4', `Index of the largest S2 ${where} the Main S2`),
      f(
        `large_s2_${where}_main_s2_center_time`,
        '<i8',
        `Center time of the largest S2 ${where} the Main S2 [ns]`,
      ),
    );
  }
  for (const a of labels) {
    out.push(
      f(`s2_x_${a}`, '<f4', `Main S2 ${a}-reconstructed X position, uncorrected [cm]`),
      f(`s2_y_${a}`, '<f4', `Main S2 ${a}-reconstructed Y position, uncorrected [cm]`),
      f(`alt_s2_x_${a}`, '<f4', `Alternate S2 ${a}-reconstructed X position, uncorrected [cm]`),
      f(`alt_s2_y_${a}`, '<f4', `Alternate S2 ${a}-reconstructed Y position, uncorrected [cm]`),
    );
  }
  return out;
}
