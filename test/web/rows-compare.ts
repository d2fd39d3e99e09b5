// JSON rows from microstrax against rows numpy wrote: same fields in the same order, every value
// equal (float32 compared after rounding the JSON number to float32, NaN as null, int64 exact).

import { expect } from 'vitest';
import type { Field } from '../../src/core/dtype.js';
import type { Records } from '../../src/core/records.js';
import type { Row } from './http-json.js';

function same(f: Field, json: unknown, want: number | bigint): boolean {
  if (typeof want === 'bigint') return json === want;
  if (Number.isNaN(want)) return json === null;
  if (f.type === '|b1') return json === (want !== 0);
  if (typeof json !== 'number') return false;
  return f.type.endsWith('f4') ? Math.fround(json) === want : json === want;
}

/** rows[k] must equal records row `first + k`, field by field. */
export function expectRowsEqual(rows: readonly Row[], records: Records, first = 0): void {
  const fields = records.dtype.fields.filter((f) => f.name !== '');
  rows.forEach((row, k) => {
    expect(Object.keys(row)).toEqual(fields.map((f) => f.name));
    const want = records.row(first + k);
    for (const f of fields) {
      const w = want[f.name]!;
      const j = row[f.name];
      if (Array.isArray(w)) {
        expect(Array.isArray(j), `${f.name} of row ${first + k} is a list`).toBe(true);
        const list = j as unknown[];
        expect(list.length).toBe(w.length);
        const bad = w.findIndex((x, i) => !same(f, list[i], x as number | bigint));
        expect(bad, `${f.name}[${bad}] of row ${first + k}: ${String(list[bad])} vs ${String(w[bad])}`).toBe(
          -1,
        );
      } else {
        expect(
          same(f, j, w as number | bigint),
          `${f.name} of row ${first + k}: ${String(j)} vs ${String(w)}`,
        ).toBe(true);
      }
    }
  });
}
