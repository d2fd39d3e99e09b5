// Options that several event-level plugins take under the same name (the context's config is
// shared, so one value reaches every plugin that declares the option).

import type { OptionSpec } from '../../core/plugin.js';

/** straxen.tpc_z: gate to cathode [cm]. */
export const TPC_Z = 148.6515;

export const ELECTRON_DRIFT_VELOCITY: OptionSpec = {
  name: 'electron_drift_velocity',
  default: 'xedocs://electron_drift_velocities?attr=value&run_id=plugin.run_id&version=ONLINE',
  type: 'any',
  help: 'Vertical electron drift velocity in cm/ns (1e4 m/ms)',
};

export const EVENT_S1_MIN_COINCIDENCE: OptionSpec = {
  name: 'event_s1_min_coincidence',
  default: 2,
  type: 'any',
  help: 'Event level S1 min coincidence. Should be >= s1_min_coincidence in the peaklet classification',
};

/** A numeric option's value; a clear error if it is still an unresolved URL or not a number. */
export function numericOption(
  plugin: { className: string; config: Record<string, unknown> },
  name: string,
): number {
  const v = plugin.config[name];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.includes('://')) {
    throw new Error(
      `${plugin.className}: option ${name} is '${v}', which needs the corrections database; set a number instead`,
    );
  }
  throw new Error(`${plugin.className}: option ${name} must be a number, got ${JSON.stringify(v)}`);
}

/** Maximum drift time in ns, truncated like Python's int(). */
export function maxDriftTime(maxDriftLength: number, driftVelocity: number): number {
  if (!(driftVelocity > 0)) throw new Error(`electron_drift_velocity must be positive, got ${driftVelocity}`);
  return Math.trunc(maxDriftLength / driftVelocity);
}
