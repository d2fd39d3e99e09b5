// Damage reported as damage: a chunk file truncated, deleted or with flipped bytes is found by
// the listing, by `straxts verify` and on load, each naming the file.

import { readFileSync, readdirSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lineageHash } from '../../src/core/lineage.js';
import type { DataKey } from '../../src/core/storage-api.js';
import { getCodec } from '../../src/storage/codecs/index.js';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { DataCorrupted } from '../../src/storage/errors.js';
import { loadAll, loadAllWithMetadata } from '../../src/storage/load-all.js';
import { metadataFileName, readMetadata } from '../../src/storage/metadata.js';
import { verifyDirectory } from '../../src/storage/verify.js';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import { referenceDataDir } from '../helpers/reference.js';
import { tempDir } from '../helpers/tmp.js';

beforeAll(() => ensureBuilt(), 300_000);

/** Reference `type` of run012100 re-saved by straxts (so with checksums) into a fresh folder. */
async function resaved(
  type: string,
): Promise<{ dir: string; folder: string; files: string[]; key: DataKey }> {
  const ref = await loadAllWithMetadata(referenceDataDir('run012100'), '012100', type);
  const md = ref.metadata;
  const key: DataKey = {
    runId: '012100',
    dataType: type,
    lineage: md.lineage,
    lineageHash: lineageHash(md.lineage),
  };
  const dir = tempDir('straxts-damage-');
  const src = new DataDirectory(referenceDataDir('run012100'), { readonly: true });
  const saver = await new DataDirectory(dir).saver(key, {
    runId: '012100',
    dataType: type,
    dataKind: md.dataKind,
    dtype: md.dtypeText,
    lineage: md.lineage,
    lineageHash: key.lineageHash,
    compressor: md.compressor,
    chunkTargetSizeMb: md.chunkTargetSizeMb,
    rechunk: false,
  });
  for await (const c of src.load(key)) await saver.save(c);
  await saver.close();
  const folder = join(dir, `012100-${type}-${key.lineageHash}`);
  const files = readdirSync(folder)
    .filter((f) => /-\d{6}$/.test(f))
    .sort();
  return { dir, folder, files, key };
}

describe('damaged chunk files', () => {
  it('the metadata records a sha256 checksum of each chunk file', async () => {
    const { folder, files, key } = await resaved('peaks');
    const md = readMetadata(join(folder, metadataFileName('peaks', key.lineageHash)));
    expect(md.chunks[0]!.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    const { createHash } = await import('node:crypto');
    expect(md.chunks[0]!.checksum).toBe(
      `sha256:${createHash('sha256')
        .update(readFileSync(join(folder, files[0]!)))
        .digest('hex')}`,
    );
    // Strax's layout otherwise: the key sits among the chunk entry's sorted keys.
    const text = readFileSync(join(folder, metadataFileName('peaks', key.lineageHash)), 'utf8');
    expect(text).toMatch(/\{\n {12}"checksum": "sha256:[0-9a-f]{64}",\n {12}"chunk_i": 0,/);
  });

  it('a zstd chunk with 4 flipped bytes that still decodes is refused on load and by verify', async () => {
    const { dir, folder, files } = await resaved('peaks');
    const file = join(folder, files[0]!);
    const bytes = readFileSync(file);
    const n = bytes.length;
    // Flip bytes in the second half until zstd still decodes the damaged file (so only the
    // checksum can tell): the damage the issue saw.
    let flipped: Buffer | null = null;
    for (let at = Math.floor(n * 0.6); at < n - 20 && !flipped; at += 7) {
      const b = Buffer.from(bytes);
      for (let i = 0; i < 4; i++) b[at + i] = b[at + i]! ^ 0x5a;
      try {
        const raw = await getCodec('zstd', file).decompress(b);
        if (raw.length > 0) flipped = b;
      } catch {
        /* this spot breaks the frame; try another */
      }
    }
    expect(flipped, 'found no 4-byte flip that zstd decodes').not.toBeNull();
    writeFileSync(file, flipped!);
    const err = await loadAll(dir, '012100', 'peaks').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataCorrupted);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toMatch(/checksum/);
    const [v] = await verifyDirectory(dir);
    expect(v!.problems.join(' ')).toMatch(/checksum/);
  });

  it('ls shows a truncated or deleted chunk file as not complete, naming it', async () => {
    const { dir, folder, files } = await resaved('raw_records');
    expect(files.length).toBeGreaterThan(1);
    const first = join(folder, files[0]!);
    const size = statSync(first).size;
    truncateSync(first, size - 100);
    let r = await runTool('straxts', ['ls', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `no (chunk file ${files[0]} has ${size - 100} bytes, the metadata says ${size})`,
    );
    unlinkSync(join(folder, files[1]!));
    truncateSync(first, size);
    writeFileSync(first, readFileSync(first)); // same length again, damage in the second file only
    r = await runTool('straxts', ['ls', dir]);
    expect(r.stdout).toContain(`no (chunk file ${files[1]} is missing)`);
  });

  it('straxts verify: every reference folder is sound; damage gives DAMAGED lines and exit 1', async () => {
    const good = await runTool('straxts', ['verify', referenceDataDir('run012100')]);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toMatch(/^20 sound, 0 damaged$/m);
    const { dir, folder, files } = await resaved('raw_records');
    unlinkSync(join(folder, files[0]!));
    const bad = await runTool('straxts', ['verify', dir, '012100', 'raw_records']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      new RegExp(`^DAMAGED  012100-raw_records-\\w+: chunk file ${files[0]} is missing`, 'm'),
    );
    const none = await runTool('straxts', ['verify', dir, '012100', 'peaks']);
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('verify finds rows outside their chunk in data without checksums (as strax writes it)', async () => {
    const { dir, folder, key } = await resaved('peaks');
    const metaFile = join(folder, metadataFileName('peaks', key.lineageHash));
    const text = readFileSync(metaFile, 'utf8').replace(/ {12}"checksum": "[^"]*",\n/g, '');
    // The chunk claims to end before its last row does.
    const md = readMetadata(metaFile);
    const end = md.chunks[0]!.end;
    writeFileSync(metaFile, text.replace(`"end": ${end},`, `"end": ${end - 10n ** 9n},`));
    const [v] = await verifyDirectory(dir);
    expect(v!.problems.join(' ')).toMatch(/lies outside the chunk|not the last chunk's end/);
  });
});
