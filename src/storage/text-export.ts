// Rows as CSV or JSON lines, for people and other tools. Sub-array fields become one column per
// element (name[i], row-major) in CSV and nested lists in JSON; padding is left out.

import { elementCount, type DType, type Field } from '../core/dtype.js';
import type { Records } from '../core/records.js';

const isText = (f: Field): boolean => /^[|<>]?[SUV]/.test(f.type);

/** Shortest decimal that reads back as the same float32. */
export function float32Text(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  for (let p = 1; p <= 9; p++) {
    const s = Number(x.toPrecision(p));
    if (Math.fround(s) === x) return String(s);
  }
  return String(x);
}

function columnNames(f: Field): string[] {
  const n = elementCount(f.shape);
  if (f.shape.length === 0) return [f.name];
  return Array.from({ length: n }, (_, k) => `${f.name}[${k}]`);
}

function cellText(f: Field, col: ArrayLike<number | bigint>, k: number): string {
  const v = col[k]!;
  if (typeof v === 'bigint') return v.toString();
  if (f.type.endsWith('f4')) return float32Text(v);
  if (f.type === '|b1') return v ? 'True' : 'False';
  return String(v);
}

function csvQuote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function textValue(r: Records, f: Field, i: number): string {
  const v = r.row(i)[f.name];
  return typeof v === 'string' ? v : String(v);
}

/** The CSV header line: one column per field element, padding left out. */
export function csvHeader(dtype: DType): string {
  return dtype.fields
    .filter((f) => f.name !== '')
    .flatMap((f) => (isText(f) ? [f.name] : columnNames(f)))
    .map(csvQuote)
    .join(',');
}

export function* csvLines(r: Records): Iterable<string> {
  const fields = r.dtype.fields.filter((f) => f.name !== '');
  for (let i = 0; i < r.length; i++) {
    const cells: string[] = [];
    for (const f of fields) {
      if (isText(f)) {
        cells.push(csvQuote(textValue(r, f, i)));
        continue;
      }
      const col = r.col(f.name) as ArrayLike<number | bigint>;
      const w = elementCount(f.shape);
      for (let k = 0; k < w; k++) cells.push(cellText(f, col, i * w + k));
    }
    yield cells.join(',');
  }
}

function jsonNumber(f: Field, v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (!Number.isFinite(v)) return 'null';
  if (f.type === '|b1') return v ? 'true' : 'false';
  return f.type.endsWith('f4') ? float32Text(v) : String(v);
}

function nest(values: string[], shape: readonly number[]): string {
  if (shape.length <= 1) return `[${values.join(',')}]`;
  const inner = values.length / shape[0]!;
  const parts: string[] = [];
  for (let k = 0; k < shape[0]!; k++)
    parts.push(nest(values.slice(k * inner, (k + 1) * inner), shape.slice(1)));
  return `[${parts.join(',')}]`;
}

export function* jsonLines(r: Records): Iterable<string> {
  const fields = r.dtype.fields.filter((f) => f.name !== '');
  for (let i = 0; i < r.length; i++) {
    const parts: string[] = [];
    for (const f of fields) {
      let val: string;
      if (isText(f)) val = JSON.stringify(textValue(r, f, i));
      else {
        const col = r.col(f.name) as ArrayLike<number | bigint>;
        const w = elementCount(f.shape);
        if (f.shape.length === 0) val = jsonNumber(f, col[i]!);
        else {
          const vals: string[] = [];
          for (let k = 0; k < w; k++) vals.push(jsonNumber(f, col[i * w + k]!));
          val = nest(vals, f.shape);
        }
      }
      parts.push(`${JSON.stringify(f.name)}:${val}`);
    }
    yield `{${parts.join(',')}}`;
  }
}
