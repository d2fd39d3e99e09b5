// straxen EventInfoDouble: event_info plus the alternate S1's distinct channels, renamed for
// double-scatter analyses (s1 → s1_a, alt_s1 → s1_b, likewise for S2, and a few special cases).

import { DType, type FieldSpec } from '../../core/dtype.js';
import { MergeOnlyPlugin, SaveWhen, type InputsByKind } from '../../core/plugin.js';
import { Records } from '../../core/records.js';

const SPECIAL_CASES: Readonly<Record<string, string>> = {
  cs1: 'cs1_a',
  alt_cs1: 'cs1_b',
  alt_s1_delay: 'ds_s1_dt',
  cs2: 'cs2_a',
  alt_cs2: 'cs2_b',
  alt_s2_delay: 'ds_s2_dt',
  cs1_wo_timecorr: 'cs1_a_wo_timecorr',
  alt_cs1_wo_timecorr: 'cs1_b_wo_timecorr',
  cs2_wo_elifecorr: 'cs2_a_wo_elifecorr',
  alt_cs2_wo_elifecorr: 'cs2_b_wo_elifecorr',
  cs2_wo_timecorr: 'cs2_a_wo_timecorr',
  alt_cs2_wo_timecorr: 'cs2_b_wo_timecorr',
  cs2_area_fraction_top: 'cs2_a_area_fraction_top',
  alt_cs2_area_fraction_top: 'cs2_b_area_fraction_top',
  cs2_bottom: 'cs2_a_bottom',
  alt_cs2_bottom: 'cs2_b_bottom',
};

/** straxen's renaming: special cases, else s{i}… → s{i}_a… and alt_s{i}… → s{i}_b… (every occurrence). */
export function renameDoubleField(name: string): string {
  const special = SPECIAL_CASES[name];
  if (special !== undefined) return special;
  let out = name;
  for (const i of [1, 2]) {
    if (out.startsWith(`s${i}`)) out = out.split(`s${i}`).join(`s${i}_a`);
    if (out.startsWith(`alt_s${i}`)) out = out.split(`alt_s${i}`).join(`s${i}_b`);
  }
  return out;
}

export class EventInfoDouble extends MergeOnlyPlugin {
  readonly provides: readonly string[] = ['event_info_double'];
  override readonly dependsOn: readonly string[] = ['event_info', 'distinct_channels'];
  override readonly dataKind = 'events';
  override readonly version = '0.1.2';
  override readonly saveWhen = SaveWhen.EXPLICIT;

  /** Input fields: all of event_info, then the first field of distinct_channels. */
  private inputFields(): FieldSpec[] {
    const info = this.depDtypes['event_info'],
      dc = this.depDtypes['distinct_channels'];
    if (!info || !dc)
      throw new Error('EventInfoDouble: the event_info and distinct_channels dtypes are not known yet');
    return [...info.specs(), dc.specs()[0]!].filter((f) => f.name !== '');
  }

  override inferDtype(): DType {
    return DType.of(this.inputFields().map((f) => ({ ...f, name: renameDoubleField(f.name) })));
  }

  override compute(inputs: InputsByKind): Records {
    const ev = inputs['events'];
    if (!ev) throw new Error('EventInfoDouble: needs event_info and distinct_channels');
    const dtype = this.inferDtype();
    const out = Records.empty(dtype, ev.length);
    for (const f of this.inputFields()) out.col(renameDoubleField(f.name)).set(ev.col(f.name) as never);
    return out;
  }
}
