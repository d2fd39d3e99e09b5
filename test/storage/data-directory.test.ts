import { describe, expect, it } from 'vitest';
import {
  cpSync,
  readFileSync,
  readdirSync,
  existsSync,
  writeFileSync,
  unlinkSync,
  rmSync,
  chmodSync,
} from 'node:fs';
import { join } from 'node:path';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { loadAll, loadAllWithMetadata } from '../../src/storage/load-all.js';
import { readMetadata, metadataFileName } from '../../src/storage/metadata.js';
import {
  DataCorrupted,
  DataIncomplete,
  DataNotAvailable,
  ReadOnlyStorage,
} from '../../src/storage/errors.js';
import { pyJsonParse, pyJsonDumps, type PyJson } from '../../src/core/python/json.js';
import { lineageHash } from '../../src/core/lineage.js';
import { Chunk } from '../../src/core/chunk.js';
import type { DataKey, SaveMetadata } from '../../src/core/storage-api.js';
import {
  REFERENCE_RUNS,
  REFERENCE,
  loadReferenceNpy,
  referenceDataDir,
  referenceFolder,
  referenceNpyTypes,
  runNumber,
} from '../helpers/reference.js';
import { tempDir } from '../helpers/tmp.js';

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

describe('golden reads of every reference data type', () => {
  for (const run of REFERENCE_RUNS) {
    const summary = JSON.parse(readFileSync(join(REFERENCE, run, 'npy', 'summary.json'), 'utf8')) as Record<
      string,
      { rows: number; chunks: number; lineage_hash: string }
    >;
    for (const type of referenceNpyTypes(run)) {
      it(`${run} ${type}`, async () => {
        const { records, metadata, key } = await loadAllWithMetadata(
          referenceDataDir(run),
          runNumber(run),
          type,
        );
        expect(records.length).toBe(summary[type]!.rows);
        expect(metadata.chunks.length).toBe(summary[type]!.chunks);
        expect(key.lineageHash).toBe(summary[type]!.lineage_hash);
        const ref = loadReferenceNpy(run, type);
        expect(records.dtype.sameLayout(ref.records.dtype)).toBe(true);
        const mine = ref.head ? records.slice(0, ref.records.length) : records;
        expect(mine.length).toBe(ref.records.length);
        expect(same(mine.toBytes(), ref.records.toBytes())).toBe(true);
      });
    }
  }
});

/** A reference folder copied into a scratch data directory (to damage it). */
function scratchCopy(run: string, type: string): { dir: string; folder: string; meta: string } {
  const dir = tempDir();
  const folder = referenceFolder(run, type);
  cpSync(join(referenceDataDir(run), folder), join(dir, folder), { recursive: true });
  for (const f of readdirSync(join(dir, folder))) chmodSync(join(dir, folder, f), 0o644);
  chmodSync(join(dir, folder), 0o755);
  const [, dt, hash] = folder.split('-');
  return { dir, folder: join(dir, folder), meta: join(dir, folder, metadataFileName(dt!, hash!)) };
}

