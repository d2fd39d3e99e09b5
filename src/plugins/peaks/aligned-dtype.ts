// numpy's aligned struct layout (np.dtype(..., align=True)), which straxen's PeaksVanilla uses so
// numba accepts the record type: each field starts at a multiple of its scalar's size, the row
// size is a multiple of the largest alignment, and the gaps appear in the descr as ('', '|Vn').

import { DType, type Field } from '../../core/dtype.js';

function alignmentOf(type: string): number {
  const m = /^[<>|=]?([biufcM])(\d+)$/.exec(type);
  if (!m) return 1; // strings and voids are byte-aligned
  const size = Number(m[2]);
  return m[1] === 'c' ? size / 2 : size;
}

export function alignedDtype(d: DType): DType {
  const fields: Field[] = [];
  let offset = 0,
    maxAlign = 1;
  const pad = (n: number): void => {
    if (n > 0) fields.push({ name: '', title: null, type: `|V${n}`, shape: [], offset });
    offset += n;
  };
  for (const f of d.fields) {
    if (f.name === '') continue;
    const a = alignmentOf(f.type);
    maxAlign = Math.max(maxAlign, a);
    pad((a - (offset % a)) % a);
    fields.push({ ...f, offset });
    offset += DType.fieldBytes(f);
  }
  pad((maxAlign - (offset % maxAlign)) % maxAlign);
  return new DType(fields, offset);
}
