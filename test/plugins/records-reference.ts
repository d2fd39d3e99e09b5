// Reference data for the records golden tests: chunks read through straxts's storage layer,
// and the run's hit thresholds resolved from the file its config points to.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Records } from '../../src/core/records.js';
import { loadChunks as loadStoredChunks } from '../../src/storage/data-directory.js';
import { readMetadata, type DataMetadata } from '../../src/storage/metadata.js';
import { referenceDataDir, referenceFolder, runNumber } from '../helpers/reference.js';

export interface RefChunk {
  start: bigint;
  end: bigint;
  data: Records;
}

/** Metadata of a reference data type and its folder. */
export function readMeta(run: string, type: string): { dir: string; meta: DataMetadata } {
  const dir = join(referenceDataDir(run), referenceFolder(run, type));
  const file = readdirSync(dir).find((f) => f.endsWith('-metadata.json'))!;
  return { dir, meta: readMetadata(join(dir, file)) };
}

/** Every chunk of a reference data type, in order. */
export async function loadChunks(run: string, type: string): Promise<RefChunk[]> {
  const { dir, meta } = readMeta(run, type);
  const out: RefChunk[] = [];
  for await (const c of loadStoredChunks(dir, meta)) out.push({ start: c.start, end: c.end, data: c.data });
  return out;
}

/** The run's configuration with the hit thresholds its URL option names, resolved. */
export function referenceConfig(run: string): { hitThresholds: number[]; config: Record<string, unknown> } {
  const dir = referenceDataDir(run);
  const config = JSON.parse(readFileSync(join(dir, `${runNumber(run)}-config.json`), 'utf8')) as Record<
    string,
    unknown
  >;
  const file = /resource:\/\/([^?]+)/.exec(String(config['hit_min_amplitude']))![1]!;
  const hitThresholds = JSON.parse(readFileSync(join(dir, file), 'utf8')) as number[];
  return { hitThresholds, config };
}
