// straxen PeaksVanilla 0.1.3: the peaklets with every peaklet that touches a merged S2 replaced
// by that S2. S1s (and, unless merge_s0, type-0 peaklets) are never replaced, so an S1 may sit
// inside a merged S2; such S1s get merged = True too.

import { Plugin, SaveWhen, type ComputeRange, type InputsByKind } from '../../core/plugin.js';
import { DType } from '../../core/dtype.js';
import { Records } from '../../core/records.js';
import { timeOffsets } from '../../core/int64-time.js';
import { fullyContainedIn } from '../../kernels/intervals.js';
import { stableArgsort } from '../../kernels/stable-sort.js';
import { replaceMergedPlan } from '../../kernels/peak-merging.js';
import { bool, defineOptions } from '../../core/option-schema.js';
import { diagnose_sorting } from '../shared-options.js';

/** straxen FAR_XYPOS_S2_TYPE: S2s far from the main cluster, which may overlap merged S2s. */
export const FAR_XYPOS_S2_TYPE = 20;

function ends(r: Records, t: Float64Array): Float64Array {
  const len = r.i32('length'),
    dt = r.col('dt');
  const e = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) e[i] = t[i]! + len[i]! * (dt[i] as number);
  return e;
}

const OPTIONS = defineOptions({
  diagnose_sorting,
  merge_s0: bool(
    true,
    'Also absorb the unclassified peaklets (type 0) that lie inside a merged S2 into it, as done for S1s and S2s.',
  ),
});

export class PeaksVanilla extends Plugin<typeof OPTIONS> {
  override readonly provides = ['peaks'] as const;
  override readonly dependsOn = ['peaklets', 'peaklet_classification', 'merged_s2s'] as const;
  override readonly dataKind = 'peaks';
  override readonly version = '0.1.3';
  override readonly compressor = 'zstd';
  override readonly saveWhen = SaveWhen.EXPLICIT;

  override readonly options = OPTIONS;

  override inferDtype(): DType {
    const pk = this.depDtypes['peaklets'],
      cls = this.depDtypes['peaklet_classification'];
    if (!pk || !cls)
      throw new Error('PeaksVanilla: dtypes of peaklets and peaklet_classification are needed');
    return DType.merge([pk, cls]).aligned();
  }

  override compute(inputs: InputsByKind, _range: ComputeRange): Records {
    const peaklets = inputs['peaklets']!,
      merged = inputs['merged_s2s']!;
    const dtype = this.inferDtype();
    const n = peaklets.length,
      nm = merged.length;
    const base = n > 0 ? peaklets.i64('time')[0]! : nm > 0 ? merged.i64('time')[0]! : 0n;
    const pt = timeOffsets(peaklets.i64('time'), base),
      pe = ends(peaklets, pt);
    const mt = timeOffsets(merged.i64('time'), base),
      me = ends(merged, mt);

    // Peaklets that are never replaced, and the rest.
    const type = peaklets.i8('type');
    const mergeS0 = this.cfg.merge_s0;
    const keep: number[] = [],
      rest: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = type[i]!;
      (t === FAR_XYPOS_S2_TYPE || t === 1 || (!mergeS0 && t === 0) ? keep : rest).push(i);
    }
    const rs = Float64Array.from(rest, (i) => pt[i]!),
      re = Float64Array.from(rest, (i) => pe[i]!);
    const plan = replaceMergedPlan(rs, re, rest.length, mt, me, nm);

    // Concatenate [kept peaklets, replaced rest], then a stable sort by (time, channel).
    const total = keep.length + plan.length;
    const from = new Uint8Array(total),
      rows = new Int32Array(total);
    const time = new Float64Array(total),
      channel = new Int16Array(total);
    const pch = peaklets.i16('channel'),
      mch = merged.i16('channel');
    let k = 0;
    for (const i of keep) {
      from[k] = 0;
      rows[k] = i;
      time[k] = pt[i]!;
      channel[k] = pch[i]!;
      k++;
    }
    for (const j of plan) {
      if (j >= 0) {
        const i = rest[j]!;
        from[k] = 0;
        rows[k] = i;
        time[k] = pt[i]!;
        channel[k] = pch[i]!;
      } else {
        const m = -1 - j;
        from[k] = 1;
        rows[k] = m;
        time[k] = mt[m]!;
        channel[k] = mch[m]!;
      }
      k++;
    }
    const order = stableArgsort(time, total, channel);
    const sFrom = new Uint8Array(total),
      sRows = new Int32Array(total);
    for (let q = 0; q < total; q++) {
      sFrom[q] = from[order[q]!]!;
      sRows[q] = rows[order[q]!]!;
    }
    const out = Records.gather(dtype, [peaklets, merged], sFrom, sRows);

    if (this.cfg.diagnose_sorting) this.checkSorted(out);
    if (nm > 0 && dtype.has('merged')) {
      const ot = timeOffsets(out.i64('time'), base),
        oe = ends(out, ot);
      const inside = fullyContainedIn(ot, oe, mt, me);
      const flag = out.u8('merged');
      for (let q = 0; q < total; q++) flag[q] = inside[q]! >= 0 ? 1 : 0;
    }
    return out;
  }

  /** diagnose_sorting: peaks sorted by time, and S2s disjoint. */
  private checkSorted(p: Records): void {
    const t = p.i64('time'),
      type = p.i8('type'),
      len = p.i32('length'),
      dt = p.i32('dt');
    let lastS2End: bigint | null = null;
    for (let i = 0; i < p.length; i++) {
      if (i > 0 && t[i]! < t[i - 1]!) throw new Error('PeaksVanilla: peaks not sorted by time');
      if (type[i] !== 2) continue;
      if (lastS2End !== null && t[i]! < lastS2End) throw new Error('PeaksVanilla: S2 peaks overlap in time');
      lastS2End = t[i]! + BigInt(len[i]! * dt[i]!);
    }
  }
}
