// Test oracle: strax's baseline step on its own (the mean of the first samples of each pulse,
// subtracted as an integer, optionally sign-flipped). Production runs it fused in
// src/kernels/records-pass.ts; the tests check the fused pass against this step-by-step one.

import type { BaselineOptions } from '../../src/kernels/records-pass.js';

export interface BaselineColumns {
  length: Int32Array;
  channel: Int16Array;
  record_i: Int16Array;
  baseline: Float32Array;
  baseline_rms: Float32Array;
  /** n × samplesPerRecord int16, modified in place. */
  data: Int16Array;
}

/**
 * In place: for a pulse's first record the baseline is the mean (and rms the population std) of
 * its first baselineSamples stored samples, in float64; continuation records reuse the float32
 * values stored for the channel's last first record. Samples [0, length) become
 * ±(raw − trunc(baseline)), wrapped to int16; samples beyond length are left untouched.
 * Rows must be time-ordered per channel.
 */
export function baseline(r: BaselineColumns, opts: BaselineOptions = {}): void {
  const n = r.length.length;
  if (n === 0) return;
  const spr = r.data.length / n;
  const nbs = Math.min(Math.max(opts.baselineSamples ?? 40, 0), spr);
  const sign = (opts.flip ?? true) ? -1 : 1;
  const sloppy = opts.allowSloppyChunking ?? false;
  const fallback = opts.fallbackBaseline ?? 16000;
  const { length, channel, record_i: recordI, data } = r;
  const outBl = r.baseline,
    outRms = r.baseline_rms;

  let maxCh = -1;
  for (let i = 0; i < n; i++) {
    const c = channel[i]!;
    if (c < 0) throw new Error(`baseline: negative channel number ${c} in record ${i}`);
    if (c > maxCh) maxCh = c;
  }
  // Per channel: float32 (mean, rms) of the last first-record seen, and whether one was seen.
  const lastBl = new Float32Array(maxCh + 1);
  const lastRms = new Float32Array(maxCh + 1);
  const seen = new Uint8Array(maxCh + 1);

  for (let i = 0; i < n; i++) {
    const ch = channel[i]!;
    const off = i * spr;
    let bl: number, rms: number;
    if (recordI[i] === 0) {
      seen[ch] = 1;
      let sum = 0;
      for (let k = 0; k < nbs; k++) sum += data[off + k]!;
      // numba: integer sum / size in float64, then a sequential float64 sum of squared deviations
      bl = sum / nbs;
      let ssd = 0;
      for (let k = 0; k < nbs; k++) {
        const d = data[off + k]! - bl;
        ssd += d * d;
      }
      rms = Math.sqrt(ssd / nbs);
      lastBl[ch] = bl;
      lastRms[ch] = rms;
    } else {
      bl = lastBl[ch]!;
      rms = lastRms[ch]!;
      if (!seen[ch]) {
        if (!sloppy) {
          throw new Error(
            `Cannot baseline, missing 0th fragment! (record ${i}, channel ${ch}, record_i ${recordI[i]}); enable allow_sloppy_chunking to use a fallback baseline`,
          );
        }
        bl = fallback;
        lastBl[ch] = fallback;
        lastRms[ch] = fallback;
        rms = NaN;
      }
    }
    const ib = Math.trunc(bl);
    const len = Math.min(Math.max(length[i]!, 0), spr);
    if (sign < 0) {
      for (let k = off, end = off + len; k < end; k++) data[k] = ib - data[k]!;
    } else {
      for (let k = off, end = off + len; k < end; k++) data[k] = data[k]! - ib;
    }
    outBl[i] = bl;
    outRms[i] = rms;
  }
}
