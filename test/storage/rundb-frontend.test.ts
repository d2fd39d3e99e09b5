import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/core/chunk.js';
import { Records } from '../../src/core/records.js';
import { lineageHash } from '../../src/core/lineage.js';
import { unwrapPy } from '../../src/core/python/float.js';
import type { DataKey, SaveMetadata } from '../../src/core/storage-api.js';
import { openRunDb, type RunDb } from '../../src/rundb/rundb.js';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { DataNotAvailable, ReadOnlyStorage, StorageError } from '../../src/storage/errors.js';
import { loadAllWithMetadata } from '../../src/storage/load-all.js';
import { RunDbFrontend } from '../../src/storage/rundb-frontend.js';
import { REFERENCE_RUNS, referenceDataDir, referenceFolder, runNumber } from '../helpers/reference.js';
import { tempDir } from '../helpers/tmp.js';
import { DB_TARGETS } from '../helpers/rundb.js';

const HOST = 'eb3.xenon.local';
const TYPES = ['events', 'peak_basics'] as const;

async function reference(run: string, type: string) {
  const ref = await loadAllWithMetadata(referenceDataDir(run), runNumber(run), type);
  const key: DataKey = {
    runId: runNumber(run),
    dataType: type,
    lineage: ref.metadata.lineage,
    lineageHash: ref.key.lineageHash,
  };
  const md: SaveMetadata = {
    runId: key.runId,
    dataType: type,
    dataKind: ref.metadata.dataKind,
    dtype: ref.metadata.dtypeText,
    lineage: ref.metadata.lineage,
    lineageHash: key.lineageHash,
    compressor: ref.metadata.compressor,
    chunkTargetSizeMb: ref.metadata.chunkTargetSizeMb,
    rechunk: false,
  };
  return { ref, key, md };
}

async function bytesOf(chunks: AsyncIterable<Chunk>, like: Records): Promise<Buffer> {
  const parts: Records[] = [];
  for await (const c of chunks) parts.push(c.data);
  return Buffer.from(
    (parts.length ? Records.concat(parts, like.dtype) : Records.empty(like.dtype, 0)).toBytes(),
  );
}

