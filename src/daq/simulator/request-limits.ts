// What a simulation request may ask of the machine: rates a TPC can have, and no more data than
// the disk holds (refused before anything is simulated, not when the disk is full).

import { existsSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { XENONNT_DETECTOR } from './detector-model.js';

export class SimulationRequestRefused extends Error {}

/** Highest rates accepted [Hz]: far above any physics or calibration run. */
export const MAX_RATES_HZ = { events: 1000, dark: 10_000, se: 10_000 } as const;

// raw_records rows per second from each source, and bytes per row on disk (lz4), measured on
// simulated minutes at the default rates (26,200 rows/s, 166 MB on disk per 384 MB).
const ROWS_PER_DARK_COUNT = 1;
const ROWS_PER_EVENT = 1000;
const ROWS_PER_SINGLE_ELECTRON = 45;
const DISK_BYTES_PER_ROW = 244 * 0.43;

export interface SimulationRates {
  eventRateHz: number;
  darkRateHz: number;
  singleElectronRateHz: number;
}

/** Estimated bytes on disk of the raw_records of such a run. */
export function estimatedDiskBytes(durationNs: number, r: SimulationRates): number {
  const rowsPerS =
    r.darkRateHz * XENONNT_DETECTOR.nPmts * ROWS_PER_DARK_COUNT +
    r.eventRateHz * ROWS_PER_EVENT +
    r.singleElectronRateHz * ROWS_PER_SINGLE_ELECTRON;
  return (durationNs / 1e9) * rowsPerS * DISK_BYTES_PER_ROW;
}

function freeBytes(dir: string): number {
  let d = resolve(dir);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  const s = statfsSync(d);
  return s.bavail * s.bsize;
}

const gb = (b: number): string => (b >= 1e12 ? `${(b / 1e12).toFixed(1)} TB` : `${(b / 1e9).toFixed(1)} GB`);

/** Throw SimulationRequestRefused, naming the limit, for rates out of range or data the disk
 * under `dataDir` cannot hold. */
export function checkSimulationRequest(dataDir: string, durationNs: number, rates: SimulationRates): void {
  const named: [keyof typeof MAX_RATES_HZ, number][] = [
    ['events', rates.eventRateHz],
    ['dark', rates.darkRateHz],
    ['se', rates.singleElectronRateHz],
  ];
  for (const [name, hz] of named) {
    if (hz > MAX_RATES_HZ[name])
      throw new SimulationRequestRefused(
        `rate ${name}=${hz} Hz is above the ${MAX_RATES_HZ[name]} Hz a simulated TPC run may have`,
      );
  }
  const need = estimatedDiskBytes(durationNs, rates);
  const free = freeBytes(dataDir);
  if (need > free)
    throw new SimulationRequestRefused(
      `this run would need about ${gb(need)} of raw_records on disk, but ${dataDir} has ${gb(free)} free; simulate a shorter run`,
    );
}
