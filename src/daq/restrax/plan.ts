// What restrax does with one data type of a run: move it as it is, or rechunk it with which
// compressor into chunks of which size (straxen's choices; its reversed pattern test fixed).

import { globToRegExp } from '../../core/context/queries.js';
import type { DataEntry, RunDoc } from '../../rundb/rundb.js';
import type { RestraxSettings } from './settings.js';

const matches = (type: string, pattern: string): boolean => globToRegExp(pattern).test(type);

/** The value of the first pattern key (keys not starting with _) matching the type, else _other. */
function byPattern<T>(table: Record<string, T>, type: string): T | undefined {
  for (const [pattern, v] of Object.entries(table))
    if (!pattern.startsWith('_') && matches(type, pattern)) return v;
  return table._other;
}

/** Why the data type is only moved, or null if it is rechunked. */
export function moveOnlyReason(
  run: RunDoc,
  entry: DataEntry,
  nChunks: number,
  s: RestraxSettings,
): string | null {
  if (s.bypass_mode) return 'bypass mode';
  const mode = run.mode ?? '';
  const excluded = s.exclude_modes.find((m) => mode.includes(m));
  if (excluded) return `run mode ${mode} (${excluded})`;
  const pattern = s.skip_compression.find((p) => matches(entry.type, p));
  if (pattern) return `matches ${pattern}`;
  if (nChunks <= s.recompress_min_chunks && !s.raw_record_types.includes(entry.type))
    return `only ${nChunks} chunk(s)`;
  return null;
}

export interface RechunkChoice {
  /** null: keep the source's compressor. */
  compressor: string | null;
  targetSizeMb: number;
}

export function rechunkChoice(
  run: RunDoc,
  entry: DataEntry,
  s: RestraxSettings,
  warn: (l: string) => void,
): RechunkChoice {
  let compressor: string | null;
  let targetSizeMb: number;
  if (s.raw_record_types.includes(entry.type)) {
    // Total average rate; a detector without one counts as 100 MB/s (as straxen).
    const rates = Object.values(run.rate ?? { none: {} });
    const rate = rates.reduce((sum, r) => sum + (r.avg ?? 100), 0);
    const tries = Number((run.restrax as { n_tries?: number } | null)?.n_tries ?? 0);
    const fast = rate > s.is_heavy_rate_mbs || tries > Math.floor(s.max_tries / 2);
    compressor = fast
      ? (s.target_compressor._raw_record_compressor_heavy ?? 'zstd')
      : (s.target_compressor._raw_record_compressor_light ?? 'bz2');
    targetSizeMb = s.target_size._raw_records ?? 5000;
  } else {
    compressor = byPattern(s.target_compressor, entry.type) ?? null;
    targetSizeMb = byPattern(s.target_size, entry.type) ?? 1500;
  }
  if (compressor === 'blosc' && targetSizeMb > 1500) {
    warn(
      `blosc cannot compress chunks near 2 GB: ${entry.type} gets 1500 MB chunks instead of ${targetSizeMb} MB`,
    );
    targetSizeMb = 1500;
  }
  return { compressor, targetSizeMb };
}
