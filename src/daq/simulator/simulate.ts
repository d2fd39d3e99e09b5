// A simulated TPC run: events (S1 + drifted S2), single electrons, PMT dark counts and one very
// large saturating event, digitised into raw records, cut into chunks at quiet gaps.

import { XENONNT_DETECTOR, type DetectorModel } from './detector-model.js';
import { digitize, type RawRecordColumns } from './digitizer.js';
import { PhotonList, addS1, addS2Electrons, electronArrivals, topLightCdf } from './photons.js';
import { Rng } from './rng.js';

export interface SimulationOptions {
  durationNs: number;
  runStartNs: bigint;
  seed: number;
  eventRateHz?: number;
  darkRateHz?: number;
  singleElectronRateHz?: number;
  /** Add one very large event (~3 million S2 photons) that saturates channels. */
  bigEvent?: boolean;
  /** Target chunk duration [ns]; chunks end in a quiet gap before this. */
  chunkNs?: number;
  detector?: DetectorModel;
}

/** Ground truth, with times in ns since the run start (as the reference truth files). */
export type TruthEntry =
  | {
      kind: 'event';
      t_s1: number;
      n_s1: number;
      t_s2: number;
      n_s2: number;
      x: number;
      y: number;
      drift_ns: number;
    }
  | { kind: 'single_electron'; t_s2: number; n_s2: number; x: number; y: number };

export interface SimulatedChunk {
  start: bigint;
  end: bigint;
  records: RawRecordColumns;
}

interface Source {
  t: number;
  kind: 'event' | 'se' | 'big';
}

/** Signal rates [Hz] when not given: dark counts per PMT. */
export const DEFAULT_SIMULATION_RATES = {
  eventRateHz: 15,
  darkRateHz: 20,
  singleElectronRateHz: 30,
} as const;

const QUIET_NS = 1000; // half of the 2 µs gap a chunk boundary needs

export class Simulation {
  readonly truth: TruthEntry[] = [];
  private readonly det: DetectorModel;
  private readonly opts: Required<Omit<SimulationOptions, 'detector'>>;

  constructor(options: SimulationOptions) {
    this.det = options.detector ?? XENONNT_DETECTOR;
    this.opts = {
      ...DEFAULT_SIMULATION_RATES,
      bigEvent: true,
      chunkNs: 1e9,
      ...options,
    };
    if (!(this.opts.durationNs > 0)) throw new Error('simulation duration must be positive');
  }

  /** Signal sources in time order, drawn as they are needed (memory does not grow with the
   * duration). The numbers are those of drawing every event time, then every single-electron
   * time, then the big event, and sorting: the same seed gives the same run as ever. */
  private *sources(rng: Rng): Generator<Source> {
    const { durationNs, eventRateHz, singleElectronRateHz, bigEvent } = this.opts;
    const poissonTimes = function* (r: Rng, rate: number): Generator<number> {
      if (!(rate > 0)) return;
      for (let t = r.exponential(1e9 / rate); t < durationNs; t += r.exponential(1e9 / rate)) yield t;
    };
    // Where each stream starts in the generator's sequence: skip through the one before it.
    const eventRng = rng.clone();
    for (const _ of poissonTimes(rng, eventRateHz)) void _;
    const seRng = rng.clone();
    for (const _ of poissonTimes(rng, singleElectronRateHz)) void _;
    const bigT = bigEvent ? durationNs * (0.3 + 0.4 * rng.uniform()) : Infinity;
    const events = poissonTimes(eventRng, eventRateHz),
      ses = poissonTimes(seRng, singleElectronRateHz);
    let ev = events.next(),
      se = ses.next(),
      bigDone = !bigEvent;
    for (;;) {
      const tEv = ev.done ? Infinity : ev.value,
        tSe = se.done ? Infinity : se.value,
        tBig = bigDone ? Infinity : bigT;
      if (tEv === Infinity && tSe === Infinity && tBig === Infinity) return;
      // Ties as a stable sort of [events, single electrons, big] would order them.
      if (tEv <= tSe && tEv <= tBig) {
        yield { t: tEv, kind: 'event' };
        ev = events.next();
      } else if (tSe <= tBig) {
        yield { t: tSe, kind: 'se' };
        se = ses.next();
      } else {
        yield { t: tBig, kind: 'big' };
        bigDone = true;
      }
    }
  }

  private randomPosition(rng: Rng): [number, number] {
    const r = this.det.radiusCm * Math.sqrt(rng.uniform());
    const phi = 2 * Math.PI * rng.uniform();
    return [Math.round(r * Math.cos(phi) * 1000) / 1000, Math.round(r * Math.sin(phi) * 1000) / 1000];
  }

