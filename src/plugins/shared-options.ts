// Options that several plugins take under one name (straxen keeps these in plugins/defaults.py).
// The context's configuration is shared, so one value reaches every plugin declaring the
// option; declaring it once here keeps their defaults, types and help identical.

import { any, bool, int, num, required } from '../core/option-schema.js';

/** Gate-to-cathode length of the XENONnT TPC [cm] (straxen.tpc_z). */
export const TPC_Z = 148.6515;

/** straxen's default position-reconstruction algorithm (its DEFAULT_POSREC_ALGO). */
export const DEFAULT_POSREC_ALGO = 'cnf';

/** Longest possible drift from gate to cathode [ns], truncated as Python's int() does. */
export function maxDriftTime(maxDriftLength: number, driftVelocity: number): number {
  if (!(driftVelocity > 0)) throw new Error(`electron_drift_velocity must be positive, got ${driftVelocity}`);
  return Math.trunc(maxDriftLength / driftVelocity);
}

export const electron_drift_velocity = num(
  'xedocs://electron_drift_velocities?attr=value&run_id=plugin.run_id&version=ONLINE',
  'Speed of the drifting electrons along the field [cm/ns]; turns S1-S2 delays into depth and sets the longest drift time. Taken from the corrections for the run; set a number only to study another field.',
);

export const electron_drift_time_gate = num(
  'xedocs://electron_drift_time_gates?attr=value&run_id=plugin.run_id&version=ONLINE',
  'Drift time [ns] of electrons released right at the gate: subtracted from the S1-S2 delay before it is turned into depth. From the corrections for the run.',
);

export const max_drift_length = num(
  TPC_Z,
  'Drift length of the TPC, gate to cathode [cm]; with the drift velocity it gives the longest possible S1-S2 delay. Change only for another detector geometry.',
);

export const default_reconstruction_algorithm = any<string>(
  DEFAULT_POSREC_ALGO,
  'Which position-reconstruction algorithm provides the (x, y) that event positions and the position-dependent corrections use (e.g. cnf, mlp, cog); also selects the matching correction maps.',
);

export const s1_min_coincidence = int(
  2,
  'Fewest PMTs with a hit near the peaklet maximum (tight coincidence) for a peaklet to be called an S1. Raise it to suppress accidental coincidences of dark counts.',
);

export const event_s1_min_coincidence = any<number>(
  2,
  'Fewest tight-coincidence PMTs an S1 needs to become the main or alternate S1 of an event; must not be below s1_min_coincidence.',
);

export const n_tpc_pmts = int(
  required,
  'Number of TPC PMT channels (top and bottom arrays); channels at or above it belong to other detectors and are left out.',
);

export const n_top_pmts = int(
  required,
  'Number of PMTs in the top array: channels below it are top, the rest bottom (area fraction top, top sum waveform).',
);

export const gain_model = any<Float64Array>(
  required,
  'Per-channel gain conversion [PE per ADC count and sample], one value per TPC channel; usually a URL config that looks up the gains of the run.',
);

export const hit_min_amplitude = any<number | Float64Array>(
  'list-to-array://xedocs://hit_thresholds?as_list=True&sort=pmt&attr=value&detector=tpc&run_id=plugin.run_id&version=ONLINE',
  'Hit-finding threshold [ADC counts above baseline]: one number for every channel, or one per channel. Per-channel thresholds come from the corrections for the run.',
);

export const diagnose_sorting = bool(
  false,
  'Check at run time that rows come out time-sorted and disjoint (slower); for debugging a plugin.',
  { track: false },
);
