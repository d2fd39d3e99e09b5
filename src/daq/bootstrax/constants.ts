// straxen's bootstrax timing constants (scripts/bootstrax.py, spec scripts.md §1.15), in ms.
// A test may shrink them through BootstraxTiming; the daemon's defaults are straxen's.

export interface BootstraxTiming {
  /** Back-off base: 60 s × U(0.5, 1.5) × 5^min(n_failures, 3). */
  retryRunMs: number;
  /** Kill and fail a run still processing after 72 h. */
  maxProcessingMs: number;
  /** ... or 13 h after the run ended. */
  maxProcessingAfterEndMs: number;
  /** ... or when nothing was written for 30 min. */
  maxNoWriteMs: number;
  /** Period of the checks on the processing child (and of the heartbeat while busy). */
  checkOnStraxMs: number;
  /** A `busy` claim not refreshed for this long belongs to a dead host: any host fails it. */
  maxBusyMs: number;
  /** The same for `considering`. */
  maxConsideringMs: number;
  /** Between two periodic clean-ups of the runs database. */
  cleanupSpacingMs: number;
  /** Sleep when there is nothing to do. */
  idleNapMs: number;
  /** A host whose last heartbeat is older than this is dead. */
  presumedDeadMs: number;
  /** A run tagged `abandon` that is done is abandoned only if it started less than this ago. */
  abandoningAllowedMs: number;
  /** How long to wait for registered folders to be renamed into place after processing. */
  allFilesSavedMs: number;
  /** Wait between disk-space checks while the output disk is full. */
  diskWaitMs: number;
  /** ... and how many waits before giving up (state dead_bootstrax). */
  diskWaitTries: number;
}

export const STRAXEN_TIMING: Readonly<BootstraxTiming> = Object.freeze({
  retryRunMs: 60_000,
  maxProcessingMs: 259_200_000,
  maxProcessingAfterEndMs: 46_800_000,
  maxNoWriteMs: 1_800_000,
  checkOnStraxMs: 10_000,
  maxBusyMs: 120_000,
  maxConsideringMs: 60_000,
  cleanupSpacingMs: 60_000,
  idleNapMs: 10_000,
  presumedDeadMs: 300_000,
  abandoningAllowedMs: 86_400_000,
  allFilesSavedMs: 600_000,
  diskWaitMs: 10_000,
  diskWaitTries: 10_080,
});

/** When the daemon stops, its processing child gets this long to mark its data failed and exit
 * before it is killed (not scaled in tests: it is the child's real work). */
export const CHILD_STOP_GRACE_MS = 30_000;

/** Retries stop once a run has failed this often. */
export const MAX_N_RETRY = 10;
/** The processed data must cover the run's length to within this (coverage check). */
export const MAX_TIMESTAMP_DIFF_S = 5;
/** Disk of the output folder: at most this fraction used (production; 0.8 in test mode) ... */
export const MAX_DISK_USED_FRACTION = 0.95;
export const MAX_DISK_USED_FRACTION_TEST = 0.8;
/** ... and at least this many bytes free. straxen asks 1 TB (eventbuilder disks hold ~100 TB);
 * a port that runs on any machine defaults to 10 GB (--min_free_gb 1000 on the eventbuilders). */
export const DEFAULT_MIN_FREE_BYTES = 10e9;
