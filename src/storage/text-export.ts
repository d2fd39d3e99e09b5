// Rows as CSV or JSON lines, for people and other tools. Sub-array fields become one column per
// element (name[i], row-major) in CSV and nested lists in JSON; padding is left out.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { elementCount, type Field } from '../core/dtype.js';
import type { Records } from '../core/records.js';

const isText = (f: Field): boolean => /^[|<>]?[SUV]/.test(f.type);

const roundTrips = (x: number, p: number): boolean => Math.fround(Number(x.toPrecision(p))) === x;

/** Shortest decimal that reads back as the same float32. Integers below 2^24 are exact as they
 * are; otherwise the search starts at 7 digits (most float32 values need 7 or 8), using that
 * more digits never round-trip worse than fewer. */
export function float32Text(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 16777216) return String(x);
  let p = 7;
  if (roundTrips(x, p)) while (p > 1 && roundTrips(x, p - 1)) p--;
  else while (p < 9 && !roundTrips(x, p)) p++;
  return String(Number(x.toPrecision(p)));
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

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const l of lines) {
    if (!out.write(l + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function* csvLines(r: Records): Iterable<string> {
  const fields = r.dtype.fields.filter((f) => f.name !== '');
  yield fields
    .flatMap((f) => (isText(f) ? [f.name] : columnNames(f)))
    .map(csvQuote)
    .join(',');
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

/** The JSON text of one value of a field (chosen once per field: this runs per element). */
function jsonFormatter(f: Field): (v: number | bigint) => string {
  if (f.type === '|b1') return (v) => (v ? 'true' : 'false');
  const finite = f.type.endsWith('f4') ? float32Text : String;
  return (v) => (typeof v === 'bigint' ? v.toString() : Number.isFinite(v) ? finite(v) : 'null');
}

function nest(values: string[], shape: readonly number[]): string {
  if (shape.length <= 1) return `[${values.join(',')}]`;
  const inner = values.length / shape[0]!;
  const parts: string[] = [];
  for (let k = 0; k < shape[0]!; k++)
    parts.push(nest(values.slice(k * inner, (k + 1) * inner), shape.slice(1)));
  return `[${parts.join(',')}]`;
}

/** `"name":value` of row i, for one field. */
function jsonMember(r: Records, f: Field): (i: number) => string {
  const key = `${JSON.stringify(f.name)}:`;
  if (isText(f)) return (i) => key + JSON.stringify(textValue(r, f, i));
  const col = r.col(f.name) as ArrayLike<number | bigint>;
  const fmt = jsonFormatter(f);
  if (f.shape.length === 0) return (i) => key + fmt(col[i]!);
  const w = elementCount(f.shape);
  return (i) => {
    const vals: string[] = new Array<string>(w);
    for (let k = 0; k < w; k++) vals[k] = fmt(col[i * w + k]!);
    return key + nest(vals, f.shape);
  };
}

/** Each row as one JSON object: field → value, sub-arrays as nested lists, NaN and ±inf as null,
 * int64 as exact decimal integers (a JSON reader that parses numbers as doubles rounds values
 * beyond 2^53; Python's json and JSON.parse with source access keep them exact). */
export function* jsonRows(r: Records): Iterable<string> {
  const members = r.dtype.fields.filter((f) => f.name !== '').map((f) => jsonMember(r, f));
  for (let i = 0; i < r.length; i++) {
    let row = '{';
    for (let m = 0; m < members.length; m++) row += (m ? ',' : '') + members[m]!(i);
    yield `${row}}`;
  }
}

export function writeCsv(path: string, r: Records): Promise<void> {
  return writeLines(path, csvLines(r));
}

export function writeJsonl(path: string, r: Records): Promise<void> {
  return writeLines(path, jsonRows(r));
}
