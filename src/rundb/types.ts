// The runs database as the tools see it: straxen's run document (MongoDB in straxen) laid out
// as rows. Times are Date values (millisecond precision, as BSON datetimes have).

import type { Lineage } from '../core/storage-api.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** bootstrax's state machine for a run; null = never claimed. `abandoned` is terminal. */
export type BootstraxState = 'considering' | 'busy' | 'done' | 'failed' | 'abandoned';

export interface BootstraxInfo {
  state: BootstraxState | null;
  /** Host of the last state change. */
  host: string | null;
  /** Last state change; liveness of a claim. */
  time: Date | null;
  nFailures: number;
  reason: string | null;
  nextRetry: Date | null;
  startedProcessing: Date | null;
}

export interface RunTag {
  name: string;
  user?: string;
  date?: Date;
}

export interface RunComment {
  comment: string;
  user: string;
  date: Date;
}

export interface RunDoc {
  number: number;
  name: string | null;
  start: Date | null;
  end: Date | null;
  mode: string | null;
  detectors: string[];
  source: string | null;
  tags: RunTag[];
  comments: RunComment[];
  /** Data-flow status: null, needs_upload, eb_finished_pre, eb_ready_to_upload, transferred ... */
  status: string | null;
  /** Per detector data rate in MB/s, written by the DAQ at run end. */
  rate: { [detector: string]: { max?: number; avg?: number } } | null;
  daqConfig: JsonObject | null;
  bootstrax: BootstraxInfo;
  restrax: JsonObject | null;
  /** Any other run-document field (livetime, ...). */
  extra: JsonObject;
  /** Present when asked for (getRun always fills it). */
  data?: DataEntry[];
}

export interface NewRun {
  number: number;
  name?: string | null;
  start?: Date | null;
  end?: Date | null;
  mode?: string | null;
  detectors?: string[];
  source?: string | null;
  tags?: RunTag[];
  comments?: RunComment[];
  status?: string | null;
  rate?: RunDoc['rate'];
  daqConfig?: JsonObject | null;
  extra?: JsonObject;
  /** Entries registered with the run, e.g. the DAQ's live_data entry. */
  data?: Omit<NewDataEntry, 'run'>[];
}

/** Fields of a run that can be changed after insertion. */
export type RunPatch = Partial<
  Pick<NewRun, 'name' | 'start' | 'end' | 'mode' | 'detectors' | 'source' | 'rate' | 'daqConfig' | 'extra'>
> & { restrax?: JsonObject | null };

/** One copy of one data type of a run (straxen's `data[]` entry). */
export interface DataEntry {
  id: number;
  run: number;
  /** `live` for DAQ live_data, else a strax data type. */
  type: string;
  /** FQDN of the host holding it; `daq` for live_data; `rucio-catalogue` for remote replicas. */
  host: string;
  /** Folder `<root>/<run_id>-<type>-<hash>` (live: the parent folder of the run folder). */
  location: string;
  protocol: string;
  /** '' when not a strax data type (live data). */
  lineageHash: string;
  /** Exact: Python floats come back as PyFloat, so the hash can be recomputed from it. */
  lineage: Lineage | null;
  /** transferring | transferred | complete | failed | null */
  status: string | null;
  /**
   * straxen keeps {lineage} here at registration; restrax adds size_mb, compressor, ...
   * Plain JSON: Python floats come back as numbers (use `lineage` for the exact lineage).
   */
  meta: Record<string, unknown>;
  did: string | null;
  fileCount: number | null;
  created: Date;
  updated: Date;
}

export interface NewDataEntry {
  run: number;
  type: string;
  host: string;
  location: string;
  protocol?: string;
  lineageHash?: string;
  lineage?: Lineage | null;
  status?: string | null;
  meta?: Record<string, unknown>;
  did?: string | null;
  fileCount?: number | null;
}

export interface DataPatch {
  location?: string;
  status?: string | null;
  /** Keys merged into the stored meta (restrax adds size_mb, compressor, ...). */
  meta?: Record<string, unknown>;
  fileCount?: number | null;
  did?: string | null;
}

/** A data entry removed from `data` (straxen's `deleted_data`). */
export interface DeletedDataEntry {
  run: number;
  type: string;
  host: string;
  lineageHash: string;
  at: Date;
  by: string;
  reason: string | null;
}

/** Which runs a query or a claim concerns; every given condition must hold. */
export interface RunFilter {
  number?: number;
  minNumber?: number;
  maxNumber?: number;
  mode?: string;
  /** Substring of the mode (bootstrax infers targets from substrings). */
  modeContains?: string;
  tag?: string;
  withoutTag?: string;
  detector?: string;
  withoutDetector?: string;
  /** bootstrax states; null matches runs never claimed. */
  states?: readonly (BootstraxState | null)[];
  bootstraxHost?: string;
  notBootstraxHost?: string;
  /** Data-flow status values; null matches an unset status. */
  status?: readonly (string | null)[];
  /** bootstrax n_failures < maxFailures. */
  maxFailures?: number;
  /** bootstrax next_retry < this time. */
  retryDueBefore?: Date;
  /** bootstrax time (last state change) < this time: a stale claim. */
  staleBefore?: Date;
  /** true: end is set; false: the run has not ended. */
  ended?: boolean;
  startAfter?: Date;
  startBefore?: Date;
  /** Has (true) or lacks (false) data entries other than live data. */
  hasProcessedData?: boolean;
  /** Has a data entry on this host (and of dataType, when given). */
  dataHost?: string;
  dataType?: string;
  limit?: number;
}

/** interval: each document valid in [valid_from, valid_until); sampled: interpolated in time. */
export type CorrectionKind = 'interval' | 'sampled';

/** A correction document with its times (ns since the epoch) read out for the queries. */
export interface NewCorrectionDoc {
  doc: Record<string, unknown>;
  validFrom?: bigint;
  validUntil?: bigint;
  /** Sample time (sampled kind). */
  time?: bigint;
}

export interface StoredCorrections {
  name: string;
  kind: CorrectionKind;
  /** The documents as stored, in insertion order. */
  docs: Record<string, unknown>[];
}

/** Latest status of one tool on one host (straxen's eb_monitor). */
export interface HostStatus {
  host: string;
  program: string;
  pid: number;
  state: string;
  time: Date;
  info: JsonObject;
}
