// What a URL option's protocols see besides their argument. Its own module so that protocol
// implementations in other files (correction-protocol.ts) and the registry (protocols.ts) both
// depend on it without depending on each other.

import type { CorrectionsSource, ResolvedCorrection } from './corrections.js';

/** What protocols may use besides their argument: the run, folders and sources. */
export interface UrlContext {
  runId: string;
  /** Run start [ns since the epoch]; else asked from the corrections source. */
  runStart?: bigint;
  /** Folders searched for resource:// names, in order (the config file's folder, then the cwd). */
  searchDirs: readonly string[];
  corrections?: CorrectionsSource;
  /** Attributes that `plugin.NAME` in a URL refers to (run_id is always there). */
  plugin?: Readonly<Record<string, unknown>>;
  /** Values that `config.NAME` refers to. */
  config?: Readonly<Record<string, unknown>>;
  /** The run document (for run_doc://). */
  runDoc?: Readonly<Record<string, unknown>>;
  /** Told about every correction looked up (to record resolved values in output metadata). */
  onCorrection?: (resolved: ResolvedCorrection) => void;
}
