import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Chunk } from '../../src/core/chunk.js';
import { DType } from '../../src/core/dtype.js';
import { isSoleOwned, markSoleOwner } from '../../src/core/engine/hand-over.js';
import { Plugin, type InputsByKind } from '../../src/core/plugin.js';
import { Records } from '../../src/core/records.js';
import type { DataKey, LoadOptions, StorageFrontend } from '../../src/core/storage-api.js';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { bytesOf, fixedDataset, toyContext } from './engine-data.js';
import { calls, RECORD_DTYPE, ToyPeaks } from './engine-fixtures.js';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A second reader of records, in this thread (copies its input). */
class RecordCopy extends Plugin {
  override readonly provides: readonly string[] = ['record_copy'];
  override readonly dependsOn: readonly string[] = ['records'];
  override readonly dataKind = 'records';
  override readonly version = '0.0.1';
  override inferDtype(): DType {
    return RECORD_DTYPE;
  }
  override compute(inputs: InputsByKind): Records {
    const r = inputs['records']!;
    return r.take(Array.from({ length: r.length }, (_, i) => i));
  }
}

/** The toy peaks plugin, kept off the worker threads. */
class InThreadPeaks extends ToyPeaks {
  static override readonly moduleUrl = import.meta.url;
  override readonly computeOnPool = false;
}

/** A data directory that remembers every chunk it handed out. */
class WatchedDirectory extends DataDirectory {
  readonly handedOut: Chunk[] = [];
  override async *load(key: DataKey, opts: LoadOptions = {}): AsyncIterable<Chunk> {
    for await (const c of super.load(key, opts)) {
      this.handedOut.push(c);
      yield c;
    }
  }
}

/** A folder with the toy run's records stored, and a context reading it with `workers`. */
async function storedRecords(
  workers: number,
): Promise<{ dir: WatchedDirectory; ctx: ReturnType<typeof toyContext> }> {
  const path = mkdtempSync(join(tmpdir(), 'straxts-handover-'));
  dirs.push(path);
  const ds = fixedDataset(400, 15, 11);
  await toyContext(ds, [new DataDirectory(path)]).make('001', 'records');
  const dir = new WatchedDirectory(path);
  const ctx = toyContext(ds, [dir as StorageFrontend]);
  ctx.register(RecordCopy);
  ctx.setContextConfig({ workers });
  return { dir, ctx };
}

const detached = (c: Chunk): boolean => c.length > 0 && c.data.i64('time').byteLength === 0;

describe('engine: rows handed to worker threads without a copy', () => {
  it('loaded rows with one parallel reader and no saver move to the worker; results as with one thread', async () => {
    const one = await storedRecords(1);
    const want = bytesOf(await one.ctx.getArray('001', 'peaks'));
    const two = await storedRecords(2);
    const got = bytesOf(await two.ctx.getArray('001', 'peaks'));
    expect(got).toBe(want);
    const loaded = two.dir.handedOut.filter((c) => c.length > 0);
    expect(loaded.length).toBeGreaterThan(1);
    expect(loaded.every(detached)).toBe(true);
    expect(one.dir.handedOut.some(detached)).toBe(false);
  });

  it('a parallel plugin that declines the pool computes in this thread, with the same results', async () => {
    const one = await storedRecords(1);
    const want = bytesOf(await one.ctx.getArray('001', 'peaks'));
    const two = await storedRecords(2);
    two.ctx.register(InThreadPeaks);
    const before = calls['peaks'] ?? 0;
    const got = bytesOf(await two.ctx.getArray('001', 'peaks'));
    expect(got).toBe(want);
    const loaded = two.dir.handedOut.filter((c) => c.length > 0);
    expect(loaded.length).toBeGreaterThan(1);
    // every chunk computed here (counted in this thread), none of its input moved away
    expect((calls['peaks'] ?? 0) - before).toBe(loaded.length);
    expect(loaded.some(detached)).toBe(false);
  });

  it('rows that a second plugin also reads are copied, and both readers see them whole', async () => {
    const one = await storedRecords(1);
    await one.ctx.make('001', ['peaks', 'record_copy'], { save: 'record_copy' });
    const two = await storedRecords(2);
    await two.ctx.make('001', ['peaks', 'record_copy'], { save: 'record_copy' });
    expect(two.dir.handedOut.length).toBeGreaterThan(1);
    expect(two.dir.handedOut.some(detached)).toBe(false);
    for (const t of ['peaks', 'record_copy'])
      expect(bytesOf(await two.ctx.getArray('001', t))).toBe(bytesOf(await one.ctx.getArray('001', t)));
    expect(bytesOf(await two.ctx.getArray('001', 'record_copy'))).toBe(
      bytesOf(await two.ctx.getArray('001', 'records')),
    );
  });

  it('only buffers that one column spans entirely are marked', () => {
    const d = DType.of([
      { name: 'time', type: '<i8' },
      { name: 'a', type: '<f4' },
      { name: 'b', type: '<f4' },
    ]);
    const whole = Records.empty(d, 4);
    markSoleOwner(whole);
    expect(Object.values(whole.columns).every(isSoleOwned)).toBe(true);
    expect(isSoleOwned(whole.slice(1).col('time'))).toBe(false);

    const shared = new Float32Array(8);
    const r = new Records(d, 4, {
      time: new BigInt64Array(4),
      a: shared.subarray(0, 4),
      b: shared.subarray(4, 8),
    });
    markSoleOwner(r);
    expect(isSoleOwned(r.col('time'))).toBe(true);
    expect(isSoleOwned(r.col('a')) || isSoleOwned(r.col('b'))).toBe(false);

    const same = new Float32Array(4);
    const twice = new Records(d, 4, { time: new BigInt64Array(4), a: same, b: same });
    markSoleOwner(twice);
    expect(isSoleOwned(same)).toBe(false);
    expect(isSoleOwned(new Float32Array(4))).toBe(false);
  });
});
