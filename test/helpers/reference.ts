// Where the golden data made by strax/straxen lives, and small loaders for tests.

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Records } from '../../src/core/records.js';
import { readNpy } from '../../src/storage/npy.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function locate(): string {
  const fromEnv = process.env.STRAXTS_REFERENCE;
  if (fromEnv) return resolve(fromEnv);
  const sibling = resolve(repoRoot, '..', 'shared', 'reference');
  if (existsSync(sibling)) return sibling;
  return '/work/shared/reference';
}

/** Root of the reference data (env STRAXTS_REFERENCE, else ../shared/reference from the repo root). */
export const REFERENCE = locate();

export const REFERENCE_RUNS = ['run012100', 'run012200'] as const;

/** 'run012100' → '012100' */
export function runNumber(run: string): string {
  return run.replace(/^[a-z]+/, '');
}

/** The strax data directory of a reference run folder. */
export function referenceDataDir(run: string): string {
  return join(REFERENCE, run, 'strax_data');
}

/** Folder name RUN-TYPE-HASH of a data type in a reference run. */
export function referenceFolder(run: string, type: string): string {
  const prefix = `${runNumber(run)}-${type}-`;
  const hit = readdirSync(referenceDataDir(run)).find(
    (d) => d.startsWith(prefix) && /^[a-z0-9]{10}$/.test(d.slice(prefix.length)),
  );
  if (!hit) throw new Error(`no ${type} folder in ${referenceDataDir(run)}`);
  return hit;
}

/** numpy's export of a data type: npy/TYPE.npy.gz, or TYPE-head.npy.gz (first 2,000 rows). */
export function loadReferenceNpy(run: string, type: string): { records: Records; head: boolean } {
  const dir = join(REFERENCE, run, 'npy');
  const full = join(dir, `${type}.npy.gz`);
  if (existsSync(full)) return { records: readNpy(full), head: false };
  const head = join(dir, `${type}-head.npy.gz`);
  if (existsSync(head)) return { records: readNpy(head), head: true };
  throw new Error(`no numpy export of ${type} in ${dir}`);
}

/** Data types with a numpy export in a run. */
export function referenceNpyTypes(run: string): string[] {
  return readdirSync(join(REFERENCE, run, 'npy'))
    .filter((f) => f.endsWith('.npy.gz'))
    .map((f) => f.replace(/(-head)?\.npy\.gz$/, ''));
}
