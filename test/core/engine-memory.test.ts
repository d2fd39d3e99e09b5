// Memory stays flat however long the run: a long synthetic run through a memory-hungry chain
// (wide source rows → wide peaks saved with a 2000 MB chunk target, like peaklets → an overlap
// window plugin, saved) retains no more array-buffer memory than a short one. Chunks in flight,
// overlap caches, mailboxes and savers' rechunk buffers must all be bounded.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Context } from '../../src/core/context/context.js';
import { DType } from '../../src/core/dtype.js';
import {
  OverlapWindowPlugin,
  Plugin,
  SaveWhen,
  type ComputeRange,
  type InputsByKind,
  type SourceOutput,
} from '../../src/core/plugin.js';
import { Records } from '../../src/core/records.js';
import { DataDirectory } from '../../src/storage/data-directory.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const T0 = 1_765_000_000_000_000_000n;
const CHUNK_NS = 1_000_000_000n;
const ROWS = 2000;

const WIDE_RECORD = DType.of([
  { name: 'time', type: '<i8' },
  { name: 'length', type: '<i4' },
  { name: 'dt', type: '<i2' },
  { name: 'channel', type: '<i2' },
  { name: 'data', type: '<i2', shape: [250] },
]);
const WIDE_PEAK = DType.of([
  { name: 'time', type: '<i8' },
  { name: 'endtime', type: '<i8' },
  { name: 'area', type: '<f4' },
  { name: 'wave', type: '<f4', shape: [120] },
]);
const NEAR = DType.of([
  { name: 'time', type: '<i8' },
  { name: 'endtime', type: '<i8' },
  { name: 'n_near', type: '<i4' },
]);

/** Retained array-buffer bytes (after a full GC), sampled once per source chunk. */
let samples: number[] = [];

class WideRecords extends Plugin {
  override readonly provides = ['wide_records'];
  override readonly dataKind = 'wide_records';
  override readonly version = '0.0.1';
  override readonly saveWhen = SaveWhen.NEVER;
  constructor(private readonly nChunks = 1) {
    super();
  }
  override inferDtype(): DType {
    return WIDE_RECORD;
  }
  override isReady(chunkI: number): boolean {
    return chunkI < this.nChunks;
  }
  override sourceFinished(): boolean {
    return true;
  }
  override compute(_inputs: InputsByKind, range: ComputeRange): SourceOutput | Promise<SourceOutput> {
    gc();
    samples.push(process.memoryUsage().arrayBuffers);
    return wideChunk(range.chunkI);
  }
}

/** Source chunk i: ROWS wide records (~1 MB) over one second. */
function wideChunk(chunkI: number): { start: bigint; end: bigint; data: Records } {
  const start = T0 + BigInt(chunkI) * CHUNK_NS;
  const r = Records.empty(WIDE_RECORD, ROWS);
  const step = CHUNK_NS / BigInt(ROWS);
  const time = r.i64('time'),
    data = r.i16('data');
  for (let i = 0; i < ROWS; i++) {
    time[i] = start + BigInt(i) * step;
    r.i32('length')[i] = 250;
    r.i16('dt')[i] = 10;
    r.i16('channel')[i] = i % 494;
    data[i * 250 + (i % 250)] = 1 + (i % 7);
  }
  return { start, end: start + CHUNK_NS, data: r };
}

class WidePeaks extends Plugin {
  override readonly provides = ['wide_peaks'];
  override readonly dependsOn = ['wide_records'];
  override readonly dataKind = 'wide_peaks';
  override readonly version = '0.0.1';
  override readonly compressor = 'zstd';
  override readonly chunkTargetSizeMb = 2000;
  override inferDtype(): DType {
    return WIDE_PEAK;
  }
  override compute(inputs: InputsByKind): Records {
    const r = inputs['wide_records']!;
    const out = Records.empty(WIDE_PEAK, r.length);
    const t = r.i64('time');
    out.i64('time').set(t);
    for (let i = 0; i < r.length; i++) {
      out.i64('endtime')[i] = t[i]! + 2500n;
      out.f32('area')[i] = r.i16('channel')[i]!;
    }
    return out;
  }
}

