// Same-kind inputs are column-merged before compute (strax Chunk.merge): field positions from
// the dtypes taken in data-type name order, values from the last input in depends_on order.

import { Chunk } from '../chunk.js';
import { DType } from '../dtype.js';
import { Records } from '../records.js';

const mergedDtypeCache = new WeakMap<DType, Map<string, DType>>();

export function mergeChunks(chunks: readonly Chunk[], dataType: string): Chunk {
  if (chunks.length === 0) throw new Error('mergeChunks: nothing to merge');
  if (chunks.length === 1) return chunks[0]!;
  const first = chunks[0]!;
  for (const c of chunks) {
    if (c.dataKind !== first.dataKind)
      throw new Error(`cannot merge ${c.dataType} (kind ${c.dataKind}) with kind ${first.dataKind}`);
    if (c.runId !== first.runId) throw new Error(`cannot merge chunks of runs ${first.runId} and ${c.runId}`);
    if (c.length !== first.length)
      throw new Error(
        `cannot merge ${first.dataType} (${first.length} rows) with ${c.dataType} (${c.length} rows): same-kind inputs must be row-aligned`,
      );
    if (c.start !== first.start || c.end !== first.end) {
      throw new Error(
        `cannot merge ${first.dataType} [${first.start}, ${first.end}) with ${c.dataType} [${c.start}, ${c.end}): ranges differ`,
      );
    }
  }
  const dtype = mergedDtype(chunks);
  return new Chunk({
    runId: first.runId,
    dataType,
    dataKind: first.dataKind,
    start: first.start,
    end: first.end,
    data: Records.mergeColumns(
      chunks.map((c) => c.data),
      dtype,
    ),
    targetSizeMb: Math.max(...chunks.map((c) => c.targetSizeMb)),
  });
}

/** The merged dtype for inputs keyed by data type (sorted by name, first occurrence wins). */
export function mergedDtypeOf(byType: Readonly<Record<string, DType>>): DType {
  return DType.merge(
    Object.keys(byType)
      .sort()
      .map((k) => byType[k]!),
  );
}

function mergedDtype(chunks: readonly Chunk[]): DType {
  const key = chunks.map((c) => c.dataType).join('\0');
  const first = chunks[0]!.dtype;
  let m = mergedDtypeCache.get(first);
  if (!m) mergedDtypeCache.set(first, (m = new Map()));
  let d = m.get(key);
  if (!d) {
    const byType: Record<string, DType> = {};
    for (const c of chunks) byType[c.dataType] = c.dtype;
    d = mergedDtypeOf(byType);
    m.set(key, d);
  }
  return d;
}
