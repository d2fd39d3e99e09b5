// One pass over raw_records doing what strax does in five (raw_to_records, zero_out_of_bounds,
// baseline, integrate and optionally find_hits), with identical results: each record's samples
// are touched once, while hot.

import { channelThresholds, HitBuffer, hitThreshold, integerThreshold } from './hitfinder.js';
import { allocHits, type HitArrays } from './hit-arrays.js';
import {
  emptyRecords,
  roundHalfEven,
  samplesPerRecord,
  type RawRecordColumns,
  type RecordColumns,
} from './pulse-processing.js';

/** How the baseline of each pulse is taken (strax baseline). */
export interface BaselineOptions {
  /** Samples at the start of the pulse's first record used for the baseline (default 40). */
  baselineSamples?: number;
  /** Store int(baseline) − raw instead of raw − int(baseline) (default true). */
  flip?: boolean;
  /** Use fallbackBaseline for continuation records whose first record is missing (default false). */
  allowSloppyChunking?: boolean;
  fallbackBaseline?: number;
}

export interface HitOptions {
  minAmplitude: number | ArrayLike<number>;
  minHeightOverNoise?: number | ArrayLike<number>;
}

/**
 * Records from raw_records (optionally only the given rows): samples beyond length zeroed, the
 * baseline of each pulse's first fragment (mean of its first baselineSamples, as strax) subtracted
 * as an integer, and area integrated.
 */
export function baselinedRecords(
  raw: RawRecordColumns,
  rows: Int32Array | undefined,
  opts: BaselineOptions = {},
): RecordColumns {
  return baselinedRecordsAndHits(raw, rows, opts, null).records;
}

/** baselinedRecords plus, when hitOpts is given, find_hits on the result (same hits, same order). */
export function baselinedRecordsAndHits(
  raw: RawRecordColumns,
  rows: Int32Array | undefined,
  opts: BaselineOptions,
  hitOpts: HitOptions | null,
): { records: RecordColumns; hits: HitArrays | null } {
  const nIn = raw.time.length;
  const n = rows ? rows.length : nIn;
  const spr = samplesPerRecord(raw.data, nIn);
  const nbs = Math.min(Math.max(opts.baselineSamples ?? 40, 0), spr);
  const flip = opts.flip ?? true;
  const sloppy = opts.allowSloppyChunking ?? false;
  const fallback = opts.fallbackBaseline ?? 16000;

  const out = emptyRecords(n, spr);
  if (n === 0) return { records: out, hits: hitOpts ? allocHits(0) : null };
  if (rows) copyRows(raw, rows, out);
  else {
    out.time.set(raw.time);
    out.length.set(raw.length);
    out.dt.set(raw.dt);
    out.channel.set(raw.channel);
    out.pulse_length.set(raw.pulse_length);
    out.record_i.set(raw.record_i);
  }

  const maxCh = maxChannel(out.channel);
  let amp: Float64Array | null = null,
    hon: Float64Array | null = null;
  if (hitOpts)
    ({ amp, hon } = channelThresholds(hitOpts.minAmplitude, hitOpts.minHeightOverNoise ?? 0, out.channel));
  // About two hits a record in TPC data: room for them at once, instead of growing (copying) twice.
  const hits = hitOpts ? new HitBuffer(2 * n) : null;
  const setup: PassSetup = { spr, nbs, flip, sloppy, fallback, amp, hon };
  // The loop always reads its source rows through a list (all rows when none is given): one
  // path, so a chunk with a list after one without does not find the loop compiled without it.
  passRecords(raw.data, rows ?? allRows(n), out, setup, hits, maxCh);
  return { records: out, hits: hits ? hits.finish() : null };
}

/** What passRecords needs besides the arrays (one object shape). */
interface PassSetup {
  spr: number;
  nbs: number;
  flip: boolean;
  sloppy: boolean;
  fallback: number;
  amp: Float64Array | null;
  hon: Float64Array | null;
}

// The loops live in functions of their own, each ending with its loop: V8 optimises a kernel
// mid-loop on the first chunk, and code after the loop that had not run yet would make that
// code stop there and be compiled again on every later chunk.

function allRows(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function copyRows(raw: RawRecordColumns, rows: Int32Array, out: RecordColumns): void {
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j]!;
    out.time[j] = raw.time[i]!;
    out.length[j] = raw.length[i]!;
    out.dt[j] = raw.dt[i]!;
    out.channel[j] = raw.channel[i]!;
    out.pulse_length[j] = raw.pulse_length[i]!;
    out.record_i[j] = raw.record_i[i]!;
  }
}

