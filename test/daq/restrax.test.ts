// restrax on built states, SQLite and PostgreSQL: what is rechunked (compressor, chunk size)
// and what only moved, the data entries afterwards, the test mode changing nothing, failures
// recorded, settings from the runs database.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Restrax, type RestraxOptions } from '../../src/daq/restrax/restrax.js';
import { folderMetadata } from '../../src/daq/restrax/rechunk.js';
import { loadAll } from '../../src/storage/load-all.js';
import { DB_TARGETS } from '../helpers/rundb.js';
import {
  HOST,
  addRun,
  hashDatabase,
  hashFolder,
  makeRows,
  registerFolder,
  writeDataFolder,
} from './helpers/daq-state.js';
import { daqCaseEach } from '../helpers/daq.js';

const TYPES: [string, number][] = [
  ['raw_records', 6],
  ['peaklets', 5],
  ['event_info', 4],
  ['peak_basics', 2],
];

describe.each(DB_TARGETS)('restrax on $dialect', (target) => {
  const c = daqCaseEach(target);

  async function bootstraxOutput(n: number, rate = 10): Promise<Record<string, string>> {
    await addRun(c.db, { number: n, status: 'eb_finished_pre', rate: { tpc: { avg: rate, max: rate } } });
    const out: Record<string, string> = {};
    for (const [t, chunks] of TYPES) {
      out[t] = await writeDataFolder(c.folders.preProcessed, n, t, 'hhhhhhhhhh', { chunks, rows: 60 });
      await registerFolder(c.db, n, HOST, out[t]!, t, 'hhhhhhhhhh');
    }
    return out;
  }

  const restrax = (production: boolean, extra: Partial<RestraxOptions> = {}) =>
    new Restrax(c.db, {
      hostname: HOST,
      inputFolder: c.folders.preProcessed,
      folders: c.folders,
      production,
      softwareVersion: 'test',
      log: () => undefined,
      ...extra,
    });

  it('rechunks raw and peak data with the chosen compressors, moves the rest, re-points every entry', async () => {
    const src = await bootstraxOutput(1);
    const movedBefore = hashFolder(src.event_info!);
    const r = restrax(true, { settings: { deep_compare: true } });
    expect((await r.step())?.number).toBe(1);
    const run = (await c.db.getRun(1))!;
    expect(run.status).toBe('eb_ready_to_upload');
    expect(run.restrax).toMatchObject({ state: 'done', n_tries: 1, host: HOST });
    expect(readdirSync(c.folders.preProcessed)).toEqual([]);
    const byType = Object.fromEntries(run.data!.map((e) => [e.type, e]));
    for (const [t] of TYPES) {
      const e = byType[t]!;
      expect(e.location).toBe(join(c.folders.processed, `000001-${t}-hhhhhhhhhh`));
      expect(e.fileCount).toBe(readdirSync(e.location).length);
      const rows = await loadAll(c.folders.processed, '000001', t);
      expect(rows.toBytes()).toEqual(makeRows(t, 1, 60, 0).toBytes());
    }
    // Low rate: bz2 for raw_records; peak* gets zstd (straxen's reversed pattern test gave it none).
    expect(folderMetadata(byType.raw_records!.location)).toMatchObject({
      compressor: 'bz2',
      chunkTargetSizeMb: 5000,
    });
    expect(folderMetadata(byType.raw_records!.location).chunks).toHaveLength(1);
    expect(folderMetadata(byType.peaklets!.location)).toMatchObject({
      compressor: 'zstd',
      chunkTargetSizeMb: 1500,
    });
    expect(byType.peaklets!.meta).toMatchObject({
      compressor: 'zstd',
      lineage_hash: 'hhhhhhhhhh',
      size_mb: 0,
    });
    // event_info (matches *event*) and peak_basics (2 chunks) are moved untouched, as hard links.
    expect(hashFolder(byType.event_info!.location)).toBe(movedBefore);
    expect(folderMetadata(byType.peak_basics!.location).chunks).toHaveLength(2);
    expect(
      statSync(join(byType.event_info!.location, readdirSync(byType.event_info!.location)[0]!)).nlink,
    ).toBe(1);
    expect(await c.db.listDeletedData(1)).toEqual([]);
    expect(await r.step()).toBeUndefined(); // nothing left to do
  });

  it('a busy run (high rate) gets zstd for raw_records; test mode writes only to the test folder', async () => {
    await bootstraxOutput(2, 80);
    const before = [hashFolder(c.folders.preProcessed), await hashDatabase(c.db)];
    await restrax(false).step(2);
    expect([hashFolder(c.folders.preProcessed), await hashDatabase(c.db)]).toEqual(before);
    expect(folderMetadata(join(c.folders.testProcessed, '000002-raw_records-hhhhhhhhhh')).compressor).toBe(
      'zstd',
    );
    expect(readdirSync(c.folders.processed)).toEqual([]);
  });

  it('a registered folder that is missing fails the run, recorded, nothing moved', async () => {
    const src = await bootstraxOutput(3);
    await registerFolder(
      c.db,
      3,
      HOST,
      join(c.folders.preProcessed, '000003-pulse_counts-hhhhhhhhhh'),
      'pulse_counts',
      'hhhhhhhhhh',
    );
    await expect(restrax(true).step()).rejects.toThrow(/pulse_counts-hhhhhhhhhh is registered but missing/);
    const run = (await c.db.getRun(3))!;
    expect(run.status).toBe('eb_finished_pre');
    expect(run.restrax).toMatchObject({ state: 'failed', n_tries: 1 });
    for (const p of Object.values(src)) expect(existsSync(p)).toBe(true);
    // Retried later (n_tries counts once per attempt).
    await expect(restrax(true).step()).rejects.toThrow();
    expect((await c.db.getRun(3))!.restrax).toMatchObject({ n_tries: 2 });
  });

  it('settings from the runs database: bypass mode moves everything; a wrong-typed value is ignored', async () => {
    await bootstraxOutput(4);
    await c.db.putSettings('restrax_config', {
      name: 'restrax_config',
      bypass_mode: true,
      max_threads: 'many',
    });
    const warnings: string[] = [];
    const r = restrax(true, { log: (l) => warnings.push(l) });
    await r.step();
    expect(r.current.bypass_mode).toBe(true);
    expect(r.current.max_threads).toBe(2);
    expect(warnings.some((w) => /ignoring max_threads/.test(w))).toBe(true);
    const raw = (await c.db.listData(4, { type: 'raw_records' }))[0]!;
    expect(folderMetadata(raw.location)).toMatchObject({ compressor: 'lz4' });
    expect(folderMetadata(raw.location).chunks).toHaveLength(6);
  });
});