describe('bad input gives one clear error naming the file', () => {
  const run = 'run012100';
  const rn = runNumber(run);
  it('corrupt chunk', async () => {
    const s = scratchCopy(run, 'peaks');
    const f = join(
      s.folder,
      readdirSync(s.folder).find((x) => /-\d{6}$/.test(x))!,
    );
    const b = readFileSync(f);
    for (let i = 40; i < b.length; i += 97) b[i]! ^= 0x5a;
    writeFileSync(f, b);
    await expect(loadAll(s.dir, rn, 'peaks')).rejects.toThrow(DataCorrupted);
    await expect(loadAll(s.dir, rn, 'peaks')).rejects.toThrow(f);
  });
  it('truncated chunk (blosc)', async () => {
    const s = scratchCopy(run, 'event_info');
    const f = join(
      s.folder,
      readdirSync(s.folder).find((x) => /-\d{6}$/.test(x))!,
    );
    writeFileSync(f, readFileSync(f).subarray(0, 100));
    await expect(loadAll(s.dir, rn, 'event_info')).rejects.toThrow(new RegExp(`${f}: corrupt chunk`));
  });
  it('missing chunk file', async () => {
    const s = scratchCopy(run, 'raw_records');
    const f = join(
      s.folder,
      readdirSync(s.folder)
        .filter((x) => /-\d{6}$/.test(x))
        .sort()[2]!,
    );
    unlinkSync(f);
    await expect(loadAll(s.dir, rn, 'raw_records')).rejects.toThrow(`${f}: chunk file is missing`);
  });
  it('truncated metadata', async () => {
    const s = scratchCopy(run, 'events');
    writeFileSync(s.meta, readFileSync(s.meta, 'utf8').slice(0, 200));
    await expect(loadAll(s.dir, rn, 'events')).rejects.toThrow(DataCorrupted);
    await expect(loadAll(s.dir, rn, 'events')).rejects.toThrow(s.meta);
  });
  it('missing metadata', async () => {
    const s = scratchCopy(run, 'events');
    unlinkSync(s.meta);
    await expect(loadAll(s.dir, rn, 'events')).rejects.toThrow(`${s.meta}: metadata file is missing`);
  });
  it('unknown compressor', async () => {
    const s = scratchCopy(run, 'events');
    writeFileSync(
      s.meta,
      readFileSync(s.meta, 'utf8').replace('"compressor": "blosc"', '"compressor": "snappy"'),
    );
    await expect(loadAll(s.dir, rn, 'events')).rejects.toThrow(
      /unknown compressor 'snappy' \(in .*events-p7vyfccyw4-000000\)/,
    );
  });
  it('wrong row count in metadata', async () => {
    const s = scratchCopy(run, 'events');
    writeFileSync(s.meta, readFileSync(s.meta, 'utf8').replace('"n": 65', '"n": 66'));
    await expect(loadAll(s.dir, rn, 'events')).rejects.toThrow(
      /holds \d+ bytes, but the metadata says 66 rows/,
    );
  });
  it('incomplete data is never taken as complete', async () => {
    const s = scratchCopy(run, 'events');
    const md = pyJsonParse(readFileSync(s.meta, 'utf8')) as { [k: string]: PyJson };
    delete md.writing_ended;
    writeFileSync(s.meta, pyJsonDumps(md, { sortKeys: true, indent: 4 }));
    const dd = new DataDirectory(s.dir, { readonly: true });
    const key = { runId: rn, dataType: 'events', lineageHash: 'p7vyfccyw4' };
    expect(await dd.isStored(key)).toBe(false);
    expect(await dd.isStored(key, { allowIncomplete: true })).toBe(true);
    await expect(loadAll(s.dir, rn, 'events')).rejects.toThrow(DataIncomplete);
    expect((await loadAll(s.dir, rn, 'events', { allowIncomplete: true })).length).toBe(65);
  });
  it('failed data (exception in metadata) is refused', async () => {
    const s = scratchCopy(run, 'events');
    const md = pyJsonParse(readFileSync(s.meta, 'utf8')) as { [k: string]: PyJson };
    md.exception = 'Traceback (most recent call last):\nValueError: boom';
    writeFileSync(s.meta, pyJsonDumps(md, { sortKeys: true, indent: 4 }));
    const dd = new DataDirectory(s.dir, { readonly: true });
    expect(
      await dd.isStored(
        { runId: rn, dataType: 'events', lineageHash: 'p7vyfccyw4' },
        { allowIncomplete: true },
      ),
    ).toBe(false);
    await expect(loadAll(s.dir, rn, 'events')).rejects.toThrow(/writing failed \(ValueError: boom\)/);
  });
  it('absent data', async () => {
    await expect(loadAll(referenceDataDir(run), rn, 'no_such_type')).rejects.toThrow(DataNotAvailable);
    const dd = new DataDirectory(referenceDataDir(run), { readonly: true });
    expect(await dd.isStored({ runId: rn, dataType: 'peaks', lineageHash: 'aaaaaaaaaa' })).toBe(false);
    expect(await dd.isStored({ runId: rn, dataType: 'peaks', lineageHash: '3hvqymvt7u' })).toBe(true);
  });
  it('read-only frontend refuses to save', async () => {
    const dd = new DataDirectory(tempDir(), { readonly: true });
    const key: DataKey = { runId: '1', dataType: 'x', lineage: {}, lineageHash: lineageHash({}) };
    await expect(dd.saver(key, {} as SaveMetadata)).rejects.toThrow(ReadOnlyStorage);
  });
});