function maxChannel(channel: Int16Array): number {
  let maxCh = -1;
  for (let j = 0; j < channel.length; j++) {
    const c = channel[j]!;
    if (c < 0) throw new Error(`baseline: negative channel number ${c} in record ${j}`);
    if (c > maxCh) maxCh = c;
  }
  return maxCh;
}

/** The one pass over the records' samples (see baselinedRecordsAndHits). */
function passRecords(
  src: RawRecordColumns['data'],
  rows: Int32Array,
  out: RecordColumns,
  setup: PassSetup,
  hits: HitBuffer | null,
  maxCh: number,
): void {
  const { spr, nbs, flip, sloppy, fallback, amp, hon } = setup;
  const { length, channel, record_i: recordI, data, baseline, baseline_rms: baselineRms, area } = out;
  const n = length.length;
  const nThr = amp ? amp.length : 0;
  const rt = out.time;
  // find_hits keeps max_time between hits (visible only for thresholds <= 0), from the first time
  let maxTime = rt[0]!;
  const lastBl = new Float32Array(maxCh + 1);
  const lastRms = new Float32Array(maxCh + 1);
  const seen = new Uint8Array(maxCh + 1);

  for (let j = 0; j < n; j++) {
    const so = rows[j]! * spr;
    const o = j * spr;
    const lenField = length[j]!;
    const len = lenField < 0 ? 0 : lenField > spr ? spr : lenField;
    const ch = channel[j]!;
    let bl: number, rms: number;
    if (recordI[j] === 0) {
      seen[ch] = 1;
      // Window samples at or beyond length count as the zeros zero_out_of_bounds leaves there.
      const w = nbs < len ? nbs : len;
      let s = 0;
      for (let k = 0; k < w; k++) s += src[so + k]!;
      bl = s / nbs;
      let ssd = 0;
      for (let k = 0; k < w; k++) {
        const d = src[so + k]! - bl;
        ssd += d * d;
      }
      for (let k = w; k < nbs; k++) ssd += bl * bl;
      rms = Math.sqrt(ssd / nbs);
      lastBl[ch] = bl;
      lastRms[ch] = rms;
    } else if (seen[ch]) {
      bl = lastBl[ch]!;
      rms = lastRms[ch]!;
    } else {
      if (!sloppy) {
        throw new Error(
          `Cannot baseline, missing 0th fragment! (record ${j}, channel ${ch}, record_i ${recordI[j]}); enable allow_sloppy_chunking to use a fallback baseline`,
        );
      }
      bl = fallback;
      lastBl[ch] = fallback;
      lastRms[ch] = fallback;
      rms = NaN;
    }
    const ib = Math.trunc(bl);
    const sign = flip ? -1 : 1;
    let sum = 0;
    const blF = Math.fround(bl);
    const rmsF = Math.fround(rms);
    if (hits === null) {
      for (let k = 0; k < len; k++) {
        const v = ((sign * (src[so + k]! - ib)) << 16) >> 16;
        data[o + k] = v;
        sum += v;
      }
    } else {
      if (ch >= nThr)
        throw new Error(`find_hits: channel ${ch} has no threshold (only ${nThr} thresholds given)`);
      if (lenField > spr) throw new Error(`find_hits: record ${j} has length ${lenField} > ${spr} samples`);
      const thr = hitThreshold(amp![ch]!, rmsF, hon![ch]!);
      const thrI = integerThreshold(thr);
      const tj = rt[j]!,
        dtj = out.dt[j]!,
        fp = blF - Math.floor(blF);
      // Transform first (a tight loop), then look for hits only in records that reach the threshold.
      // The scan is limited to the span between the first and last sample at threshold.
      let first = -1,
        last = -1;
      for (let k = 0; k < len; k++) {
        const v = ((sign * (src[so + k]! - ib)) << 16) >> 16;
        data[o + k] = v;
        sum += v;
        if (v >= thrI) {
          if (first < 0) first = k;
          last = k;
        }
      }
      if (first >= 0) {
        const end = last + 1;
        let k = first;
        while (k < end) {
          while (k < end && data[o + k]! < thrI) k++;
          if (k >= end) break;
          const left = k;
          let hsum = 0,
            height = 0;
          for (; k < end; k++) {
            const v = data[o + k]!;
            if (v < thrI) break;
            hsum += v;
            if (v > height) {
              height = v;
              maxTime = tj + k * dtj;
            }
          }
          hits.push(j, tj, dtj, ch, left, k, hsum, height, maxTime, thr, fp);
        }
      }
    }
    baseline[j] = blF;
    baselineRms[j] = rmsF;
    area[j] = sum + roundHalfEven((blF - Math.floor(blF)) * lenField);
  }
}
