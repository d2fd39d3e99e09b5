// Turn what compute() returned into one Chunk per provided data type (strax _fix_output):
// plain rows get the batch's [start, end), source plugins must say their own range, and rows
// must come in the promised dtype.

import { Chunk } from '../chunk.js';
import { Records } from '../records.js';
import type { ComputeResult, Plugin, SourceOutput } from '../plugin.js';

export type Outputs = Map<string, Chunk>;

function isSourceOutput(x: unknown): x is SourceOutput {
  return (
    !!x &&
    typeof x === 'object' &&
    !(x instanceof Records) &&
    !(x instanceof Chunk) &&
    typeof (x as SourceOutput).start === 'bigint' &&
    typeof (x as SourceOutput).end === 'bigint' &&
    'data' in x
  );
}

export function fixOutput(
  plugin: Plugin,
  result: ComputeResult,
  start: bigint | null,
  end: bigint | null,
): Outputs {
  if (isSourceOutput(result)) {
    start = result.start;
    end = result.end;
    result = result.data;
  }
  const out: Outputs = new Map();
  const name = plugin.className;
  if (plugin.multiOutput) {
    if (
      result instanceof Records ||
      result instanceof Chunk ||
      typeof result !== 'object' ||
      result === null
    ) {
      throw new Error(
        `${name} provides ${plugin.provides.join(', ')} and must return an object with one entry per data type`,
      );
    }
    const byType = result as Record<string, Records | Chunk>;
    for (const d of plugin.provides) {
      if (!(d in byType)) throw new Error(`${name} returned no ${d}`);
      out.set(d, toChunk(plugin, d, byType[d]!, start, end));
    }
    return out;
  }
  const d = plugin.provides[0]!;
  out.set(d, toChunk(plugin, d, result as Records | Chunk, start, end));
  return out;
}

function toChunk(
  plugin: Plugin,
  d: string,
  x: Records | Chunk,
  start: bigint | null,
  end: bigint | null,
): Chunk {
  const name = plugin.className;
  if (x instanceof Chunk) {
    if (x.dataType !== d)
      throw new Error(`${name} returned a chunk of ${x.dataType} where ${d} was expected`);
    return x;
  }
  if (!(x instanceof Records)) throw new Error(`${name} did not deliver ${d} as Records (got ${typeof x})`);
  if (start === null || end === null) {
    throw new Error(
      `${name} has no dependencies, so compute() must return { start, end, data } (it alone knows the range)`,
    );
  }
  const want = plugin.dtypeFor(d);
  if (x.dtype !== want) {
    if (!x.dtype.sameLayout(want)) {
      throw new Error(
        `${name} did not deliver ${d} in the promised dtype: promised fields ${want.names.join(', ')}; got ${x.dtype.names.join(', ')}`,
      );
    }
    x = x.withDType(want);
  }
  return new Chunk({
    runId: plugin.runId,
    dataType: d,
    dataKind: plugin.dataKindFor(d),
    start,
    end,
    data: x,
    targetSizeMb: plugin.chunkTargetSizeMb,
  });
}
