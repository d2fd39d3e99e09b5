// Hit finding (strax find_hits): intervals of a record's baseline-subtracted samples at or
// above a per-channel threshold. Hits end at record boundaries; output is in record order,
// not sorted by time.

import { timeOffsets, timesFromOffsets } from './int64-time.js';

/** What find_hits reads from records (works on records and on record-like float waveforms). */
export interface HitfinderInput {
  time: BigInt64Array;
  length: Int32Array;
  dt: Int16Array | Int32Array;
  channel: Int16Array;
  baseline: Float32Array;
  baseline_rms: Float32Array;
  /** n × samplesPerRecord, row-major. */
  data: Int16Array | Float32Array;
}

/** Columns of strax's hit_dtype (also lone_hits and veto_regions). */
export interface HitColumns {
  time: BigInt64Array;
  length: Int32Array;
  dt: Int16Array;
  channel: Int16Array;
  area: Float32Array;
  left: Int16Array;
  right: Int16Array;
  left_integration: Int16Array;
  right_integration: Int16Array;
  record_i: Int32Array;
  threshold: Float32Array;
  height: Float32Array;
  max_time: BigInt64Array;
}

export const HIT_FIELD_NAMES: readonly (keyof HitColumns)[] = [
  'time', 'length', 'dt', 'channel', 'area', 'left', 'right', 'left_integration',
  'right_integration', 'record_i', 'threshold', 'height', 'max_time',
];

export function emptyHits(n = 0): HitColumns {
  return {
    time: new BigInt64Array(n), length: new Int32Array(n), dt: new Int16Array(n),
    channel: new Int16Array(n), area: new Float32Array(n), left: new Int16Array(n),
    right: new Int16Array(n), left_integration: new Int16Array(n), right_integration: new Int16Array(n),
    record_i: new Int32Array(n), threshold: new Float32Array(n), height: new Float32Array(n),
    max_time: new BigInt64Array(n),
  };
}

/** Python's float x % 1 (result in [0, 1)). */
function fracPart(x: number): number {
  return x - Math.floor(x);
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

/**
 * strax find_hits. A sample satisfies the threshold when data >= max(min_amplitude[ch],
 * baseline_rms * min_height_over_noise[ch]); area and height include the baseline's fractional part.
 */
export function findHits(
  r: HitfinderInput,
  minAmplitude: number | ArrayLike<number> = 15,
  minHeightOverNoise: number | ArrayLike<number> = 0,
): HitColumns {
  const n = r.time.length;
  if (n === 0) return emptyHits(0);
  const spr = r.data.length / n;
  const { amp, hon } = channelThresholds(minAmplitude, minHeightOverNoise, r.channel);
  const nCh = amp.length;
  const base = r.time[0]!;
  const rt = timeOffsets(r.time, base);
  const { length, dt, channel, baseline, baseline_rms, data } = r;

  let cap = Math.max(1024, n >> 1);
  let tOff = new Float64Array(cap), maxOff = new Float64Array(cap);
  let hLen = new Int32Array(cap), hDt = new Int16Array(cap), hCh = new Int16Array(cap);
  let hArea = new Float32Array(cap), hLeft = new Int16Array(cap), hRight = new Int16Array(cap);
  let hRec = new Int32Array(cap), hThr = new Float32Array(cap), hHeight = new Float32Array(cap);
  let nh = 0;
  const grow = (): void => {
    cap *= 2;
    const g = <T extends Float64Array | Int32Array | Int16Array | Float32Array>(a: T): T => {
      const b = new (a.constructor as new (k: number) => T)(cap);
      b.set(a);
      return b;
    };
    tOff = g(tOff); maxOff = g(maxOff); hLen = g(hLen); hDt = g(hDt); hCh = g(hCh);
    hArea = g(hArea); hLeft = g(hLeft); hRight = g(hRight); hRec = g(hRec); hThr = g(hThr); hHeight = g(hHeight);
  };

  // strax keeps max_time in a variable that survives between hits (only matters for
  // thresholds <= 0, where a hit may never exceed the initial height of 0).
  let maxTime = 0;
  for (let ri = 0; ri < n; ri++) {
    const ch = channel[ri]!;
    if (ch >= nCh) throw new Error(`find_hits: channel ${ch} has no threshold (only ${nCh} thresholds given)`);
    const a = amp[ch]!;
    const byNoise = baseline_rms[ri]! * hon[ch]!;
    // numpy's max: NaN wins
    const thr = a !== a || byNoise !== byNoise ? NaN : (a >= byNoise ? a : byNoise);
    const len = length[ri]!;
    if (len > spr) throw new Error(`find_hits: record ${ri} has length ${len} > ${spr} samples`);
    const off = ri * spr;
    const rtime = rt[ri]!;
    const rdt = dt[ri]!;
    let i = 0;
    while (i < len) {
      // Skip to the next sample at or above threshold.
      while (i < len && !(data[off + i]! >= thr)) i++;
      if (i >= len) break;
      const left = i;
      let sum = 0;
      let height = 0;
      for (; i < len; i++) {
        const x = data[off + i]!;
        if (!(x >= thr)) break;
        sum += x;
        if (x > height) { height = x; maxTime = rtime + i * rdt; }
      }
      const right = i;
      if (nh === cap) grow();
      const fp = fracPart(baseline[ri]!);
      const hl = right - left;
      tOff[nh] = rtime + left * rdt;
      maxOff[nh] = maxTime;
      hLen[nh] = hl;
      hDt[nh] = rdt;
      hCh[nh] = ch;
      hLeft[nh] = left;
      hRight[nh] = right;
      hRec[nh] = ri;
      hThr[nh] = thr;
      hArea[nh] = sum + hl * fp;
      hHeight[nh] = height + fp;
      nh++;
    }
  }

  return {
    time: timesFromOffsets(tOff, base, nh),
    length: hLen.slice(0, nh),
    dt: hDt.slice(0, nh),
    channel: hCh.slice(0, nh),
    area: hArea.slice(0, nh),
    left: hLeft.slice(0, nh),
    right: hRight.slice(0, nh),
    left_integration: new Int16Array(nh),
    right_integration: new Int16Array(nh),
    record_i: hRec.slice(0, nh),
    threshold: hThr.slice(0, nh),
    height: hHeight.slice(0, nh),
    max_time: timesFromOffsets(maxOff, base, nh),
  };
}
