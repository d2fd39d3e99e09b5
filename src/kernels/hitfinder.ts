// Hit finding (strax find_hits): intervals of a record's baseline-subtracted samples at or
// above a per-channel threshold. Hits end at record boundaries; output is in record order,
// not sorted by time.

import { allocHits, hitArraysOf, type HitArrays } from './hit-arrays.js';
import { grown } from './schema.js';

/**
 * What find_hits reads from records (works on records and on record-like float waveforms).
 * Times are float64 ns offsets from a base the caller chooses; the hits' times share that base.
 */
export interface HitfinderInput {
  time: Float64Array;
  length: Int32Array;
  dt: Int16Array | Int32Array;
  channel: Int16Array;
  baseline: Float32Array;
  baseline_rms: Float32Array;
  /** n × samplesPerRecord, row-major. */
  data: Int16Array | Float32Array;
}

/** Per-channel thresholds as strax builds them: arrays set the channel count, scalars fill it. */
export function channelThresholds(
  minAmplitude: number | ArrayLike<number>,
  minHeightOverNoise: number | ArrayLike<number>,
  channel: Int16Array,
): { amp: Float64Array; hon: Float64Array } {
  const ampArr = typeof minAmplitude !== 'number';
  const honArr = typeof minHeightOverNoise !== 'number';
  let nCh: number;
  if (ampArr) nCh = (minAmplitude as ArrayLike<number>).length;
  else if (honArr) nCh = (minHeightOverNoise as ArrayLike<number>).length;
  else {
    let m = -1;
    for (let i = 0; i < channel.length; i++) if (channel[i]! > m) m = channel[i]!;
    nCh = m + 1;
  }
  const fill = (v: number | ArrayLike<number>): Float64Array =>
    typeof v === 'number' ? new Float64Array(nCh).fill(v) : Float64Array.from(v as ArrayLike<number>);
  return { amp: fill(minAmplitude), hon: fill(minHeightOverNoise) };
}

/** numpy/numba max(a, b) for the threshold: the first argument unless the second is greater. */
export function hitThreshold(amp: number, rms: number, hon: number): number {
  const byNoise = rms * hon;
  return byNoise > amp ? byNoise : amp;
}

/** An integer threshold equivalent to `x >= thr` for integer samples x (NaN: never satisfied). */
export function integerThreshold(thr: number): number {
  if (thr !== thr) return 1 << 30;
  return Math.min(Math.max(Math.ceil(thr), -(1 << 30)), 1 << 30);
}

/** Growable columnar store of hits; times are float64 offsets from the records' base. */
export class HitBuffer {
  n = 0;
  private cap: number;
  private tOff: Float64Array;
  private maxOff: Float64Array;
  private len: Int32Array;
  private dt: Int16Array;
  private ch: Int16Array;
  private area: Float32Array;
  private left: Int16Array;
  private right: Int16Array;
  private rec: Int32Array;
  private thr: Float32Array;
  private height: Float32Array;

  /** Room for `capacity` hits, taken at the first push: the push that grows the buffer then
   * runs on every chunk, so V8 compiles the hit loops with that call already seen (a call never
   * made before optimisation makes the optimised loop stop there and be compiled again). */
  constructor(private readonly capacity = 1024) {
    this.cap = 0;
    this.tOff = new Float64Array(0);
    this.maxOff = new Float64Array(0);
    this.len = new Int32Array(0);
    this.dt = new Int16Array(0);
    this.ch = new Int16Array(0);
    this.area = new Float32Array(0);
    this.left = new Int16Array(0);
    this.right = new Int16Array(0);
    this.rec = new Int32Array(0);
    this.thr = new Float32Array(0);
    this.height = new Float32Array(0);
  }

  private grow(): void {
    // One expression for the first growth and later ones (no branch that had not run yet).
    const c = (this.cap = Math.max(16, this.capacity, 2 * this.cap));
    this.tOff = grown(this.tOff, c);
    this.maxOff = grown(this.maxOff, c);
    this.len = grown(this.len, c);
    this.dt = grown(this.dt, c);
    this.ch = grown(this.ch, c);
    this.area = grown(this.area, c);
    this.left = grown(this.left, c);
    this.right = grown(this.right, c);
    this.rec = grown(this.rec, c);
    this.thr = grown(this.thr, c);
    this.height = grown(this.height, c);
  }

