// restrax's settings: straxen's defaults, overridable from the runs database (document
// `restrax_config`, read before every search for work) where a value's type matches.

import type { JsonObject } from '../../rundb/rundb.js';

export interface RestraxSettings {
  /** Seconds between searches when there is no work. */
  nap_time: number;
  /** Data types recompressed at once. */
  max_threads: number;
  /** fnmatch patterns of data types that are only moved. */
  skip_compression: string[];
  /** Compare every field of the old and new data before the old is removed. */
  deep_compare: boolean;
  /** Non-raw data with at most this many chunks is only moved. */
  recompress_min_chunks: number;
  /** Move everything, recompress nothing. */
  bypass_mode: boolean;
  ignore_checks: boolean;
  raw_record_types: string[];
  /** Runs whose mode contains one of these are only moved. */
  exclude_modes: string[];
  /** Above this total rate (MB/s) raw data gets the fast compressor. */
  is_heavy_rate_mbs: number;
  /** fnmatch pattern (or a _key) → compressor; null keeps the source's. */
  target_compressor: Record<string, string | null>;
  /** fnmatch pattern (or a _key) → chunk size in MB. */
  target_size: Record<string, number>;
  max_tries: number;
}

export const DEFAULT_RESTRAX_SETTINGS: RestraxSettings = {
  nap_time: 300,
  max_threads: 2,
  skip_compression: ['*event*'],
  deep_compare: false,
  recompress_min_chunks: 2,
  bypass_mode: false,
  ignore_checks: false,
  raw_record_types: [
    'raw_records',
    'raw_records_nv',
    'raw_records_mv',
    'raw_records_he',
    'records',
    'records_nv',
    'records_mv',
  ],
  exclude_modes: [
    'pmtgain',
    'pmtap',
    'exttrig',
    'noise',
    'nVeto_LASER_calibration',
    'mv_diffuserballs',
    'mv_fibres',
    'mv_darkrate',
  ],
  is_heavy_rate_mbs: 50,
  target_compressor: {
    'peak*': 'zstd',
    _raw_record_compressor_light: 'bz2',
    _raw_record_compressor_heavy: 'zstd',
    _other: null,
  },
  target_size: { 'peak*': 1500, _other: 1500, _raw_records: 5000 },
  max_tries: 5,
};

/** The name of the settings document in the runs database. */
export const RESTRAX_CONFIG = 'restrax_config';

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Settings with the document's fields applied where their type matches (others are reported). */
export function applySettingsDoc(
  base: RestraxSettings,
  doc: JsonObject | undefined,
  warn: (line: string) => void,
): RestraxSettings {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(doc ?? {})) {
    if (k === 'name' || k === 'user' || !(k in base)) continue;
    if (kind(v) !== kind(out[k])) {
      warn(`${RESTRAX_CONFIG}: ignoring ${k} (a ${kind(v)}, expected a ${kind(out[k])})`);
      continue;
    }
    out[k] = v;
  }
  return out as unknown as RestraxSettings;
}
