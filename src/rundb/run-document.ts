// A run as straxen's run document spells it (MongoDB field names, ISO times), for people and
// tools that know straxen's documents: `straxts runs RUN --json`.

import type { DataEntry, DeletedDataEntry, RunDoc } from './types.js';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

function dataEntry(e: DataEntry): Record<string, unknown> {
  return {
    type: e.type,
    host: e.host,
    location: e.location,
    protocol: e.protocol,
    ...(e.lineageHash ? { lineage_hash: e.lineageHash } : {}),
    meta: e.meta,
    status: e.status,
    ...(e.did !== null ? { did: e.did } : {}),
    ...(e.fileCount !== null ? { file_count: e.fileCount } : {}),
    created: iso(e.created),
  };
}

export function straxenRunDocument(
  run: RunDoc,
  deleted: readonly DeletedDataEntry[] = [],
): Record<string, unknown> {
  const b = run.bootstrax;
  return {
    ...run.extra,
    number: run.number,
    name: run.name,
    start: iso(run.start),
    end: iso(run.end),
    mode: run.mode,
    detectors: run.detectors,
    source: run.source,
    tags: run.tags.map((t) => ({ ...t, ...(t.date ? { date: iso(t.date) } : {}) })),
    comments: run.comments.map((c) => ({ ...c, date: iso(c.date) })),
    status: run.status,
    rate: run.rate,
    daq_config: run.daqConfig,
    bootstrax: {
      state: b.state,
      host: b.host,
      time: iso(b.time),
      ...(b.nFailures ? { n_failures: b.nFailures } : {}),
      ...(b.reason !== null ? { reason: b.reason } : {}),
      ...(b.nextRetry ? { next_retry: iso(b.nextRetry) } : {}),
      ...(b.startedProcessing ? { started_processing: iso(b.startedProcessing) } : {}),
    },
    ...(run.restrax ? { restrax: run.restrax } : {}),
    data: (run.data ?? []).map(dataEntry),
    deleted_data: deleted.map((d) => ({
      type: d.type,
      host: d.host,
      ...(d.lineageHash ? { lineage_hash: d.lineageHash } : {}),
      at: iso(d.at),
      by: d.by,
      ...(d.reason !== null ? { reason: d.reason } : {}),
    })),
  };
}
