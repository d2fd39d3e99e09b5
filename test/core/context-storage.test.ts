import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { bytesOf, fixedDataset, toyContext, type Dataset } from './engine-data.js';
import { calls } from './engine-fixtures.js';

let dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'straxts-ctx-'));
  dirs.push(d);
  return d;
};
beforeEach(() => {
  for (const k of Object.keys(calls)) delete calls[k];
});
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

const sample = (): Dataset => fixedDataset();

describe('context with a data directory', () => {
  it('saves what it computes and loads it next time instead of recomputing', async () => {
    const ds = sample();
    const dir = tempDir();
    const ctx = toyContext(ds, [new DataDirectory(dir)]);
    await ctx.make('001', 'peak_sums');
    expect(await ctx.isStored('001', ['records', 'peaks', 'peak_sums'])).toBe(true);
    const first = bytesOf(await ctx.getArray('001', 'peak_sums'));
    for (const k of Object.keys(calls)) delete calls[k];
    const again = toyContext(ds, [new DataDirectory(dir)]);
    expect(bytesOf(await again.getArray('001', 'peak_sums'))).toBe(first);
    expect(calls['peaks'] ?? 0).toBe(0);
    expect(calls['records'] ?? 0).toBe(0);
    // a downstream type is computed from stored peaks, without recomputing them
    await again.make('001', 'event_sums');
    expect(calls['peaks'] ?? 0).toBe(0);
    expect(await again.listAvailable('001')).toEqual(
      expect.arrayContaining(['event_sums', 'peak_sums', 'peaks', 'records']),
    );
  });

  it('make takes several targets of different kinds at once, with a progress callback', async () => {
    const ds = sample();
    const ctx = toyContext(ds, [new DataDirectory(tempDir())]);
    const seen: number[] = [];
    await ctx.make('001', ['peak_sums', 'event_sums'], { progress: (p) => seen.push(p.chunks) });
    expect(await ctx.isStored('001', ['peak_sums', 'event_sums', 'peaks', 'records', 'events'])).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('saveWhen: EXPLICIT outputs only when asked, multi-output siblings by their own rule', async () => {
    const ds = sample();
    const ctx = toyContext(ds, [new DataDirectory(tempDir())]);
    await ctx.make('001', 'big_peaks');
    expect(await ctx.isStored('001', 'big_peaks')).toBe(true);
    expect(await ctx.isStored('001', 'small_peaks')).toBe(false);
    await ctx.make('001', 'small_peaks', { save: ['small_peaks'] });
    expect(await ctx.isStored('001', 'small_peaks')).toBe(true);
    // CutPlugin: TARGET — saved only as the target
    await ctx.make('001', 'cut_busy_event');
    expect(await ctx.isStored('001', 'cut_busy_event')).toBe(true);
  });

  it('a plugin error stops the run, names plugin, run and chunk, and leaves nothing complete-looking', async () => {
    const ds = sample();
    const dir = tempDir();
    const ctx = toyContext(ds, [new DataDirectory(dir)]);
    ctx.setConfig({ fail_at_chunk: 2 });
    await expect(ctx.make('001', 'peak_sums')).rejects.toThrow(/ToyPeaks failed on run 001, chunk 2: boom/);
    expect(await ctx.isStored('001', 'peaks')).toBe(false);
    expect(await ctx.isStored('001', 'peak_sums')).toBe(false);
    const folders = readdirSync(dir);
    const peaksDir = folders.find((f) => f.startsWith('001-peaks-'))!;
    const md = JSON.parse(
      readFileSync(
        join(
          dir,
          peaksDir,
          readdirSync(join(dir, peaksDir)).find((f) => f.endsWith('metadata.json'))!,
        ),
        'utf8',
      ),
    );
    expect(md.exception).toMatch(/boom/);
    // the source itself finished before the error? Either way it may not look complete unless it is.
    // A new make with the error gone gives the same data as an uninterrupted run.
    ctx.setConfig({ fail_at_chunk: -1 });
    await ctx.make('001', 'peak_sums');
    const resumed = bytesOf(await ctx.getArray('001', 'peak_sums'));
    const clean = toyContext(ds, [new DataDirectory(tempDir())]);
    await clean.make('001', 'peak_sums');
    expect(resumed).toBe(bytesOf(await clean.getArray('001', 'peak_sums')));
  });

  it('an error on a worker thread is reported the same way and fails the savers', async () => {
    const ds = sample();
    const dir = tempDir();
    const ctx = toyContext(ds, [new DataDirectory(dir)]);
    ctx.setContextConfig({ workers: 2 });
    ctx.setConfig({ fail_at_chunk: 1 });
    await expect(ctx.make('001', 'peaks')).rejects.toThrow(/ToyPeaks failed on run 001, chunk 1: boom/);
    expect(await ctx.isStored('001', 'peaks')).toBe(false);
  });

  it('stopping a getIter early marks open savers failed', async () => {
    const ds = sample();
    const ctx = toyContext(ds, [new DataDirectory(tempDir())]);
    for await (const c of ctx.getIter('001', 'peaks')) {
      void c;
      break;
    }
    expect(await ctx.isStored('001', 'peaks')).toBe(false);
    // a new make after the interruption gives what an uninterrupted one gives
    await ctx.make('001', 'peaks');
    const clean = toyContext(ds, [new DataDirectory(tempDir())]);
    await clean.make('001', 'peaks');
    expect(bytesOf(await ctx.getArray('001', 'peaks'))).toBe(bytesOf(await clean.getArray('001', 'peaks')));
  });

  it('a readonly frontend is read but never written; writing goes to the writable one', async () => {
    const ds = sample();
    const a = tempDir(),
      b = tempDir();
    await toyContext(ds, [new DataDirectory(a)]).make('001', 'peaks');
    const ctx = toyContext(ds, [new DataDirectory(a, { readonly: true }), new DataDirectory(b)]);
    await ctx.make('001', 'peak_sums');
    expect(readdirSync(a).some((f) => f.includes('peak_sums'))).toBe(false);
    expect(readdirSync(b).some((f) => f.includes('peak_sums'))).toBe(true);
    expect(readdirSync(b).some((f) => f.includes('-peaks-'))).toBe(false);
  });

  it('forbidCreationOf refuses to compute; time ranges need stored data', async () => {
    const ds = sample();
    const ctx = toyContext(ds, [new DataDirectory(tempDir())]);
    ctx.setContextConfig({ forbid_creation_of: ['peaks'] });
    await expect(ctx.getArray('001', 'peak_sums')).rejects.toThrow(/forbids creating it/);
    ctx.setContextConfig({ forbidCreationOf: [] });
    await expect(ctx.getArray('001', 'peaks', { timeRange: [ds.start, ds.end] })).rejects.toThrow(
      /make it first/,
    );
  });

  it('time ranges and seconds ranges select rows (fully contained or touching) from stored data', async () => {
    const ds = sample();
    const dir = tempDir();
    const ctx = toyContext(ds, [new DataDirectory(dir)]);
    await ctx.make('001', 'peaks');
    const all = await ctx.getArray('001', 'peaks');
    const t = all.i64('time'),
      e = all.i64('endtime');
    const a = t[5]! + 1n,
      b = e[15]!;
    const full = await ctx.getArray('001', 'peaks', { timeRange: [a, b] });
    const touch = await ctx.getArray('001', 'peaks', { timeRange: [a, b], timeSelection: 'touching' });
    const want = (pred: (i: number) => boolean): number =>
      Array.from({ length: all.length }, (_, i) => i).filter(pred).length;
    expect(full.length).toBe(want((i) => t[i]! >= a && e[i]! <= b));
    expect(touch.length).toBe(want((i) => e[i]! > a && t[i]! < b));
    // seconds since run start: no run metadata → first chunk start floored to whole seconds
    const t0 = (ds.start / 1_000_000_000n) * 1_000_000_000n;
    const s = await ctx.getArray('001', 'peaks', {
      secondsRange: [Number(a - t0) / 1e9, Number(b - t0) / 1e9],
    });
    expect(s.length).toBeGreaterThan(0);
    // run metadata wins when present
    new DataDirectory(dir).writeRunMetadata('001', {
      start: new Date(Number(ds.start / 1_000_000n) - 5000).toISOString(),
    });
    const ext = await ctx.runExtent('001', ['peaks']);
    expect(ext![0]).toBe(t0 - 5_000_000_000n);
  });
});