  /**
   * Add a hit of record recordI (start time offset recordTime, sample width dt) covering samples
   * [left, right); sum and height are in ADC, fp the baseline's fractional part.
   */
  push(
    recordI: number,
    recordTime: number,
    dt: number,
    channel: number,
    left: number,
    right: number,
    sum: number,
    height: number,
    maxTime: number,
    threshold: number,
    fp: number,
  ): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    const hl = right - left;
    this.tOff[i] = recordTime + left * dt;
    this.maxOff[i] = maxTime;
    this.len[i] = hl;
    this.dt[i] = dt;
    this.ch[i] = channel;
    this.left[i] = left;
    this.right[i] = right;
    this.rec[i] = recordI;
    this.thr[i] = threshold;
    this.area[i] = sum + hl * fp;
    this.height[i] = height + fp;
  }

  finish(): HitArrays {
    const n = this.n;
    return hitArraysOf(n, {
      time: this.tOff.slice(0, n),
      length: this.len.slice(0, n),
      dt: this.dt.slice(0, n),
      channel: this.ch.slice(0, n),
      area: this.area.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      leftIntegration: new Int16Array(n),
      rightIntegration: new Int16Array(n),
      recordI: this.rec.slice(0, n),
      threshold: this.thr.slice(0, n),
      height: this.height.slice(0, n),
      maxTime: this.maxOff.slice(0, n),
    });
  }
}

/**
 * strax find_hits. A sample satisfies the threshold when data >= max(min_amplitude[ch],
 * baseline_rms * min_height_over_noise[ch]); area and height include the baseline's fractional part.
 */
export function findHits(
  r: HitfinderInput,
  minAmplitude: number | ArrayLike<number> = 15,
  minHeightOverNoise: number | ArrayLike<number> = 0,
): HitArrays {
  const n = r.time.length;
  if (n === 0) return allocHits(0);
  const spr = r.data.length / n;
  const { amp, hon } = channelThresholds(minAmplitude, minHeightOverNoise, r.channel);
  // About two hits a record in TPC data: room for them at once, instead of growing (copying) twice.
  const out = new HitBuffer(2 * n);
  // The columns go in one by one: callers build `r` in several shapes, and a kernel reading
  // them off an object of a shape it had not seen was deoptimised and compiled again.
  scanRecords(r.time, r.length, r.dt, r.channel, r.baseline, r.baseline_rms, r.data, spr, amp, hon, out);
  return out.finish();
}

/** The hit-finding loop of findHits, alone in its function: V8 optimises it mid-loop on the
 * first chunk, and code after the loop that had not run yet would make that code stop there
 * and be compiled again on later chunks. */
function scanRecords(
  rt: Float64Array,
  length: Int32Array,
  dt: Int16Array | Int32Array,
  channel: Int16Array,
  baseline: Float32Array,
  baselineRms: Float32Array,
  data: Int16Array | Float32Array,
  spr: number,
  amp: Float64Array,
  hon: Float64Array,
  out: HitBuffer,
): void {
  const n = length.length;
  const nCh = amp.length;
  // max_time survives between hits in strax (only visible for thresholds <= 0); it starts at
  // the first record's time.
  let maxTime = rt[0]!;
  for (let ri = 0; ri < n; ri++) {
    const ch = channel[ri]!;
    if (ch >= nCh)
      throw new Error(`find_hits: channel ${ch} has no threshold (only ${nCh} thresholds given)`);
    const thr = hitThreshold(amp[ch]!, baselineRms[ri]!, hon[ch]!);
    const len = length[ri]!;
    if (len > spr) throw new Error(`find_hits: record ${ri} has length ${len} > ${spr} samples`);
    const off = ri * spr;
    const rtime = rt[ri]!;
    const rdt = dt[ri]!;
    let i = 0;
    while (i < len) {
      while (i < len && !(data[off + i]! >= thr)) i++;
      if (i >= len) break;
      const left = i;
      let sum = 0;
      let height = 0;
      for (; i < len; i++) {
        const x = data[off + i]!;
        if (!(x >= thr)) break;
        sum += x;
        if (x > height) {
          height = x;
          maxTime = rtime + i * rdt;
        }
      }
      const bl = baseline[ri]!;
      out.push(ri, rtime, rdt, ch, left, i, sum, height, maxTime, thr, bl - Math.floor(bl));
    }
  }
}
