// RunFilter → one SQL condition on `runs`, the same for listing and for claiming.

import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DialectKind, Tables } from './schema.js';
import type { RunFilter } from './types.js';

type RunsEb = ExpressionBuilder<Tables, 'runs'>;

/** `value IN list`, where a null in the list matches an unset column. */
function inOrNull(eb: RunsEb, col: 'runs.bootstrax_state' | 'runs.status', list: readonly (string | null)[]) {
  const values = list.filter((x): x is string => x !== null);
  const parts: Expression<SqlBool>[] = [];
  if (values.length) parts.push(eb(col, 'in', values));
  if (values.length !== list.length) parts.push(eb(col, 'is', null));
  return parts.length ? eb.or(parts) : sql<SqlBool>`1 = 0`;
}

/** Is `detector` one of the run's detectors (a JSON array)? */
function hasDetector(dialect: DialectKind, detector: string): Expression<SqlBool> {
  return dialect === 'postgres'
    ? sql<SqlBool>`runs.detectors @> ${JSON.stringify([detector])}::jsonb`
    : sql<SqlBool>`exists (select 1 from json_each(runs.detectors) where json_each.value = ${detector})`;
}

function hasTag(eb: RunsEb, tag: string) {
  return eb.exists(
    eb
      .selectFrom('run_tags')
      .select('run_tags.id')
      .whereRef('run_tags.run_number', '=', 'runs.number')
      .where('run_tags.name', '=', tag),
  );
}

export function runCondition(eb: RunsEb, f: RunFilter, dialect: DialectKind): Expression<SqlBool> {
  const c: Expression<SqlBool>[] = [];
  if (f.number !== undefined) c.push(eb('runs.number', '=', f.number));
  if (f.minNumber !== undefined) c.push(eb('runs.number', '>=', f.minNumber));
  if (f.maxNumber !== undefined) c.push(eb('runs.number', '<=', f.maxNumber));
  if (f.mode !== undefined) c.push(eb('runs.mode', '=', f.mode));
  if (f.modeContains !== undefined) {
    // instr/strpos: a plain substring test, no LIKE wildcards to escape.
    const fn = dialect === 'postgres' ? sql`strpos` : sql`instr`;
    c.push(sql<SqlBool>`${fn}(runs.mode, ${f.modeContains}) > 0`);
  }
  if (f.tag !== undefined) c.push(hasTag(eb, f.tag));
  if (f.withoutTag !== undefined) c.push(eb.not(hasTag(eb, f.withoutTag)));
  if (f.detector !== undefined) c.push(hasDetector(dialect, f.detector));
  if (f.withoutDetector !== undefined) c.push(eb.not(hasDetector(dialect, f.withoutDetector)));
  if (f.states !== undefined) c.push(inOrNull(eb, 'runs.bootstrax_state', f.states));
  if (f.bootstraxHost !== undefined) c.push(eb('runs.bootstrax_host', '=', f.bootstraxHost));
  if (f.notBootstraxHost !== undefined) {
    c.push(
      eb.or([eb('runs.bootstrax_host', 'is', null), eb('runs.bootstrax_host', '!=', f.notBootstraxHost)]),
    );
  }
  if (f.status !== undefined) c.push(inOrNull(eb, 'runs.status', f.status));
  if (f.maxFailures !== undefined) c.push(eb('runs.bootstrax_n_failures', '<', f.maxFailures));
  if (f.retryDueBefore !== undefined)
    c.push(eb('runs.bootstrax_next_retry', '<', f.retryDueBefore.getTime()));
  if (f.staleBefore !== undefined) c.push(eb('runs.bootstrax_time', '<', f.staleBefore.getTime()));
  if (f.ended !== undefined) c.push(eb('runs.end_time', f.ended ? 'is not' : 'is', null));
  if (f.startAfter !== undefined) c.push(eb('runs.start_time', '>', f.startAfter.getTime()));
  if (f.startBefore !== undefined) c.push(eb('runs.start_time', '<', f.startBefore.getTime()));
  if (f.hasProcessedData !== undefined) {
    const processed = eb.exists(
      eb
        .selectFrom('data_entries')
        .select('data_entries.id')
        .whereRef('data_entries.run_number', '=', 'runs.number')
        .where('data_entries.type', '!=', 'live'),
    );
    c.push(f.hasProcessedData ? processed : eb.not(processed));
  }
  if (f.dataHost !== undefined || f.dataType !== undefined) {
    let q = eb
      .selectFrom('data_entries')
      .select('data_entries.id')
      .whereRef('data_entries.run_number', '=', 'runs.number');
    if (f.dataHost !== undefined) q = q.where('data_entries.host', '=', f.dataHost);
    if (f.dataType !== undefined) q = q.where('data_entries.type', '=', f.dataType);
    c.push(eb.exists(q));
  }
  return c.length ? eb.and(c) : sql<SqlBool>`1 = 1`;
}
