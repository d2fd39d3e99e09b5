// straxen's limits on a processing child (spec scripts.md §1.7 step 6): killed and failed after
// 72 h, after 13 h once the run has ended, or after 30 min without a file written.

import type { BootstraxTiming } from './constants.js';

export interface ProcessingClock {
  /** Now, ms since the epoch. */
  now: number;
  /** When the child started. */
  startedMs: number;
  /** The run's end as the database says now (null: still running). */
  runEndMs: number | null;
  /** Newest modification time in the run's output folders (0: nothing written yet). */
  lastWriteMs: number;
}

/** The failure reason when a limit is reached, else null. */
export function limitReached(c: ProcessingClock, t: BootstraxTiming): string | null {
  const age = c.now - c.startedMs;
  if (age > t.maxProcessingMs) return `Processing took longer than ${t.maxProcessingMs / 1000} sec`;
  if (
    c.runEndMs !== null &&
    c.now - c.runEndMs > t.maxProcessingAfterEndMs &&
    age > t.maxProcessingAfterEndMs
  )
    return `After the run ended, processing did not succeed in ${t.maxProcessingAfterEndMs / 1000} sec.`;
  if (age > t.maxNoWriteMs && c.now - c.lastWriteMs > t.maxNoWriteMs) {
    const last = c.lastWriteMs ? new Date(c.lastWriteMs).toISOString() : 'never';
    return `No data written for ${t.maxNoWriteMs / 1000} sec. Last write is from ${last}`;
  }
  return null;
}
