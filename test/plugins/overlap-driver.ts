// Feed a plugin a reference run in several chunks through the engine's own plugin runner
// (synchronisation of same-kind inputs, overlap-window bookkeeping), collecting its output.

import { Chunk } from '../../src/core/chunk.js';
import { runPlugin } from '../../src/core/engine/runner.js';
import type { Plugin } from '../../src/core/plugin.js';
import { Records } from '../../src/core/records.js';

/** Cut one batch of time-sorted rows into about n chunks at clean gaps; the same cut times
 * for every batch given, so same-kind inputs stay aligned. */
export function chunkedAligned(
  runId: string,
  batches: Record<string, Records>,
  kind: string,
  start: bigint,
  end: bigint,
  n: number,
): Record<string, Chunk[]> {
  const out: Record<string, Chunk[]> = {};
  // Cut points from the first batch; the others share its rows' times.
  const first = Object.values(batches)[0]!;
  let rest = new Chunk({ runId, dataType: 'x', dataKind: kind, start, end, data: first });
  const cuts: bigint[] = [];
  for (let k = 1; k < n; k++) {
    const [a, b] = rest.split(start + ((end - start) * BigInt(k)) / BigInt(n), true);
    cuts.push(a.end);
    rest = b;
  }
  for (const [type, data] of Object.entries(batches)) {
    let r = new Chunk({ runId, dataType: type, dataKind: kind, start, end, data });
    out[type] = [];
    for (const t of cuts) {
      const [a, b] = r.split(t, false);
      out[type]!.push(a);
      r = b;
    }
    out[type]!.push(r);
  }
  return out;
}

export async function runChunked(
  plugin: Plugin,
  inputs: Record<string, Chunk[]>,
  kindOf: (d: string) => string,
): Promise<Records> {
  plugin.dtypes = { [plugin.provides[0]!]: plugin.inferDtype() as never };
  // The context gives a plugin without its own data kind that of its first input.
  const p = plugin as { dataKind?: unknown };
  p.dataKind ??= kindOf(plugin.dependsOn[0]!);
  const iters: Record<string, AsyncIterator<Chunk>> = {};
  for (const [type, chunks] of Object.entries(inputs)) {
    iters[type] = (async function* () {
      yield* chunks;
    })();
  }
  const parts: Records[] = [];
  for await (const out of runPlugin(plugin, iters, { kindOf, pool: null, poolKey: null, inflight: 1 })) {
    for (const c of out.values()) parts.push(c.data);
  }
  return Records.concat(parts, plugin.inferDtype() as never);
}
