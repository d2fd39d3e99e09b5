// straxen's fixed DAQ folders (daq_core.py); every DAQ tool takes each as an option instead.

export const DAQ_FOLDERS = {
  /** redax writes live_data here, one folder per run id. */
  live: '/live_data/xenonnt',
  /** bootstrax writes processed data here. */
  preProcessed: '/data/pre_processed',
  /** restrax writes rechunked data here; the upload takes it from here. */
  processed: '/data/xenonnt_processed',
  /** Folders nobody registered are moved (never deleted) here. */
  unregistered: '/data/xenonnt_unregistered',
  /** restrax's output when not in production. */
  testProcessed: '/data/test_processed',
} as const;

/** The host allowed to delete live_data (straxen's eb_can_clean_ceph). */
export const DEFAULT_LIVE_HOST = 'eb0.xenon.local';

export type DaqFolders = { -readonly [K in keyof typeof DAQ_FOLDERS]: string };
