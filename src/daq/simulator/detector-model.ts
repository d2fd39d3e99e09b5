// The simulated XENONnT-like TPC: what the simulator draws from and what the processing presets
// must agree with (gains, thresholds). Derived from a fixed seed, so it never changes between runs.

import { Rng } from './rng.js';
import { N_TOP_PMTS, N_TPC_PMTS, PMT_X, PMT_Y } from '../../config/pmt-positions.js';

export interface DetectorModel {
  nPmts: number;
  nTopPmts: number;
  pmtX: Float64Array;
  pmtY: Float64Array;
  /** Radius of the active volume [cm]. */
  radiusCm: number;
  sampleNs: number;
  samplesPerRecord: number;
  baselineAdc: number;
  noiseAdc: number;
  /** Peak height of a single photoelectron at gain 1 [ADC]. */
  peAmplitudeAdc: number;
  /** Relative spread of single-photoelectron amplitudes. */
  peAmplitudeSpread: number;
  /** Pulse shape in samples, peak normalised to 1. */
  pulseTemplate: Float64Array;
  /** Relative gain per channel (mean 1). */
  gain: Float64Array;
  /** Hit threshold per channel [ADC]. */
  hitThreshold: Int32Array;
  /** Digitiser window around pulses [samples]. */
  preSamples: number;
  postSamples: number;
  driftVelocityCmPerNs: number;
  photonsPerElectron: number;
}

const DETECTOR_SEED = 0x58454e4e; // "XENN"

function buildDetector(): DetectorModel {
  const rng = new Rng(DETECTOR_SEED);
  const gain = new Float64Array(N_TPC_PMTS);
  const hitThreshold = new Int32Array(N_TPC_PMTS);
  for (let ch = 0; ch < N_TPC_PMTS; ch++) {
    gain[ch] = Math.min(1.6, Math.max(0.55, 1 + 0.15 * rng.normal()));
    hitThreshold[ch] = rng.int(12, 18);
  }
  return {
    nPmts: N_TPC_PMTS,
    nTopPmts: N_TOP_PMTS,
    pmtX: PMT_X,
    pmtY: PMT_Y,
    radiusCm: 66.4,
    sampleNs: 10,
    samplesPerRecord: 110,
    baselineAdc: 16000,
    noiseAdc: 2,
    peAmplitudeAdc: 25,
    peAmplitudeSpread: 0.35,
    pulseTemplate: Float64Array.of(0.3, 1, 0.6, 0.35, 0.2, 0.14, 0.09),
    gain,
    hitThreshold,
    preSamples: 30,
    postSamples: 60,
    driftVelocityCmPerNs: 6.75e-5,
    photonsPerElectron: 28,
  };
}

export const XENONNT_DETECTOR: DetectorModel = buildDetector();

/** PMT gains as straxen wants them: PE per ADC·sample, per channel. */
export function toPe(det: DetectorModel): number[] {
  let templateArea = 0;
  for (const v of det.pulseTemplate) templateArea += v;
  return Array.from(det.gain, (g) => Number((1 / (det.peAmplitudeAdc * g * templateArea)).toPrecision(6)));
}
