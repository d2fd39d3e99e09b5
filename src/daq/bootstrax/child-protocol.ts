// The messages between the daemon and its processing child (a separate Node process the daemon
// can kill): the daemon sends one job, the child answers with one result and exits.

export interface StraxJob {
  runId: string;
  rundbUrl: string;
  /** Register new data in the runs database (we_are_the_daq); else write to outputDir only. */
  production: boolean;
  hostname: string;
  outputDir: string;
  context: string;
  configFromJson?: string;
  /** Made together first, then each post-processing type alone if not stored yet. */
  targets: string[];
  postProcessing: string[];
  /** Plugin options: the DAQReader's (live folder, threads, chunk lengths) and the rest. */
  config: Record<string, unknown>;
  cores: number;
  maxMessages: number;
  /** No chunk for this long: the child gives up. */
  timeoutS: number;
  /** CPU profile file to write, if any. */
  profile?: string;
}

export type ChildMessage =
  { kind: 'done'; seconds: number } | { kind: 'failed'; message: string; stack: string };
