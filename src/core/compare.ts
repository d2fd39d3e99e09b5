// Field-by-field agreement of two batches of rows: what a golden test asserts and what a user
// checks after reprocessing (`straxts compare`).

import type { Records } from './records.js';

export interface FieldAgreement {
  field: string;
  /** Array elements compared (rows × elements per row). */
  compared: number;
  /** Elements that differ beyond tolerance. */
  mismatched: number;
  /** Largest relative difference seen (0 for exact; Infinity when one side is NaN). */
  maxRelDiff: number;
  /** First differing element, for the report. */
  firstMismatch?: { row: number; a: string; b: string };
  exact: boolean;
}

export interface Agreement {
  rowsA: number;
  rowsB: number;
  fields: FieldAgreement[];
  onlyInA: string[];
  onlyInB: string[];
  /** Same rows, same fields, every field within tolerance. */
  ok: boolean;
}

export interface CompareOptions {
  /** Relative tolerance for floating-point fields (integers are always exact). */
  rtol?: number;
  /** Absolute tolerance for floats near zero. */
  atol?: number;
  fields?: readonly string[];
}

function isFloat(type: string): boolean {
  return /f\d+$/.test(type);
}

export function compareRecords(a: Records, b: Records, options: CompareOptions = {}): Agreement {
  const rtol = options.rtol ?? 1e-6;
  const atol = options.atol ?? 0;
  const namesA = a.dtype.names,
    namesB = b.dtype.names;
  const wanted = options.fields ?? namesA.filter((n) => namesB.includes(n));
  const fields: FieldAgreement[] = [];
  const rows = Math.min(a.length, b.length);
  for (const name of wanted) {
    const fa = a.dtype.field(name);
    const ca = a.col(name),
      cb = b.col(name);
    const width = a.width(name);
    const n = rows * width;
    const float = isFloat(fa.type);
    let mismatched = 0,
      maxRel = 0;
    let first: FieldAgreement['firstMismatch'];
    for (let i = 0; i < n; i++) {
      const x = ca[i]!,
        y = cb[i]!;
      if (x === y) continue;
      if (float) {
        const xf = x as number,
          yf = y as number;
        if (Number.isNaN(xf) && Number.isNaN(yf)) continue;
        const diff = Math.abs(xf - yf);
        const scale = Math.max(Math.abs(xf), Math.abs(yf));
        const rel = Number.isNaN(diff) ? Infinity : scale === 0 ? 0 : diff / scale;
        if (rel > maxRel) maxRel = rel;
        if (diff <= atol || rel <= rtol) continue;
      } else {
        maxRel = Infinity;
      }
      mismatched++;
      first ??= { row: Math.floor(i / width), a: String(x), b: String(y) };
    }
    fields.push({
      field: name,
      compared: n,
      mismatched,
      maxRelDiff: maxRel,
      firstMismatch: first,
      exact: mismatched === 0 && maxRel === 0,
    });
  }
  const onlyInA = namesA.filter((n) => !namesB.includes(n));
  const onlyInB = namesB.filter((n) => !namesA.includes(n));
  return {
    rowsA: a.length,
    rowsB: b.length,
    fields,
    onlyInA,
    onlyInB,
    ok:
      a.length === b.length &&
      onlyInA.length === 0 &&
      onlyInB.length === 0 &&
      fields.every((f) => f.mismatched === 0),
  };
}

/** The verdict first, then the rows, then the fields that differ (every field with `all`). */
export function formatAgreement(ag: Agreement, opts: { all?: boolean } = {}): string {
  const bad = ag.fields.filter((f) => f.mismatched > 0);
  const exact = ag.fields.filter((f) => f.exact).length;
  const within = ag.fields.length - exact - bad.length;
  const extra = ag.onlyInA.length + ag.onlyInB.length;
  const verdict = ag.ok
    ? `AGREE: ${ag.rowsA} rows, ${ag.fields.length} fields (${exact} exact, ${within} within tolerance)`
    : `DISAGREE: ${[
        ag.rowsA !== ag.rowsB ? `rows ${ag.rowsA} vs ${ag.rowsB}` : '',
        bad.length ? `${bad.length} of ${ag.fields.length} fields differ` : '',
        extra ? `${extra} fields in one copy only` : '',
      ]
        .filter(Boolean)
        .join(', ')}`;
  const lines = [verdict, `rows: ${ag.rowsA} vs ${ag.rowsB}${ag.rowsA === ag.rowsB ? '' : '  (DIFFERENT)'}`];
  const shown = opts.all ? ag.fields : bad;
  if (shown.length) {
    const w = Math.max(5, ...shown.map((f) => f.field.length));
    lines.push(
      `${'field'.padEnd(w)}  ${'status'.padEnd(9)} ${'mismatched'.padStart(12)} ${'max rel diff'.padStart(13)}`,
    );
    for (const f of shown) {
      const status = f.exact ? 'exact' : f.mismatched === 0 ? 'within' : 'DIFFERS';
      const rel = f.maxRelDiff === Infinity ? 'inf' : f.maxRelDiff.toExponential(2);
      const first = f.firstMismatch
        ? `  first at row ${f.firstMismatch.row}: ${f.firstMismatch.a} vs ${f.firstMismatch.b}`
        : '';
      lines.push(
        `${f.field.padEnd(w)}  ${status.padEnd(9)} ${String(f.mismatched).padStart(12)} ${rel.padStart(13)}${first}`,
      );
    }
  }
  if (ag.onlyInA.length) lines.push(`only in A: ${ag.onlyInA.join(', ')}`);
  if (ag.onlyInB.length) lines.push(`only in B: ${ag.onlyInB.join(', ')}`);
  if (!opts.all && ag.fields.length > bad.length)
    lines.push(`(${ag.fields.length - bad.length} agreeing fields not listed; --all lists every field)`);
  return lines.join('\n');
}
