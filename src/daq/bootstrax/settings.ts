// Everything one bootstrax daemon is told (its command line, parsed by src/cli/bootstrax.ts).

import { STRAXEN_TIMING, type BootstraxTiming } from './constants.js';

export interface BootstraxSettings {
  /** Write to the runs database and delete data; else test mode (reads only). */
  production: boolean;
  /** This eventbuilder's name in the runs database (data entries, claims, heartbeats). */
  hostname: string;
  rundbUrl: string;
  /** Parent of the live_data run folders (a run's `live` entry names it in production). */
  liveDir: string;
  /** Where processed data is written. */
  outputDir: string;
  context: string;
  configFromJson?: string;
  targets: string[];
  postProcess: string[];
  fixTarget: boolean;
  fixResources: boolean;
  inferMode: boolean;
  deleteLive: boolean;
  ignoreChecks: boolean;
  undying: boolean;
  debug: boolean;
  /** CPU profile file stem for the processing child, or undefined. */
  profile?: string;
  cores: number;
  maxMessages: number;
  /** The output disk counts as full below this many free bytes. */
  minFreeBytes: number;
  metricsPort?: number;
  timing: BootstraxTiming;
}

/** straxen's constants multiplied by `scale` (tests run the state machine in seconds). */
export function scaledTiming(scale: number): BootstraxTiming {
  const t = { ...STRAXEN_TIMING };
  for (const k of Object.keys(t) as (keyof BootstraxTiming)[]) {
    if (k !== 'diskWaitTries') t[k] = Math.max(1, Math.round(t[k] * scale));
  }
  return t;
}