  private addSource(src: Source, out: PhotonList, rng: Rng): void {
    const det = this.det;
    const [x, y] = this.randomPosition(rng);
    const cdf = topLightCdf(det, x, y);
    if (src.kind === 'se') {
      const n = addS2Electrons(out, det, rng, [src.t], cdf);
      this.truth.push({ kind: 'single_electron', t_s2: Math.round(src.t), n_s2: n, x, y });
      return;
    }
    const big = src.kind === 'big';
    const nS1 = big ? 100_000 : Math.round(rng.logUniform(5, 400));
    const nS2 = big ? 3_000_000 : Math.round(rng.logUniform(150, 40_000));
    const drift = 2000 + rng.uniform() * (2.2e6 - 2000);
    addS1(out, det, rng, src.t, nS1);
    const electrons = Math.max(1, Math.round(nS2 / det.photonsPerElectron));
    const n = addS2Electrons(out, det, rng, electronArrivals(rng, src.t, drift, electrons), cdf);
    this.truth.push({
      kind: 'event',
      t_s1: Math.round(src.t),
      n_s1: nS1,
      t_s2: Math.round(src.t + drift),
      n_s2: n,
      x,
      y,
      drift_ns: Math.round(drift),
    });
  }

  private addDarkCounts(out: PhotonList, rng: Rng, t0: number, t1: number): void {
    const mean = (this.opts.darkRateHz * (t1 - t0)) / 1e9;
    for (let ch = 0; ch < this.det.nPmts; ch++) {
      const n = rng.poisson(mean);
      for (let k = 0; k < n; k++) out.push(t0 + rng.uniform() * (t1 - t0), ch);
    }
  }

  /** Chunks in time order; `truth` is complete once they are all taken. */
  *chunks(): Generator<SimulatedChunk> {
    const rng = new Rng(this.opts.seed);
    const sourceRng = rng.fork(1),
      lightRng = rng.fork(2),
      darkRng = rng.fork(3),
      adcRng = rng.fork(4);
    const sources = this.sources(sourceRng);
    const { durationNs, chunkNs, runStartNs } = this.opts;
    let pending = new PhotonList();
    let chunkStart = 0;
    let next = sources.next();
    for (let w0 = 0; w0 < durationNs; w0 += chunkNs) {
      const w1 = Math.min(durationNs, w0 + chunkNs);
      for (; !next.done && next.value.t < w1; next = sources.next())
        this.addSource(next.value, pending, lightRng);
      this.addDarkCounts(pending, darkRng, w0, w1);
      const last = w1 >= durationNs;
      const cut = last ? Infinity : quietCut(pending, chunkStart, w1 - QUIET_NS);
      if (cut === null) continue;
      const [now, later] = splitPhotons(pending, cut);
      pending = later;
      const end = last ? Math.max(durationNs, lastRecordEnd(now, this.det)) : Math.floor(cut);
      yield {
        start: runStartNs + BigInt(chunkStart),
        end: runStartNs + BigInt(end),
        records: digitize(now, this.det, adcRng, runStartNs),
      };
      chunkStart = end;
    }
  }
}

/** The latest time ≤ limit with no photon within QUIET_NS on either side, or null.
 * Photons are binned rather than sorted: windows hold hundreds of thousands of them. */
function quietCut(p: PhotonList, from: number, limit: number): number | null {
  const BIN = QUIET_NS / 4;
  if (limit <= from) return null;
  const nBins = Math.ceil((limit - from) / BIN) + 8;
  const busy = new Uint8Array(nBins);
  for (let i = 0; i < p.length; i++) {
    const b = Math.floor((p.time[i]! - from) / BIN);
    if (b >= 0 && b < nBins) busy[b] = 1;
  }
  // Cut at a bin edge e with bins [e-4, e+4) empty; photons before `from` are never carried.
  for (let e = Math.floor((limit - from) / BIN); e >= 4; e--) {
    let quiet = true;
    for (let k = e - 4; k < e + 4 && quiet; k++) if (busy[k]) quiet = false;
    if (quiet) return from + e * BIN;
  }
  return null;
}

function splitPhotons(p: PhotonList, cut: number): [PhotonList, PhotonList] {
  const now = new PhotonList(),
    later = new PhotonList();
  for (let i = 0; i < p.length; i++) (p.time[i]! < cut ? now : later).push(p.time[i]!, p.channel[i]!);
  return [now, later];
}

function lastRecordEnd(p: PhotonList, det: DetectorModel): number {
  let last = 0;
  for (let i = 0; i < p.length; i++) last = Math.max(last, p.time[i]!);
  return (Math.floor(last / det.sampleNs) + det.pulseTemplate.length + det.postSamples + 1) * det.sampleNs;
}
