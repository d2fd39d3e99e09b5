// A run's start and end (ns), for seconds ranges and progress: from run metadata when a
// frontend offers it, else from the first stored chunk of a target (floored to seconds, as strax).

import type { DataKey, StorageFrontend } from '../storage-api.js';

/** Optional frontend capability: the run document / RUN-metadata.json. */
export interface RunMetadataSource {
  runMetadata(runId: string): Promise<Record<string, unknown> | null> | Record<string, unknown> | null;
}

const hasRunMetadata = (fe: StorageFrontend): fe is StorageFrontend & RunMetadataSource =>
  typeof (fe as Partial<RunMetadataSource>).runMetadata === 'function';

const SECOND = 1_000_000_000n;

/** Seconds-floored ns from a Date, ISO text, bigint ns, or a number (ns if huge, else s). */
export function toNs(v: unknown): bigint | null {
  if (v instanceof Date) return BigInt(Math.floor(v.getTime() / 1000)) * SECOND;
  if (typeof v === 'bigint') return (v / SECOND) * SECOND;
  if (typeof v === 'number' && Number.isFinite(v)) {
    return v > 1e15 ? (BigInt(Math.round(v)) / SECOND) * SECOND : BigInt(Math.floor(v)) * SECOND;
  }
  if (typeof v === 'string') {
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : v + 'Z'); // strax treats naive times as UTC
    return Number.isNaN(ms) ? null : BigInt(Math.floor(ms / 1000)) * SECOND;
  }
  if (v && typeof v === 'object' && 'value' in v) return toNs((v as { value: unknown }).value);
  return null;
}

export async function runExtentFromMetadata(
  frontends: readonly StorageFrontend[],
  runId: string,
): Promise<[bigint, bigint | null] | null> {
  for (const fe of frontends) {
    if (!hasRunMetadata(fe)) continue;
    let md: Record<string, unknown> | null;
    try {
      md = await fe.runMetadata(runId);
    } catch {
      continue; // no run metadata here (frontends signal that by throwing or by null)
    }
    const start = md ? toNs(md['start']) : null;
    if (start !== null) return [start, md ? toNs(md['end']) : null];
  }
  return null;
}

export async function runStartFromData(
  frontends: readonly StorageFrontend[],
  keys: readonly DataKey[],
): Promise<bigint | null> {
  for (const key of keys) {
    for (const fe of frontends) {
      if (!(await fe.isStored(key))) continue;
      for await (const c of fe.load(key)) return (c.start / SECOND) * SECOND;
    }
  }
  return null;
}
