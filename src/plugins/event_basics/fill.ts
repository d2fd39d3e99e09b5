// Filling event fields from peak rows.

import type { Records } from '../../core/records.js';

type Column = Records['columns'][string];

/** strax set_nan_defaults: integers −1, everything else NaN (so booleans become True). */
export function setNanDefaults(r: Records): void {
  for (const f of r.dtype.fields) {
    if (f.name === '') continue;
    const c: Column = r.col(f.name);
    if (c instanceof BigInt64Array || c instanceof BigUint64Array) c.fill(-1n);
    else if (c instanceof Float32Array || c instanceof Float64Array) c.fill(NaN);
    else if (f.type.endsWith('b1')) c.fill(1);
    else c.fill(-1);
  }
}

/** dst[row] = src[idx[row]] for every row with idx >= 0 (same-typed scalar fields). */
export function copyByIndex(
  src: Records,
  srcField: string,
  dst: Records,
  dstField: string,
  idx: Int32Array,
): void {
  const s = src.col(srcField),
    d = dst.col(dstField);
  if (s.constructor !== d.constructor) {
    throw new Error(
      `cannot copy ${srcField} (${src.dtype.field(srcField).type}) into ${dstField} (${dst.dtype.field(dstField).type})`,
    );
  }
  const sa = s as unknown as { [i: number]: number | bigint },
    da = d as unknown as { [i: number]: number | bigint };
  for (let e = 0; e < idx.length; e++) {
    const i = idx[e]!;
    if (i >= 0) da[e] = sa[i]!;
  }
}
