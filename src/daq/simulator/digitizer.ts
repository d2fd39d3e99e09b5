// Photons → DAQ raw records: PMT pulses on a baseline with noise, zero-length encoding with a
// window of preSamples before the first and postSamples after the last pulse, windows merged when
// they touch, cut into fixed-length records (zero padding in the last one).

import type { RawRecordColumns as RawRecordView } from '../../kernels/pulse-processing.js';
import { grown } from '../../kernels/schema.js';
import type { DetectorModel } from './detector-model.js';
import type { Rng } from './rng.js';
import type { PhotonList } from './photons.js';

/** raw_records columns as stored (int64 epoch times), ready to become Records. */
export type RawRecordColumns = Omit<RawRecordView, 'time'> & { time: BigInt64Array };

const ADC_MAX = 16383;
const CHANNEL_KEY = 2 ** 42;
const NOISE_TABLE = 1 << 16;

class RecordBuffer {
  n = 0;
  start = new Float64Array(1024); // sample index since run start
  length = new Int32Array(1024);
  channel = new Int16Array(1024);
  pulseLength = new Int32Array(1024);
  recordI = new Int16Array(1024);
  data: Int16Array;
  constructor(readonly samples: number) {
    this.data = new Int16Array(1024 * samples);
  }
  private grow(): void {
    const cap = this.start.length * 2;
    this.start = grown(this.start, cap);
    this.length = grown(this.length, cap);
    this.channel = grown(this.channel, cap);
    this.pulseLength = grown(this.pulseLength, cap);
    this.recordI = grown(this.recordI, cap);
    this.data = grown(this.data, cap * this.samples);
  }
  add(
    start: number,
    length: number,
    channel: number,
    pulseLength: number,
    recordI: number,
    wave: Int16Array,
  ): void {
    if (this.n === this.start.length) this.grow();
    const i = this.n++;
    this.start[i] = start;
    this.length[i] = length;
    this.channel[i] = channel;
    this.pulseLength[i] = pulseLength;
    this.recordI[i] = recordI;
    this.data.set(wave, i * this.samples);
  }
}

/** Digitise photons (time in ns since the run start). Records come out sorted by time, then channel. */
export function digitize(
  photons: PhotonList,
  det: DetectorModel,
  rng: Rng,
  runStartNs: bigint,
): RawRecordColumns {
  const n = photons.length;
  // Sample index of every photon grouped by channel (counting sort), then sorted within a channel.
  const counts = new Int32Array(det.nPmts + 1);
  for (let i = 0; i < n; i++) counts[photons.channel[i]! + 1]!++;
  for (let c = 0; c < det.nPmts; c++) counts[c + 1]! += counts[c]!;
  const fill = counts.slice(0, det.nPmts);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ch = photons.channel[i]!;
    keys[fill[ch]!++] = ch * CHANNEL_KEY + Math.floor(photons.time[i]! / det.sampleNs);
  }
  for (let c = 0; c < det.nPmts; c++) keys.subarray(counts[c]!, counts[c + 1]!).sort();

  const spr = det.samplesPerRecord;
  const tmpl = det.pulseTemplate;
  const buf = new RecordBuffer(spr);
  const wave = new Float64Array(1 << 16);
  const rec = new Int16Array(spr);
  // Baseline noise from a table: the hot loop draws millions of samples per second of run.
  const noise = new Float64Array(NOISE_TABLE + spr);
  for (let k = 0; k < noise.length; k++) noise[k] = det.baselineAdc + det.noiseAdc * rng.normal();
  const quietSamples = Int16Array.from(noise, Math.round);

  let i = 0;
  while (i < n) {
    const ch = Math.floor(keys[i]! / CHANNEL_KEY);
    // One pulse: PEs whose windows touch.
    let j = i;
    const first = keys[i]! - ch * CHANNEL_KEY;
    let last = first;
    while (
      j + 1 < n &&
      Math.floor(keys[j + 1]! / CHANNEL_KEY) === ch &&
      keys[j + 1]! - ch * CHANNEL_KEY - det.preSamples <= last + tmpl.length + det.postSamples
    ) {
      j++;
      last = keys[j]! - ch * CHANNEL_KEY;
    }
    const start = Math.max(0, first - det.preSamples);
    const len = last + tmpl.length + det.postSamples - start;
    const w = len <= wave.length ? wave.subarray(0, len) : new Float64Array(len);
    w.fill(0);
    const peak = det.peAmplitudeAdc * det.gain[ch]!;
    for (let k = i; k <= j; k++) {
      const s = keys[k]! - ch * CHANNEL_KEY - start;
      const amp = peak * Math.max(0.1, 1 + det.peAmplitudeSpread * rng.normal());
      for (let q = 0; q < tmpl.length; q++) w[s + q]! += amp * tmpl[q]!;
    }
    for (let r = 0; r * spr < len; r++) {
      const m = Math.min(spr, len - r * spr);
      rec.fill(0);
      const off = rng.next32() & (NOISE_TABLE - 1);
      for (let q = 0; q < m; q++) {
        const signal = w[r * spr + q]!;
        if (signal === 0) {
          rec[q] = quietSamples[off + q]!;
        } else {
          const v = Math.round(noise[off + q]! - signal);
          rec[q] = v < 0 ? 0 : v > ADC_MAX ? ADC_MAX : v;
        }
      }
      buf.add(start + r * spr, m, ch, len, r, rec);
    }
    i = j + 1;
  }
  return sortedColumns(buf, det, runStartNs);
}

function sortedColumns(buf: RecordBuffer, det: DetectorModel, runStartNs: bigint): RawRecordColumns {
  const n = buf.n,
    spr = det.samplesPerRecord;
  const order = Array.from({ length: n }, (_, k) => k);
  order.sort((a, b) => buf.start[a]! - buf.start[b]! || buf.channel[a]! - buf.channel[b]!);
  const out: RawRecordColumns = {
    time: new BigInt64Array(n),
    length: new Int32Array(n),
    dt: new Int16Array(n),
    channel: new Int16Array(n),
    pulse_length: new Int32Array(n),
    record_i: new Int16Array(n),
    baseline: new Int16Array(n),
    data: new Int16Array(n * spr),
  };
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    out.time[k] = runStartNs + BigInt(buf.start[i]! * det.sampleNs);
    out.length[k] = buf.length[i]!;
    out.dt[k] = det.sampleNs;
    out.channel[k] = buf.channel[i]!;
    out.pulse_length[k] = buf.pulseLength[i]!;
    out.record_i[k] = buf.recordI[i]!;
    out.baseline[k] = det.baselineAdc;
    out.data.set(buf.data.subarray(i * spr, (i + 1) * spr), k * spr);
  }
  return out;
}
