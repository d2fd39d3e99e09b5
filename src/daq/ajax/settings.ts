// How an ajax invocation is set up: the host and its folders, the modes, the time limits.

import type { DaqFolders } from '../daq-folders.js';

export const AJAX_MODES = [
  'ceph',
  'abandoned',
  'non_latest',
  'unregistered',
  'production',
  'old_hash',
  'database',
  'all',
] as const;
export type AjaxMode = (typeof AJAX_MODES)[number];

/** straxen's ajax time limits. */
export const AJAX_TIMES = {
  /** live_data is kept this long after the run started. */
  removeLiveAfterMs: 24 * 3600e3,
  /** Nothing of a run is touched this soon after bootstrax's last state change. */
  waitAfterProcessingMs: 12 * 3600e3,
  /** Between passes of --clean all --production. */
  napMs: 3600e3,
  /** A folder changed this recently may still be being written: never taken for unregistered. */
  unregisteredGraceMs: 3600e3,
} as const;

/** Data types the old_hash mode never deletes (straxen's low-level types; any *record* type). */
export const LOW_LEVEL_TYPES = /record|veto_regions|pulse_counts|led_calibration|peaklets/;

export interface AjaxSettings {
  /** This host as data entries name it. */
  hostname: string;
  hostAliases?: readonly string[];
  /** The one host that may delete live_data. */
  liveHost: string;
  folders: DaqFolders;
  /** false: a dry run (nothing on disk or in the database changes). */
  production: boolean;
  /** With a run --number: delete even a last copy. */
  force: boolean;
  /** Asked before every deletion and move (--ask_confirm). */
  confirm?: (question: string) => Promise<boolean>;
  /** The lineage hash the current software gives a run's data type (old_hash mode). */
  currentLineageHash?: (runId: string, dataType: string) => string | undefined;
  now?: () => Date;
  log: (line: string) => void;
  /** Refusals (default: log). */
  warn?: (line: string) => void;
}
