// Engine overhead: per-chunk cost of the pull pipeline (tiny chunks through a three-plugin
// chain), and throughput of a trivial chain on 1 MB chunks, in this thread and on 2 workers.

import { Context } from '../src/core/context/context.js';
import { DType } from '../src/core/dtype.js';
import { Records } from '../src/core/records.js';
import { Plugin, type ComputeRange, type InputsByKind, type SourceOutput } from '../src/core/plugin.js';
import { WorkerPool } from '../src/core/engine/pool.js';

const DT = DType.of([
  { name: 'time', type: '<i8' },
  { name: 'endtime', type: '<i8' },
  { name: 'channel', type: '<i2' },
  { name: 'area', type: '<f4' },
]);
const T0 = 1_765_000_000_000_000_000n;

/** Source: nChunks chunks of rowsPerChunk rows, 100 ns apart (made once, sliced per chunk). */
class BenchSource extends Plugin {
  override readonly provides: readonly string[] = ['bench_rows'];
  override readonly dataKind = 'bench_rows';
  constructor(
    public nChunks = 1,
    public rows: Records = Records.empty(DT),
  ) {
    super();
  }
  override inferDtype(): DType {
    return DT;
  }
  override isReady(i: number): boolean {
    return i < this.nChunks;
  }
  override sourceFinished(): boolean {
    return true;
  }
  override compute(_: InputsByKind, r: ComputeRange): SourceOutput {
    const per = this.rows.length / this.nChunks;
    const span = BigInt(per * 100);
    return {
      start: T0 + BigInt(r.chunkI) * span,
      end: T0 + BigInt(r.chunkI + 1) * span,
      data: this.rows.slice(r.chunkI * per, (r.chunkI + 1) * per),
    };
  }
}

function makeRows(n: number): Records {
  const r = Records.empty(DT, n);
  const t = r.i64('time'),
    e = r.i64('endtime'),
    a = r.f32('area'),
    c = r.i16('channel');
  for (let i = 0; i < n; i++) {
    t[i] = T0 + BigInt(i * 100);
    e[i] = t[i]! + 50n;
    a[i] = i % 97;
    c[i] = i % 494;
  }
  return r;
}

/** Trivial parallel-safe step: scale the area (one pass over one column). */
export class BenchScale extends Plugin {
  static readonly moduleUrl = import.meta.url;
  override readonly provides: readonly string[] = ['bench_scaled'];
  override readonly dependsOn: readonly string[] = ['bench_rows'];
  override readonly parallel = true;
  override inferDtype(): DType {
    return DT;
  }
  override compute(inputs: InputsByKind): Records {
    const x = inputs['bench_rows']!;
    const out = new Records(DT, x.length, { ...x.columns, area: x.f32('area').map((v) => v * 2) });
    return out;
  }
}

class BenchSelect extends Plugin {
  override readonly provides: readonly string[] = ['bench_selected'];
  override readonly dependsOn: readonly string[] = ['bench_scaled'];
  override inferDtype(): DType {
    return DT;
  }
  override compute(inputs: InputsByKind): Records {
    return inputs['bench_rows']!; // inputs are keyed by data kind (bench_scaled is of kind bench_rows)
  }
}

export async function timeMake(
  nChunks: number,
  rowsPerChunk: number,
  workers: number,
): Promise<{ seconds: number; chunks: number; mb: number }> {
  const rows = makeRows(nChunks * rowsPerChunk);
  const ctx = new Context({ options: { progressBar: false, workers } });
  ctx.register(new BenchSource(nChunks, rows), BenchScale, BenchSelect);
  const t = performance.now();
  let chunks = 0;
  for await (const c of ctx.getIter('000001', 'bench_selected')) {
    chunks++;
    void c;
  }
  return { seconds: (performance.now() - t) / 1000, chunks, mb: rows.nbytes / 1e6 };
}

export async function run(): Promise<void> {
  await timeMake(50, 10, 1); // warm-up
  const tiny = await timeMake(5000, 10, 1);
  const perChunkUs = (tiny.seconds / tiny.chunks) * 1e6;
  console.log(
    `overhead: ${tiny.chunks} chunks of 10 rows through source→scale→select: ${(tiny.seconds * 1000).toFixed(0)} ms, ${perChunkUs.toFixed(1)} µs per chunk (3 plugins)`,
  );
  const big1 = await timeMake(100, 50_000, 1);
  console.log(
    `throughput, 1 thread: ${big1.mb.toFixed(0)} MB in ${big1.chunks} chunks: ${(big1.mb / big1.seconds).toFixed(0)} MB/s`,
  );
  await timeMake(4, 50_000, 2); // start the shared pool
  const big2 = await timeMake(100, 50_000, 2);
  console.log(
    `throughput, 2 workers: ${big2.mb.toFixed(0)} MB in ${big2.chunks} chunks: ${(big2.mb / big2.seconds).toFixed(0)} MB/s (copies to and from the workers included)`,
  );
  await WorkerPool.closeShared();
}