describe('saving as strax does', () => {
  for (const type of ['peaks', 'event_info', 'raw_records']) {
    it(`re-saving reference ${type} gives strax's metadata and equal data`, async () => {
      const run = 'run012100';
      const rn = runNumber(run);
      const src = new DataDirectory(referenceDataDir(run), { readonly: true });
      const folder = referenceFolder(run, type);
      const [, , hash] = folder.split('-');
      const refMd = readMetadata(join(referenceDataDir(run), folder, metadataFileName(type, hash!)));
      const key: DataKey = {
        runId: rn,
        dataType: type,
        lineage: refMd.lineage,
        lineageHash: lineageHash(refMd.lineage),
      };
      expect(key.lineageHash).toBe(hash);
      const out = new DataDirectory(tempDir());
      const saver = await out.saver(key, {
        runId: rn,
        dataType: type,
        dataKind: refMd.dataKind,
        dtype: refMd.dtypeText,
        lineage: refMd.lineage,
        lineageHash: key.lineageHash,
        compressor: refMd.compressor,
        chunkTargetSizeMb: refMd.chunkTargetSizeMb,
        rechunk: false,
      });
      for await (const c of src.load(key)) {
        await saver.save(c);
        // While writing, only the _temp folder exists and it is not complete.
        expect(existsSync(join(out.path, folder))).toBe(false);
        expect(await out.isStored(key)).toBe(false);
      }
      await saver.close();
      expect(existsSync(join(out.path, `${folder}_temp`))).toBe(false);
      const mine = readFileSync(join(out.path, folder, metadataFileName(type, hash!)), 'utf8');
      const theirs = readFileSync(join(referenceDataDir(run), folder, metadataFileName(type, hash!)), 'utf8');
      const strip = (t: string): string =>
        t
          .replace(/"(writing_started|writing_ended)": [\d.e+]+/g, '"$1": 0')
          .replace(/"filesize": \d+/g, '"filesize": 0');
      // straxts adds one key per chunk entry (its file's checksum); all else is strax's text.
      const checksums = /\n {12}"checksum": "sha256:[0-9a-f]{64}",/g;
      expect(mine.match(checksums)?.length).toBe(refMd.chunks.filter((c) => c.n > 0).length);
      expect(strip(mine.replace(checksums, ''))).toBe(strip(theirs));
      const a = await loadAll(out.path, rn, type);
      const b = await loadAll(referenceDataDir(run), rn, type);
      expect(same(a.toBytes(), b.toBytes())).toBe(true);
    });
  }

  it('a failure is recorded and the data is not complete', async () => {
    const out = new DataDirectory(tempDir());
    const ref = await loadAllWithMetadata(referenceDataDir('run012100'), '012100', 'events');
    const key: DataKey = {
      runId: '012100',
      dataType: 'events',
      lineage: ref.metadata.lineage,
      lineageHash: ref.key.lineageHash,
    };
    const saver = await out.saver(key, {
      runId: '012100',
      dataType: 'events',
      dataKind: 'events',
      dtype: ref.metadata.dtypeText,
      lineage: ref.metadata.lineage,
      lineageHash: key.lineageHash,
      compressor: 'zstd',
      chunkTargetSizeMb: 200,
    });
    await saver.save(
      new Chunk({
        runId: '012100',
        dataType: 'events',
        dataKind: 'events',
        start: ref.metadata.start!,
        end: ref.metadata.end!,
        data: ref.records,
      }),
    );
    await saver.fail(new Error('plugin crashed'));
    expect(await out.isStored(key)).toBe(false);
    expect(await out.isStored(key, { allowIncomplete: true })).toBe(false);
    const md = readMetadata(
      join(out.path, `012100-events-${key.lineageHash}`, metadataFileName('events', key.lineageHash)),
    );
    expect(md.exception).toMatch(/plugin crashed/);
    expect(md.writingEnded).toBe(true);
    await expect(loadAll(out.path, '012100', 'events')).rejects.toThrow(DataIncomplete);
  });

  it('run metadata files', () => {
    const dd = new DataDirectory(tempDir());
    dd.writeRunMetadata('012345', { start: 1765001000, mode: 'tpc_commissioning' });
    expect(readFileSync(dd.runMetadataPath('012345'), 'utf8')).toBe(
      '{\n    "mode": "tpc_commissioning",\n    "name": "012345",\n    "start": 1765001000\n}',
    );
    expect(dd.runMetadata('012345').mode).toBe('tpc_commissioning');
    expect(() => dd.runMetadata('999')).toThrow(DataNotAvailable);
  });

  it('an old _temp folder is replaced, and a leftover _temp is not data', async () => {
    const dir = tempDir();
    const dd = new DataDirectory(dir);
    const key: DataKey = { runId: '7', dataType: 't', lineage: {}, lineageHash: lineageHash({}) };
    const folder = join(dir, `7-t-${key.lineageHash}`);
    cpSync(join(referenceDataDir('run012100'), referenceFolder('run012100', 'events')), `${folder}_temp`, {
      recursive: true,
    });
    expect(await dd.isStored(key)).toBe(false);
    expect(dd.entries().map((e) => [e.temp, e.complete])).toEqual([[true, false]]);
    rmSync(`${folder}_temp`, { recursive: true, force: true });
  });
});
