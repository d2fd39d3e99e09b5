// Conversions between framework batches (Records, int64 epoch times) and the kernels' columnar
// views (float64 time offsets from a base that is a multiple of the records' dt).

import { Records, type Columns } from '../../core/records.js';
import type { DType } from '../../core/dtype.js';
import { timeOffsets, timesFromOffsets } from '../../kernels/int64-time.js';
import { hitColumnsFromArrays, type HitArrays, type RecordArrays } from '../../kernels/hit-arrays.js';
import type { PeakArrays } from '../../kernels/peak-arrays.js';

/** Largest multiple of dt at or below t (so floor(offset / dt) differences match strax's time // dt). */
export function alignedBase(t: bigint, dt: number): bigint {
  const d = BigInt(dt);
  const m = ((t % d) + d) % d;
  return t - m;
}

export function recordArrays(r: Records, base: bigint): RecordArrays {
  return {
    n: r.length,
    samplesPerRecord: r.width('data'),
    time: timeOffsets(r.i64('time'), base),
    length: r.i32('length'),
    dt: r.i16('dt'),
    channel: r.i16('channel'),
    baseline: r.f32('baseline'),
    amplitudeBitShift: r.i16('amplitude_bit_shift'),
    data: r.i16('data'),
    area: r.i32('area'),
  };
}

export function hitRecords(h: HitArrays, base: bigint, dtype: DType): Records {
  return new Records(dtype, h.n, { ...hitColumnsFromArrays(h, base) });
}

/** Peaks as a batch of the given peak dtype (fields it lacks, e.g. data_top, are dropped). */
export function peakRecords(p: PeakArrays, base: bigint, dtype: DType): Records {
  const all: Columns = {
    time: timesFromOffsets(p.time, base, p.n), length: p.length, dt: p.dt, channel: p.channel,
    type: p.type, area: p.area, area_fraction_top: p.areaFractionTop,
    area_per_channel: p.areaPerChannel, n_hits: p.nHits, data_top: p.dataTop,
    data_start: p.dataStart, data: p.data, center_time: timesFromOffsets(p.centerTime, base, p.n),
    median_time: p.medianTime, width: p.width, area_decile_from_midpoint: p.areaDecileFromMidpoint,
    saturated_channel: p.saturatedChannel, n_saturated_channels: p.nSaturatedChannels,
    tight_coincidence: p.tightCoincidence, max_gap: p.maxGap,
    max_goodness_of_split: p.maxGoodnessOfSplit, max_diff: p.maxDiff, min_diff: p.minDiff,
    first_channel: p.firstChannel, last_channel: p.lastChannel,
  };
  const cols: Columns = {};
  for (const name of dtype.names) {
    const c = all[name];
    if (!c) throw new Error(`peak dtype field '${name}' is not computed by straxts' peak kernels`);
    cols[name] = c;
  }
  return new Records(dtype, p.n, cols);
}
