// Set-up shared by the peak_positions … event_basics golden tests: reference inputs, the run's
// configuration and metadata (plugins come from configuredPlugin in test/helpers).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pyJsonDumps, pyJsonParse } from '../../src/core/python/json.js';
import { hashablize } from '../../src/core/lineage.js';
import { Records } from '../../src/core/records.js';
import { loadReferenceNpy, referenceDataDir, referenceFolder, runNumber } from '../helpers/reference.js';

export function loadNpy(run: string, type: string): Records {
  return loadReferenceNpy(run, type).records;
}

/** The run's configuration (options that differ from straxen's defaults), floats kept. */
export function runConfig(run: string): Record<string, unknown> {
  const text = readFileSync(join(referenceDataDir(run), `${runNumber(run)}-config.json`), 'utf8');
  return pyJsonParse(text) as Record<string, unknown>;
}

export interface Metadata {
  dtype: string;
  start: number;
  end: number;
  compressor: string;
  data_kind: string;
  lineage: Record<string, [string, string, Record<string, unknown>]>;
  [key: string]: unknown;
}

/** A data type's metadata JSON (floats kept as PyFloat inside the lineage). */
export function metadata(run: string, type: string): Metadata {
  const folder = referenceFolder(run, type);
  const name = folder.slice(runNumber(run).length + 1);
  const text = readFileSync(join(referenceDataDir(run), folder, `${name}-metadata.json`), 'utf8');
  const m = pyJsonParse(text) as unknown as Metadata;
  return m;
}

/** [start, end) of a data type in the reference, as bigints (read from the raw JSON text so
 * the nanosecond values stay exact). */
export function timeRange(run: string, type: string): { start: bigint; end: bigint } {
  const folder = referenceFolder(run, type);
  const name = folder.slice(runNumber(run).length + 1);
  const text = readFileSync(join(referenceDataDir(run), folder, `${name}-metadata.json`), 'utf8');
  const grab = (key: string): bigint => {
    const m = new RegExp(`"${key}":\\s*(\\d+)`).exec(text);
    if (!m) throw new Error(`no ${key} in metadata of ${type}`);
    return BigInt(m[1]!);
  };
  return { start: grab('start'), end: grab('end') };
}

/** Python json text of a lineage entry's options (compare float-ness and values exactly). */
export function optionsText(options: Record<string, unknown>): string {
  return pyJsonDumps(hashablize(options));
}

/** Peak-kind inputs merged into one batch, as strax hands same-kind inputs to compute. */
export function mergePeakInputs(run: string, types: readonly string[]): Records {
  return Records.mergeColumns(types.map((t) => loadNpy(run, t)));
}
