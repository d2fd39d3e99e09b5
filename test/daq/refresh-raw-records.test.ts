// refresh_raw_records on old-format data made from current raw_records by the inverse
// transform: the conversion gives the current raw_records back bit for bit (chunk files
// included), also when interrupted and run again; converted data is refused; overlaps.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Records } from '../../src/core/records.js';
import { RefreshError, refreshRawRecords } from '../../src/daq/legacy/refresh-raw-records.js';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { loadAll } from '../../src/storage/load-all.js';
import { readMetadata } from '../../src/storage/metadata.js';
import { writeDataFolder } from './helpers/daq-state.js';
import { writeOldFormat } from './helpers/old-raw-records.js';
import { runTool, ensureBuilt } from '../helpers/cli.js';
import { makeFolders } from '../helpers/daq.js';

describe('refresh_raw_records', () => {
  let root: string;
  let cleanup: () => void;
  let current: string;
  let oldParent: string;

  beforeEach(async () => {
    const f = makeFolders();
    root = f.root;
    cleanup = f.cleanup;
    current = await writeDataFolder(join(root, 'current'), 7, 'raw_records', 'rrrrrrrrrr', {
      rows: 500,
      chunks: 5,
      seed: 3,
    });
    oldParent = join(root, 'old');
  });
  afterEach(() => cleanup());

  const files = (dir: string) =>
    Object.fromEntries(
      readdirSync(dir)
        .filter((f) => /-\d{6}$/.test(f))
        .map((f) => [f, readFileSync(join(dir, f))]),
    );

  it('round trip: old format -> current gives the original raw_records and chunk files bit for bit', async () => {
    const old = await writeOldFormat(current, oldParent);
    expect(files(old)).not.toEqual(files(current));
    const r = await refreshRawRecords({ parentFolder: oldParent, runId: '000007', noRunMetadata: true });
    expect(r).toMatchObject({ chunks: 5, rows: 500, dropped: 0 });
    expect(files(old)).toEqual(files(current));
    const a = await loadAll(join(root, 'current'), '000007', 'raw_records');
    const b = await loadAll(oldParent, '000007', 'raw_records');
    expect(b.toBytes()).toEqual(a.toBytes());
    const md = readMetadata(join(old, 'raw_records-rrrrrrrrrr-metadata.json'));
    expect(md.dtypeText).toBe(readMetadata(join(current, 'raw_records-rrrrrrrrrr-metadata.json')).dtypeText);
    expect(md.raw).toMatchObject({ converted_from_old_strax: '0.8.8', data_kind: 'raw_records' });
    // Chunks are contiguous and hold their rows.
    for (let i = 1; i < md.chunks.length; i++) expect(md.chunks[i]!.start).toBe(md.chunks[i - 1]!.end);
    // Converted data is refused.
    await expect(
      refreshRawRecords({ parentFolder: oldParent, runId: '000007', noRunMetadata: true }),
    ).rejects.toThrow(/already converted/);
  });

  it('with run metadata: the run start and end (whole seconds) bound the data; an interrupted conversion resumes', async () => {
    const old = await writeOldFormat(current, oldParent);
    const dir = new DataDirectory(oldParent);
    const t0 = (await loadAll(join(root, 'current'), '000007', 'raw_records')).i64('time')[0]!;
    const startS = Number(t0 / 1_000_000_000n);
    dir.writeRunMetadata('000007', {
      start: new Date(startS * 1000).toISOString(),
      end: new Date((startS + 10) * 1000).toISOString(),
    });
    await expect(
      refreshRawRecords({
        parentFolder: oldParent,
        runId: '000007',
        afterChunk: (i) => {
          if (i === 2) throw new Error('power cut');
        },
      }),
    ).rejects.toThrow(/power cut/);
    const r = await refreshRawRecords({ parentFolder: oldParent, runId: '000007' });
    expect(r.rows).toBe(500);
    expect(files(old)).toEqual(files(current));
    const md = readMetadata(join(old, 'raw_records-rrrrrrrrrr-metadata.json'));
    expect(md.start).toBe(BigInt(startS) * 1_000_000_000n);
    expect(md.end).toBe(BigInt(startS + 10) * 1_000_000_000n);
    expect(md.chunks[0]!.start).toBe(md.start);
  });

  it('records overlapping the previous chunk: refused, or dropped with --procrustean', async () => {
    // Chunk 2 gets a copy of chunk 1's last record in front.
    let lastOfPrevious: Records | null = null;
    await writeOldFormat(current, oldParent, (i, r) => {
      const out = i === 2 && lastOfPrevious ? Records.concat([lastOfPrevious, r], r.dtype) : r;
      lastOfPrevious = r.slice(r.length - 1);
      return out;
    });
    await expect(
      refreshRawRecords({ parentFolder: oldParent, runId: '000007', noRunMetadata: true }),
    ).rejects.toThrow(RefreshError);
    const r = await refreshRawRecords({
      parentFolder: oldParent,
      runId: '000007',
      noRunMetadata: true,
      procrustean: true,
    });
    expect(r).toMatchObject({ rows: 500, dropped: 1 });
    const b = await loadAll(oldParent, '000007', 'raw_records');
    expect(b.toBytes()).toEqual((await loadAll(join(root, 'current'), '000007', 'raw_records')).toBytes());
  });

  it('CLI: converts, then refuses converted data with one line and exit 2', async () => {
    ensureBuilt();
    await writeOldFormat(current, oldParent);
    const ok = await runTool('refresh_raw_records', [
      '000007',
      '--parent_folder',
      oldParent,
      '--no_run_metadata',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/converted .*: 5 chunks, 500 records/);
    const again = await runTool('refresh_raw_records', [
      '000007',
      '--parent_folder',
      oldParent,
      '--no_run_metadata',
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/already converted/);
    const none = await runTool('refresh_raw_records', ['000008', '--parent_folder', oldParent]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no raw_records of run 000008/);
  }, 120_000);
});
