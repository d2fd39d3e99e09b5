// Rows picked from several same-field Records into one new batch of a (possibly differently laid
// out) dtype, by field name: what numpy's concatenate + fancy indexing + copy_to_buffer do.

import type { DType } from '../../core/dtype.js';
import { Records } from '../../core/records.js';

/** Row k of the result is row rows[k] of sources[from[k]]; fields absent in a source stay zero. */
export function gatherRows(
  dtype: DType,
  sources: readonly Records[],
  from: Uint8Array,
  rows: Int32Array,
): Records {
  const out = Records.empty(dtype, rows.length);
  for (const name of dtype.names) {
    const w = out.width(name);
    const dst = out.col(name) as Float64Array;
    const cols = sources.map((s) => (s.dtype.has(name) ? (s.col(name) as Float64Array) : null));
    for (let k = 0; k < rows.length; k++) {
      const src = cols[from[k]!];
      if (!src) continue;
      const r = rows[k]!;
      if (w === 1) dst[k] = src[r]!;
      else dst.set(src.subarray(r * w, (r + 1) * w), k * w);
    }
  }
  return out;
}