class PeakNeighbours extends OverlapWindowPlugin {
  override readonly provides = ['peak_neighbours'];
  override readonly dependsOn = ['wide_peaks'];
  override readonly version = '0.0.1';
  override readonly compressor = 'zstd';
  override getWindowSize(): number {
    return 2_000_000;
  }
  override inferDtype(): DType {
    return NEAR;
  }
  override compute(inputs: InputsByKind): Records {
    const p = inputs['wide_peaks']!;
    const out = Records.empty(NEAR, p.length);
    out.i64('time').set(p.i64('time'));
    out.i64('endtime').set(p.i64('endtime'));
    out.i32('n_near').fill(p.length);
    return out;
  }
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** Peak retained array-buffer MB over a run of nChunks, and the saved wide_peaks files. */
async function run(nChunks: number): Promise<{ peakMb: number; files: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'straxts-mem-'));
  dirs.push(dir);
  const ctx = new Context({
    storage: [new DataDirectory(dir)],
    options: { progressBar: false, saveBufferMb: 4 },
  });
  ctx.register(new WideRecords(nChunks), WidePeaks, PeakNeighbours);
  samples = [];
  await ctx.make('001', 'peak_neighbours');
  expect(await ctx.isStored('001', ['wide_peaks', 'peak_neighbours'])).toBe(true);
  const peaks = readdirSync(dir).find((d) => d.includes('wide_peaks'))!;
  const files = readdirSync(join(dir, peaks)).filter((f) => !f.endsWith('.json')).length;
  expect(samples.length).toBe(nChunks);
  return { peakMb: Math.max(...samples) / 1e6, files };
}

/** Every wide buffer a stage made, by chunk: which of them are still alive. */
let made: { chunkI: number; buffer: WeakRef<ArrayBuffer> }[] = [];
/** At each source chunk (after a full GC): buffers of chunks before the previous one still alive. */
let staleAtChunk: number[] = [];

const madeFor = (r: Records, chunkI: number): Records => {
  made.push({ chunkI, buffer: new WeakRef(r.col('data').buffer as ArrayBuffer) });
  return r;
};

/** A source of ~1 MB chunks that counts, before making chunk i, what is left of older chunks. */
class CountingSource extends WideRecords {
  // async, through the event loop: a WeakRef keeps its target until the current job ends
  override async compute(_inputs: InputsByKind, range: ComputeRange): Promise<SourceOutput> {
    await new Promise((r) => setImmediate(r));
    gc();
    staleAtChunk.push(made.filter((m) => m.chunkI < range.chunkI - 1 && m.buffer.deref()).length);
    const out = wideChunk(range.chunkI);
    madeFor(out.data, range.chunkI);
    return out;
  }
}

/** A plain stage: copies its input into fresh rows (as records and peaklets make new data). */
function copyStage(name: string, from: string): new () => Plugin {
  return class extends Plugin {
    override readonly provides = [name];
    override readonly dependsOn = [from];
    override readonly dataKind = name;
    override readonly version = '0.0.1';
    override readonly saveWhen = SaveWhen.NEVER;
    override inferDtype(): DType {
      return WIDE_RECORD;
    }
    override compute(inputs: InputsByKind, range: ComputeRange): Records {
      const r = inputs[from]!;
      const out = Records.empty(WIDE_RECORD, r.length);
      for (const n of WIDE_RECORD.names) (out.col(n) as Uint8Array).set(r.col(n) as Uint8Array);
      return madeFor(out, range.chunkI);
    }
  };
}

describe('engine memory', () => {
  it('keeps no chunk every stage is done with (no stage holds the chunk it passed on)', async () => {
    // Each stage of a chain waits at a yield while the stages after it work: a chunk bound in its
    // frame stayed alive until the next one came (one extra ~6 MB raw_records or records chunk
    // per stage on a real run).
    const dir = mkdtempSync(join(tmpdir(), 'straxts-mem-'));
    dirs.push(dir);
    const ctx = new Context({ storage: [new DataDirectory(dir)], options: { progressBar: false } });
    ctx.register(
      new CountingSource(12),
      copyStage('stage_a', 'wide_records'),
      copyStage('stage_b', 'stage_a'),
    );
    made = [];
    staleAtChunk = [];
    await ctx.make('001', 'stage_b');
    expect(staleAtChunk).toHaveLength(12);
    expect(made).toHaveLength(36);
    // While chunk i is made, chunk i - 1 may still be on its way out; older ones must be gone.
    expect(staleAtChunk).toEqual(new Array(12).fill(0));
  }, 60_000);

  it('retains no more memory on a run six times as long (chunks in flight and save buffers bounded)', async () => {
    // Each chunk carries ~1 MB of wide_records and ~1 MB of wide_peaks; the long run makes
    // 60 MB of wide_peaks, which a saver holding its file until the 2000 MB target is reached
    // would all hold; streamed, the file is cut as strax cuts it (one file) in flat memory.
    const short = await run(10);
    const long = await run(60);
    expect(long.peakMb - short.peakMb).toBeLessThan(16);
    expect([short.files, long.files]).toEqual([1, 1]);
  }, 60_000);
});
