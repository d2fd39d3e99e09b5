// Context options (strax context_config), with strax's snake_case names accepted as aliases.

import type { Records } from '../records.js';
import { DEFAULT_SAVE_BUFFER_MB } from '../storage-api.js';

export interface ContextOptions {
  /** Data types that must not be computed ('*' forbids all). */
  forbidCreationOf: string[];
  /** Also load data still being written (and then never save). */
  allowIncomplete: boolean;
  /** Rechunk outputs on save (per plugin rechunkOnSave). */
  allowRechunk: boolean;
  /** Chunks in flight per parallel plugin. */
  maxMessages: number;
  /** MB of rows a saver buffers per file before compressing and writing them (straxts; strax
   * holds a whole chunk target, 2000 MB for peaklets, before writing anything). Files are cut
   * where strax cuts them whatever this is; it bounds memory per output. */
  saveBufferMb: number;
  /** Threads that compute, the main one included (parallel plugins use workers - 1 worker
   * threads; ≤ 1: all in the main thread). */
  workers: number;
  /** Config keys no plugin takes that should not be warned about. */
  freeOptions: string[];
  /** Progress bar on stderr for long work (only when stderr is a TTY). */
  progressBar: boolean;
  /** Put resolved URL option values into saved metadata (key resolved_options). Off by default:
   * strax's metadata has no such key. */
  recordResolvedOptions: boolean;
  /** Functions applied to every returned chunk's rows (getIter/getArray). */
  applyDataFunction: ((data: Records, runId: string, targets: readonly string[]) => Records)[];
}

export const DEFAULT_CONTEXT_OPTIONS: ContextOptions = {
  forbidCreationOf: [],
  allowIncomplete: false,
  allowRechunk: true,
  maxMessages: 4,
  saveBufferMb: DEFAULT_SAVE_BUFFER_MB,
  workers: 1,
  freeOptions: [],
  progressBar: true,
  recordResolvedOptions: false,
  applyDataFunction: [],
};

const ALIASES: Record<string, keyof ContextOptions> = {
  forbid_creation_of: 'forbidCreationOf',
  allow_incomplete: 'allowIncomplete',
  allow_rechunk: 'allowRechunk',
  max_messages: 'maxMessages',
  save_buffer_mb: 'saveBufferMb',
  max_workers: 'workers',
  free_options: 'freeOptions',
  progress_bar: 'progressBar',
  apply_data_function: 'applyDataFunction',
};

const CHECKS: Record<keyof ContextOptions, (v: unknown) => boolean> = {
  forbidCreationOf: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  allowIncomplete: (v) => typeof v === 'boolean',
  allowRechunk: (v) => typeof v === 'boolean',
  maxMessages: (v) => Number.isInteger(v) && (v as number) > 0,
  saveBufferMb: (v) => typeof v === 'number' && v > 0,
  workers: (v) => Number.isInteger(v) && (v as number) >= 0,
  freeOptions: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  progressBar: (v) => typeof v === 'boolean',
  recordResolvedOptions: (v) => typeof v === 'boolean',
  applyDataFunction: (v) => Array.isArray(v) && v.every((x) => typeof x === 'function'),
};

/** Apply updates to context options; unknown names → warn (strax does too); wrong types → error. */
export function updateContextOptions(
  current: ContextOptions,
  updates: Readonly<Record<string, unknown>>,
  warn: (msg: string) => void,
): ContextOptions {
  const next: ContextOptions = { ...current };
  for (const [rawKey, rawValue] of Object.entries(updates)) {
    const key = (ALIASES[rawKey] ?? rawKey) as keyof ContextOptions;
    if (!(key in CHECKS)) {
      warn(`unknown context option '${rawKey}' ignored (known: ${Object.keys(CHECKS).join(', ')})`);
      continue;
    }
    let v = rawValue;
    if ((key === 'forbidCreationOf' || key === 'freeOptions') && typeof v === 'string') v = [v];
    if (key === 'applyDataFunction' && typeof v === 'function') v = [v];
    if (!CHECKS[key](v))
      throw new Error(
        `context option '${rawKey}' has a wrong value (${String(v)}): see ContextOptions.${key}`,
      );
    (next as unknown as Record<string, unknown>)[key] = v;
  }
  return next;
}
