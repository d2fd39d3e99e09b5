// Lone hits as straxen's MergedS2s adds them to merged S2s: widened to their integration window
// (time moved back to left_integration, length right_integration − left_integration) and
// re-sorted by (time, channel).

import type { Records } from '../../core/records.js';
import { timeOffsets } from '../../core/int64-time.js';
import { stableArgsort } from '../../kernels/stable-sort.js';
import type { LoneHitArrays } from '../../kernels/peak-merging.js';

const wrap16 = (x: number): number => (x << 16) >> 16;

export function loneHitsForMerging(lone: Records, base: bigint): LoneHitArrays {
  const n = lone.length;
  const t = timeOffsets(lone.i64('time'), base);
  const dt = lone.i16('dt'),
    left = lone.i16('left'),
    li = lone.i16('left_integration');
  const ri = lone.i16('right_integration'),
    ch = lone.i16('channel'),
    area = lone.f32('area');
  const length = new Int32Array(n);
  widenToIntegration(t, length, dt, left, li, ri);
  const order = stableArgsort(t, n, ch);
  const out: LoneHitArrays = {
    n,
    time: new Float64Array(n),
    length: new Int32Array(n),
    dt: new Int16Array(n),
    channel: new Int16Array(n),
    area: new Float32Array(n),
  };
  gatherInOrder(order, t, length, dt, ch, area, out);
  return out;
}

// Each loop is a function ending with it (see kernels/records-pass.ts).

function widenToIntegration(
  t: Float64Array,
  length: Int32Array,
  dt: Int16Array,
  left: Int16Array,
  li: Int16Array,
  ri: Int16Array,
): void {
  for (let i = 0; i < length.length; i++) {
    // numpy computes both in int16 (they are small: samples within one record, times dt).
    t[i] = t[i]! - wrap16(wrap16(left[i]! - li[i]!) * dt[i]!);
    length[i] = wrap16(ri[i]! - li[i]!);
  }
}

function gatherInOrder(
  order: Int32Array,
  t: Float64Array,
  length: Int32Array,
  dt: Int16Array,
  ch: Int16Array,
  area: Float32Array,
  out: LoneHitArrays,
): void {
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    out.time[k] = t[i]!;
    out.length[k] = length[i]!;
    (out.dt as Int16Array)[k] = dt[i]!;
    (out.channel as Int16Array)[k] = ch[i]!;
    out.area[k] = area[i]!;
  }
}
