// How many workers, chunks in flight and what timeout a run gets (spec scripts.md §1.8): from the
// run's data rate by table when --infer_mode, reduced after failures unless --fix_resources, and
// the raw_records compressor from the rate and the failure count.

/** Data rate (MB/s) → resources; straxen's table. Old eventbuilders (eb0–2) have fewer cores
 * free per run but more in total. */
export const RATE_TABLE = {
  rate: [0, 70, 90, 110, 150, 220, 290, 360, 390, 420, 500, 550],
  cores: [24, 24, 24, 24, 18, 15, 15, 15, 15, 15, 15, 10],
  coresOld: [39, 35, 35, 30, 30, 20, 12, 12, 10, 10, 10, 8],
  maxMessages: [60, 60, 35, 30, 25, 25, 25, 25, 20, 15, 12, 12],
  maxMessagesOld: [20, 20, 15, 15, 10, 10, 10, 10, 10, 10, 8, 6],
} as const;
/** The timeout grows linearly from 1200 s at 70 MB/s to 2400 s at 550 MB/s. */
export const TIMEOUT_TABLE = { rate: [0, 70, 550], timeout: [1200, 1200, 2400] } as const;
/** An AmBe run is treated as this rate (its rate field says little about its load). */
export const AMBE_RATE = 550;
/** Without --infer_mode (or without a rate), the strax timeout in seconds. */
export const DEFAULT_TIMEOUT_S = 1000;

/** numpy.interp: linear, clamped at both ends. */
export function interp(x: number, xs: readonly number[], ys: readonly number[]): number {
  if (x <= xs[0]!) return ys[0]!;
  for (let i = 1; i < xs.length; i++) {
    if (x <= xs[i]!) {
      const f = (x - xs[i - 1]!) / (xs[i]! - xs[i - 1]!);
      return ys[i - 1]! + f * (ys[i]! - ys[i - 1]!);
    }
  }
  return ys[ys.length - 1]!;
}

export interface ResourceRequest {
  /** --cores (-1: all CPUs). */
  cores: number;
  maxMessages: number;
  inferMode: boolean;
  fixResources: boolean;
  /** CPUs of this machine (for --cores -1). */
  cpus: number;
}

export interface RunLoad {
  /** Σ of the detectors' maximum rate, MB/s (0: unknown). */
  dataRate: number;
  mode: string | null;
  nFailures: number;
  /** Is this one of the new eventbuilders (eb3 and up)? */
  newEventbuilder: boolean;
  /** strax_chunk_length + strax_chunk_overlap of the DAQ config, seconds. */
  chunkSeconds: number;
}

export interface Resources {
  cores: number;
  maxMessages: number;
  timeoutS: number;
  recordsCompressor: 'zstd' | 'lz4';
  notes: string[];
}

const clip = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** straxen's test: the third character of the host name is the eventbuilder number. A name
 * without a digit there (any machine but an eventbuilder) counts as new instead of crashing. */
export function isNewEventbuilder(hostname: string): boolean {
  const d = hostname[2];
  return d === undefined || !/\d/.test(d) || Number(d) >= 3;
}

/** The run's rate: Σ over its detectors of the maximum, MB/s. */
export function runDataRate(rate: Readonly<Record<string, { max?: number; avg?: number }>> | null): number {
  if (!rate) return 0;
  return Object.values(rate).reduce((s, r) => s + (typeof r?.max === 'number' ? r.max : 0), 0);
}

export function inferResources(req: ResourceRequest, run: RunLoad): Resources {
  const notes: string[] = [];
  let cores = req.cores === -1 ? req.cpus : req.cores;
  let maxMessages = req.maxMessages;
  let timeoutS = DEFAULT_TIMEOUT_S;
  if (req.inferMode && run.dataRate > 0) {
    const rate = (run.mode ?? '').includes('ambe') ? AMBE_RATE : run.dataRate;
    const t = RATE_TABLE;
    cores = Math.trunc(interp(rate, t.rate, run.newEventbuilder ? t.cores : t.coresOld));
    maxMessages = Math.trunc(interp(rate, t.rate, run.newEventbuilder ? t.maxMessages : t.maxMessagesOld));
    timeoutS = Math.trunc(interp(rate, TIMEOUT_TABLE.rate, TIMEOUT_TABLE.timeout));
    notes.push(`${rate.toFixed(0)} MB/s: ${cores} cores, ${maxMessages} messages, timeout ${timeoutS} s`);
  }
  const n = req.fixResources ? 0 : run.nFailures;
  if (n > 0) {
    const f = 1.1 ** n;
    cores = Math.trunc(clip(cores / f, 4, 40));
    maxMessages = Math.trunc(clip(maxMessages / f, 4, 100));
    timeoutS = Math.trunc(clip(timeoutS * f, 500, 3600));
    notes.push(`after ${n} failures: ${cores} cores, ${maxMessages} messages, timeout ${timeoutS} s`);
  }
  let recordsCompressor: 'zstd' | 'lz4';
  if (n > 0) recordsCompressor = n > 1 ? 'lz4' : 'zstd';
  else if (run.dataRate < 65) recordsCompressor = 'zstd';
  else recordsCompressor = run.dataRate * run.chunkSeconds > 1800 ? 'lz4' : 'zstd';
  return { cores, maxMessages, timeoutS, recordsCompressor, notes };
}
