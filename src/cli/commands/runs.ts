// straxts runs [RUN]: the runs database as bootstrax sees it: a table of runs (state, host,
// failures, next retry, data stored), or one run's whole document in straxen's field names.

import type { Command } from 'commander';
import { openRunDb, straxenRunDocument, type RunDoc } from '../../rundb/rundb.js';
import { formatTable } from '../table.js';
import { UserError } from '../user-error.js';

const time = (d: Date | null): string =>
  d
    ? d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '')
    : '';

/** live first, then the highest levels a reader looks for, then how many more. */
function dataSummary(live: boolean, types: string[]): string {
  const first = ['event_info_double', 'event_info', 'peaklets', 'raw_records'].filter((t) =>
    types.includes(t),
  );
  const rest = types.length - first.length;
  return [...(live ? ['live'] : []), ...first, ...(rest > 0 ? [`+${rest} more`] : [])].join(' ');
}

function row(r: RunDoc): string[] {
  const b = r.bootstrax;
  const types = [...new Set((r.data ?? []).filter((e) => e.type !== 'live').map((e) => e.type))].sort();
  const live = (r.data ?? []).some((e) => e.type === 'live');
  return [
    String(r.number).padStart(6, '0'),
    r.mode ?? '',
    time(r.start),
    time(r.end),
    b.state ?? 'new',
    b.host ?? '',
    String(b.nFailures),
    b.state === 'failed' ? time(b.nextRetry) : '',
    dataSummary(live, types),
  ];
}

export function register(program: Command): void {
  program
    .command('runs')
    .description('runs in the runs database with their bootstrax state (one run: its whole document)')
    .argument('[run]', 'a run number: print its document')
    .option('--rundb <url>', 'runs database: sqlite:PATH or postgres://... (default $STRAXTS_RUNDB)')
    .option('--json', 'JSON instead of a table', false)
    .action(async (run: string | undefined, o: { rundb?: string; json: boolean }) => {
      if (run !== undefined && !/^\d+$/.test(run))
        throw new UserError(`run must be a run number, got '${run}'`);
      if (!o.rundb && !process.env.STRAXTS_RUNDB)
        throw new UserError('no runs database: give --rundb URL (or set STRAXTS_RUNDB)');
      const db = await openRunDb(o.rundb);
      try {
        if (run !== undefined) {
          const doc = await db.getRun(Number(run));
          if (!doc) throw new UserError(`no run ${Number(run)} in ${db.display}`);
          const deleted = await db.listDeletedData(doc.number);
          const out = straxenRunDocument(doc, deleted);
          // One run is its document either way (a table row would hide the reason and the data).
          process.stdout.write(JSON.stringify(out, null, 2) + '\n');
          return;
        }
        const runs = await db.listRuns({}, { withData: true });
        if (o.json) {
          process.stdout.write(
            JSON.stringify(
              runs.map((r) => straxenRunDocument(r)),
              null,
              2,
            ) + '\n',
          );
          return;
        }
        if (!runs.length) {
          process.stdout.write(`no runs in ${db.display}\n`);
          return;
        }
        const header = ['run', 'mode', 'start', 'end', 'bootstrax', 'host', 'failures', 'next retry', 'data'];
        process.stdout.write(formatTable(header, runs.map(row), new Set([6])) + '\n');
      } finally {
        await db.close();
      }
    });
}