describe.each(DB_TARGETS)('runs-database storage frontend on $dialect', (target) => {
  let db: RunDb;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const f = target.fresh();
    drop = f.drop;
    db = await openRunDb(f.url);
    for (const run of REFERENCE_RUNS)
      await db.insertRun({ number: Number(runNumber(run)), start: new Date('2025-12-06T06:20:00Z') });
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });

  for (const run of REFERENCE_RUNS) {
    it(`finds straxen-registered data of ${run} on this host and its aliases only`, async () => {
      const fe = new RunDbFrontend(db, { hostname: HOST, hostAliases: ['dali'] });
      expect(fe.readonly).toBe(true);
      for (const type of TYPES) {
        const { ref, key } = await reference(run, type);
        const location = join(referenceDataDir(run), referenceFolder(run, type));
        expect(await fe.isStored(key)).toBe(false);
        await db.registerData({
          run: Number(key.runId),
          type,
          host: 'eb5.xenon.local',
          location,
          lineageHash: key.lineageHash,
        });
        await db.registerData({
          run: Number(key.runId),
          type,
          host: 'rucio-catalogue',
          location,
          lineageHash: key.lineageHash,
        });
        expect(await fe.isStored(key)).toBe(false);
        await expect(bytesOf(fe.load(key), ref.records)).rejects.toThrow(
          /not registered for host eb3.xenon.local/,
        );
        await db.registerData({
          run: Number(key.runId),
          type,
          host: 'dali',
          location,
          lineageHash: key.lineageHash,
          lineage: key.lineage,
        });
        expect(await fe.isStored(key)).toBe(true);
        expect((await bytesOf(fe.load(key), ref.records)).equals(Buffer.from(ref.records.toBytes()))).toBe(
          true,
        );
        const other = { ...key, lineageHash: 'aaaaaaaaaa' };
        expect(await fe.isStored(other)).toBe(false);
      }
    });

    it(`saves ${run} into the data directory and registers it`, async () => {
      const out = tempDir();
      const fe = new RunDbFrontend(db, { hostname: HOST, newDataPath: out });
      for (const type of TYPES) {
        const { ref, key, md } = await reference(run, type);
        const saver = await fe.saver(key, md);
        // registered before writing, pointing at a folder that does not exist yet
        const [entry] = await db.findData(Number(key.runId), type, key.lineageHash, { hosts: [HOST] });
        expect(entry).toMatchObject({
          host: HOST,
          status: 'transferring',
          location: join(out, `${key.runId}-${type}-${key.lineageHash}`),
          protocol: 'FileSytemBackend',
        });
        expect(entry!.lineage).toEqual(key.lineage); // exact, floats as PyFloat
        expect(lineageHash(entry!.lineage!)).toBe(key.lineageHash);
        expect(entry!.meta).toEqual({ lineage: unwrapPy(key.lineage) });
        expect(existsSync(entry!.location)).toBe(false);
        expect(await fe.isStored(key)).toBe(false);
        for await (const c of new DataDirectory(referenceDataDir(run), { readonly: true }).load(key))
          await saver.save(c);
        await saver.close();
        expect((await db.updateData(entry!.id, {}))?.status).toBe('complete');
        expect(await fe.isStored(key)).toBe(true);
        expect((await bytesOf(fe.load(key), ref.records)).equals(Buffer.from(ref.records.toBytes()))).toBe(
          true,
        );
        // the folder is a plain strax data directory entry
        expect(
          (await bytesOf(new DataDirectory(out, { readonly: true }).load(key), ref.records)).equals(
            Buffer.from(ref.records.toBytes()),
          ),
        ).toBe(true);
        await expect(fe.saver(key, md)).rejects.toThrow(StorageError);
        await expect(fe.saver(key, md)).rejects.toThrow(/already stored and registered/);
      }
    });
  }

  it('records a failed save and never takes it for data', async () => {
    const out = tempDir();
    const fe = new RunDbFrontend(db, { hostname: 'eb4', newDataPath: out });
    const { key, md } = await reference('run012100', 'events');
    const saver = await fe.saver(key, md);
    for await (const c of new DataDirectory(referenceDataDir('run012100'), { readonly: true }).load(key))
      await saver.save(c);
    await saver.fail(new Error('plugin crashed'));
    const [entry] = await db.findData(12100, 'events', key.lineageHash, { hosts: ['eb4'] });
    expect(entry?.status).toBe('failed');
    expect(await fe.isStored(key)).toBe(false);
    expect(await fe.isStored(key, { allowIncomplete: true })).toBe(false);
    // overwriting a failed attempt needs no permission; the entry is reused
    const again = await fe.saver(key, md);
    for await (const c of new DataDirectory(referenceDataDir('run012100'), { readonly: true }).load(key))
      await again.save(c);
    await again.close();
    const after = await db.findData(12100, 'events', key.lineageHash, { hosts: ['eb4'] });
    expect(after.map((e) => [e.id, e.status])).toEqual([[entry!.id, 'complete']]);
  });

  it('refuses what it cannot save, with clear errors', async () => {
    const { key, md } = await reference('run012100', 'events');
    await expect(new RunDbFrontend(db, { hostname: HOST }).saver(key, md)).rejects.toThrow(ReadOnlyStorage);
    const fe = new RunDbFrontend(db, { hostname: 'eb9', newDataPath: tempDir() });
    await expect(fe.saver({ ...key, runId: '_superrun' }, md)).rejects.toThrow(DataNotAvailable);
    await expect(fe.saver({ ...key, runId: '999999' }, md)).rejects.toThrow(/no such run/);
    expect(await fe.isStored({ ...key, runId: '_superrun' })).toBe(false);
  });

  it('provides the run document as run metadata', async () => {
    const fe = new RunDbFrontend(db, { hostname: HOST });
    const md = await fe.runMetadata('012100');
    expect(md).toMatchObject({
      number: 12100,
      name: '012100',
      start: new Date('2025-12-06T06:20:00Z'),
      end: null,
    });
    expect(await fe.runMetadata('424242')).toBeNull();
    expect(await fe.runMetadata('_x')).toBeNull();
  });
});
