// Light signals of a TPC as detected photons (time since run start [ns], channel).

import type { DetectorModel } from './detector-model.js';
import type { Rng } from './rng.js';

/** A growable list of detected photons. */
export class PhotonList {
  time = new Float64Array(1024);
  channel = new Int16Array(1024);
  length = 0;

  push(t: number, ch: number): void {
    if (this.length === this.time.length) {
      const time = new Float64Array(this.length * 2);
      time.set(this.time);
      const channel = new Int16Array(this.length * 2);
      channel.set(this.channel);
      this.time = time;
      this.channel = channel;
    }
    this.time[this.length] = t;
    this.channel[this.length++] = ch;
  }
}

const SINGLET_FRACTION = 0.25;
const SINGLET_NS = 3.1;
const TRIPLET_NS = 24;
const TRANSIT_JITTER_NS = 2;
const S1_BOTTOM_FRACTION = 0.7;
const S2_TOP_FRACTION = 0.75;
const S2_LIGHT_SPREAD_CM = 7;
const LUMINESCENCE_NS = 800;

function randomBottomPmt(det: DetectorModel, rng: Rng): number {
  return det.nTopPmts + Math.floor(rng.uniform() * (det.nPmts - det.nTopPmts));
}

function randomTopPmt(det: DetectorModel, rng: Rng): number {
  return Math.floor(rng.uniform() * det.nTopPmts);
}

/** Scintillation: a prompt flash, mostly seen by the bottom array. */
export function addS1(out: PhotonList, det: DetectorModel, rng: Rng, t0: number, photons: number): void {
  for (let k = 0; k < photons; k++) {
    const tau = rng.uniform() < SINGLET_FRACTION ? SINGLET_NS : TRIPLET_NS;
    const t = t0 + rng.exponential(tau) + TRANSIT_JITTER_NS * rng.normal();
    const ch = rng.uniform() < S1_BOTTOM_FRACTION ? randomBottomPmt(det, rng) : randomTopPmt(det, rng);
    out.push(Math.max(t0, t), ch);
  }
}

/** Cumulative light fractions of the top PMTs for light made above (x, y). */
export function topLightCdf(det: DetectorModel, x: number, y: number): Float64Array {
  const cdf = new Float64Array(det.nTopPmts);
  let sum = 0;
  const s2 = 2 * S2_LIGHT_SPREAD_CM * S2_LIGHT_SPREAD_CM;
  for (let i = 0; i < det.nTopPmts; i++) {
    const dx = det.pmtX[i]! - x,
      dy = det.pmtY[i]! - y;
    sum += Math.exp(-(dx * dx + dy * dy) / s2) + 1e-3;
    cdf[i] = sum;
  }
  for (let i = 0; i < cdf.length; i++) cdf[i]! /= sum;
  return cdf;
}

function sampleCdf(cdf: Float64Array, u: number): number {
  let lo = 0,
    hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Electroluminescence of electrons extracted at tArrive[i], each giving ~photonsPerElectron photons. */
export function addS2Electrons(
  out: PhotonList,
  det: DetectorModel,
  rng: Rng,
  arrivals: ArrayLike<number>,
  cdf: Float64Array,
): number {
  let total = 0;
  for (let e = 0; e < arrivals.length; e++) {
    const n = rng.poisson(det.photonsPerElectron);
    total += n;
    for (let k = 0; k < n; k++) {
      const t = arrivals[e]! + rng.uniform() * LUMINESCENCE_NS;
      const ch = rng.uniform() < S2_TOP_FRACTION ? sampleCdf(cdf, rng.uniform()) : randomBottomPmt(det, rng);
      out.push(t, ch);
    }
  }
  return total;
}

/** Arrival times of electrons drifted for driftNs, spread by longitudinal diffusion. */
export function electronArrivals(rng: Rng, tStart: number, driftNs: number, electrons: number): Float64Array {
  const sigma = 200 + 1000 * Math.sqrt(driftNs / 1e6);
  const out = new Float64Array(electrons);
  for (let e = 0; e < electrons; e++) out[e] = tStart + driftNs + sigma * rng.normal();
  return out;
}
