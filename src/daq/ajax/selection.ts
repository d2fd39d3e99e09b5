// Which runs each ajax mode looks at, as runs-database filters (straxen's queries).

import type { RunFilter } from '../../rundb/rundb.js';
import { LIVE_HOST, LIVE_TYPE } from '../data-safety.js';
import { AJAX_TIMES } from './settings.js';

const ago = (now: Date, ms: number): Date => new Date(now.getTime() - ms);

/** Processed and transferred runs, old enough, whose live_data is still registered. */
export function cephRuns(now: Date): RunFilter {
  return {
    states: ['done'],
    status: ['transferred'],
    startBefore: ago(now, AJAX_TIMES.removeLiveAfterMs),
    staleBefore: ago(now, AJAX_TIMES.waitAfterProcessingMs),
    dataType: LIVE_TYPE,
  };
}

/** Abandoned runs with data on this host (or, for live_data, old enough and with live_data). */
export function abandonedRuns(host: string, now: Date, live: boolean): RunFilter {
  return live
    ? { states: ['abandoned'], staleBefore: ago(now, AJAX_TIMES.waitAfterProcessingMs), dataHost: LIVE_HOST }
    : { states: ['abandoned'], dataHost: host };
}

/** Runs another host processed and that were transferred, with leftovers on this host. */
export function nonLatestRuns(host: string, now: Date): RunFilter {
  return {
    states: ['done'],
    status: ['transferred'],
    staleBefore: ago(now, AJAX_TIMES.waitAfterProcessingMs),
    notBootstraxHost: host,
    dataHost: host,
  };
}

/** Processed runs with entries on this host (or live_data entries), to find entries pointing to nothing. */
export function databaseRuns(host: string, now: Date, live: boolean): RunFilter {
  return {
    states: ['done'],
    staleBefore: ago(now, AJAX_TIMES.waitAfterProcessingMs),
    dataHost: live ? LIVE_HOST : host,
  };
}

/** A run whose data of an old lineage may go: processed, transferred, old enough. */
export function oldHashRun(number: number, host: string, type: string, now: Date): RunFilter {
  return {
    number,
    states: ['done'],
    status: ['transferred'],
    staleBefore: ago(now, AJAX_TIMES.waitAfterProcessingMs),
    dataHost: host,
    dataType: type,
  };
}
