// How the DAQReader cuts an overlap folder (the same data is in `%06d_post` of chunk i and
// `%06d_pre` of chunk i+1) so that every record goes to exactly one of the two chunks, as
// straxen does: at the first gap of at least `safe_break_in_pulses` ns with no pulse across it,
// or, when the data ends early enough, just before the overlap's end. When there is no such
// gap the cut is made anyway just before the end, the records crossing it are dropped, and an
// "artificial deadtime" record on channel 799 marks the time where data may be missing.
//
// Times here are ns since the run start (exact as float64 for runs shorter than 104 days).

import type { DType } from '../../core/dtype.js';
import { Records } from '../../core/records.js';
import { timeOffsets } from '../../core/int64-time.js';
import { stableOrder } from '../../kernels/stable-sort.js';

/** Just below the TPC acquisition monitor's channels: lands in raw_records_aqmon. */
export const ARTIFICIAL_DEADTIME_CHANNEL = 799;

export interface OverlapSettings {
  /** safe_break_in_pulses [ns]. */
  minGap: number;
  /** Samples per record. */
  recordLength: number;
  /** max_digitizer_sampling_time [ns]. */
  dtMax: number;
}

export interface OverlapCut {
  /** The records this side keeps (post: before the cut; pre: from the cut on). */
  rows: Records;
  /** Where chunk i ends and chunk i+1 starts [ns since run start]. */
  breakTime: number;
  /** [start, end) of the artificial deadtime when no safe break existed. */
  deadtime: [number, number] | null;
}

export function startTimes(r: Records): Float64Array {
  return timeOffsets(r.i64('time'), 0n);
}

export function endTimes(r: Records): Float64Array {
  const t = startTimes(r);
  const len = r.i32('length'),
    dt = r.i16('dt');
  for (let i = 0; i < t.length; i++) t[i] = t[i]! + len[i]! * dt[i]!;
  return t;
}

/** Rows ordered by (time, channel), ties kept in their order (strax's sort_by_time). Any
 * times (epoch ns too): the key is the offset from the first row's time. */
export function sortByTimeAndChannel(r: Records): Records {
  if (r.length < 2) return r;
  const t = r.i64('time');
  const order = stableOrder(timeOffsets(t, t[0]!), r.length, r.i16('channel'));
  return order ? r.take(order) : r;
}

/** One artificial-deadtime record covering [start, end). */
export function artificialDeadtime(dtype: DType, start: number, end: number, dtMax: number): Records {
  const r = Records.empty(dtype, 1);
  r.i64('time')[0] = BigInt(start);
  r.i32('length')[0] = Math.floor((end - start) / dtMax);
  r.i16('dt')[0] = dtMax;
  r.i16('channel')[0] = ARTIFICIAL_DEADTIME_CHANNEL;
  return r;
}

/**
 * Index of the first record that starts at least minGap after every earlier record ended
 * (records of the chunk before may reach `notBefore`); -1 when there is none.
 */
export function safeBreakIndex(
  time: Float64Array,
  end: Float64Array,
  minGap: number,
  notBefore: number,
): number {
  if (time.length < 2) return -1;
  let latestEnd = Math.max(notBefore, end[0]!);
  for (let i = 1; i < time.length; i++) {
    if (time[i]! >= latestEnd + minGap) return i;
    if (end[i]! > latestEnd) latestEnd = end[i]!;
  }
  return -1;
}

/**
 * Cut one overlap folder's records (sorted by time, all starting in [start, end)).
 * `lookBack` is how many of the last records may hold the latest end time (strax looks one
 * record length back per channel of the channel map).
 */
export function cutOverlap(
  sorted: Records,
  [start, end]: readonly [number, number],
  side: 'pre' | 'post',
  s: OverlapSettings,
  lookBack: number,
): OverlapCut {
  const keepAll = side === 'post';
  const n = sorted.length;
  const endT = endTimes(sorted);
  let lastEnd = -Infinity;
  for (let i = Math.max(0, n - lookBack); i < n; i++) if (endT[i]! > lastEnd) lastEnd = endT[i]!;
  if (n === 0 || lastEnd + s.minGap < end) {
    // Quiet before the overlap's end: the cut goes there and every record stays on the left.
    return { rows: keepAll ? sorted : sorted.slice(0, 0), breakTime: end - s.minGap, deadtime: null };
  }
  const time = startTimes(sorted);
  const i = safeBreakIndex(time, endT, s.minGap, start + s.recordLength * s.dtMax);
  if (i >= 0) {
    return { rows: keepAll ? sorted.slice(0, i) : sorted.slice(i), breakTime: time[i]!, deadtime: null };
  }
  const breakTime = end - s.minGap;
  const deadStart = breakTime - s.recordLength * s.dtMax;
  if (!keepAll) {
    return {
      rows: artificialDeadtime(sorted.dtype, breakTime, end, s.dtMax),
      breakTime,
      deadtime: [deadStart, end],
    };
  }
  const kept = sorted.filter(Array.from(endT, (e) => e <= breakTime));
  const marked = Records.concat([kept, artificialDeadtime(sorted.dtype, deadStart, breakTime, s.dtMax)]);
  return { rows: sortByTimeAndChannel(marked), breakTime, deadtime: [deadStart, end] };
}
