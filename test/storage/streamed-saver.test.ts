// The saver streams each chunk file in blocks: for random rows, chunkings, targets, codecs and
// block sizes its files hold exactly the rows and chunk boundaries of strax's rechunking and of
// the whole-chunk writer (every file compressed in one go); Python strax reads streamed files of
// every codec; a writer killed mid-file leaves nothing that looks complete.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Chunk } from '../../src/core/chunk.js';
import { DType } from '../../src/core/dtype.js';
import { lineageHash } from '../../src/core/lineage.js';
import { Records } from '../../src/core/records.js';
import type { DataKey, Lineage, SaveMetadata } from '../../src/core/storage-api.js';
import { checksumMismatch } from '../../src/storage/checksum.js';
import { chunkFileProblem } from '../../src/storage/chunk-files.js';
import { DirectorySaver } from '../../src/storage/directory-saver.js';
import { readMetadata, metadataFileName, type DataMetadata } from '../../src/storage/metadata.js';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { ROOT, ensureBuilt } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { straxRechunk } from '../oracles/rechunk.js';

const T0 = 1_765_001_000_000_000_000n;
const DTYPE = DType.of([
  { name: 'time', type: '<i8' },
  { name: 'length', type: '<i4' },
  { name: 'dt', type: '<i2' },
  { name: 'channel', type: '<i2' },
  { name: 'area', type: '<f4' },
  { name: 'data', type: '<i2', shape: [40] },
]);

/** Rows like pulses: sorted times with gaps of random size, waveforms padded with zeros. */
function pulses(n: number, seed: number): Records {
  const r = Records.empty(DTYPE, n);
  let x = seed >>> 0 || 1;
  const rnd = (): number => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
  const t = r.i64('time'),
    len = r.i32('length'),
    dt = r.i16('dt'),
    ch = r.i16('channel'),
    area = r.f32('area'),
    data = r.i16('data');
  let now = T0;
  for (let i = 0; i < n; i++) {
    const l = 1 + (rnd() % 40);
    t[i] = now;
    len[i] = l;
    dt[i] = 10;
    ch[i] = rnd() % 494;
    area[i] = (rnd() % 10000) / 7;
    for (let k = 0; k < l; k++) data[i * 40 + k] = (rnd() % 300) - 20;
    now += BigInt(l * 10 + (rnd() % 2500));
  }
  return r;
}

function chunksOf(r: Records, cuts: number[], targetSizeMb: number): Chunk[] {
  const t = r.i64('time');
  const bounds = [...new Set(cuts.map((c) => Math.min(c, r.length)))].sort((a, b) => a - b);
  const out: Chunk[] = [];
  let from = 0,
    start = T0;
  for (const c of [...bounds.filter((b) => b > 0 && b < r.length), r.length]) {
    const end = c === r.length ? (r.length ? t[r.length - 1]! + 1000n : T0 + 5n) : t[c]!;
    out.push(
      new Chunk({
        runId: '000042',
        dataType: 'pulses',
        dataKind: 'pulses',
        start,
        end,
        data: r.slice(from, c),
        targetSizeMb,
      }),
    );
    from = c;
    start = end;
  }
  return out;
}

const lineage: Lineage = { pulses: ['Pulses', '0.0.1', {}] };
const key: DataKey = { runId: '000042', dataType: 'pulses', lineage, lineageHash: lineageHash(lineage) };
const folderName = `000042-pulses-${key.lineageHash}`;

function meta(compressor: string, targetSizeMb: number, maxBufferMb: number): SaveMetadata {
  return {
    runId: '000042',
    dataType: 'pulses',
    dataKind: 'pulses',
    dtype: DTYPE.toDescr(),
    lineage,
    lineageHash: key.lineageHash,
    compressor,
    chunkTargetSizeMb: targetSizeMb,
    maxBufferMb,
  };
}

async function save(dir: string, chunks: Chunk[], m: SaveMetadata): Promise<DataMetadata> {
  const saver = await DirectorySaver.open(join(dir, folderName), key, m);
  for (const c of chunks) await saver.save(c);
  await saver.close();
  return readMetadata(join(dir, folderName, metadataFileName('pulses', key.lineageHash)));
}

async function loaded(dir: string): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const c of new DataDirectory(dir, { readonly: true }).load(key)) out.push(c);
  return out;
}

const sameRows = (a: Records, b: Records): boolean =>
  a.length === b.length && Buffer.compare(Buffer.from(a.toBytes()), Buffer.from(b.toBytes())) === 0;

describe('streamed chunk files', () => {
  it('hold the rows and boundaries of strax and of the whole-chunk writer (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1200 }),
        fc.integer(),
        fc.array(fc.nat(1200), { maxLength: 8 }),
        fc.integer({ min: 20, max: 600 }),
        fc.constantFrom('zstd', 'lz4', 'blosc', 'bz2'),
        fc.integer({ min: 4, max: 60 }),
        async (n, seed, cuts, targetRows, compressor, blockRows) => {
          const rows = pulses(n, seed);
          const target = (targetRows * DTYPE.itemsize) / 1e6;
          const chunks = chunksOf(rows, cuts, target);
          const streamedDir = tempDir(),
            wholeDir = tempDir();
          const streamed = await save(
            streamedDir,
            chunks,
            meta(compressor, target, (blockRows * DTYPE.itemsize) / 1e6),
          );
          // A block larger than any file: every file compressed in one go, as before streaming.
          const whole = await save(wholeDir, chunks, meta(compressor, target, 1000));
          const want = straxRechunk(chunksOf(rows, cuts, target));
          const strip = (m: DataMetadata) => m.chunks.map(({ filesize: _f, checksum: _c, ...rest }) => rest);
          expect(strip(streamed)).toEqual(strip(whole));
          expect(streamed.chunks.map((c) => [c.n, c.start, c.end])).toEqual(
            want.map((c) => [c.length, c.start, c.end]),
          );
          const got = await loaded(streamedDir);
          expect(got.length).toBe(want.length);
          for (let i = 0; i < want.length; i++) {
            expect(sameRows(got[i]!.data, want[i]!.data)).toBe(true);
            expect([got[i]!.start, got[i]!.end]).toEqual([want[i]!.start, want[i]!.end]);
          }
          const dir = join(streamedDir, folderName);
          expect(chunkFileProblem(dir, streamed)).toBeNull();
          for (const c of streamed.chunks)
            if (c.filename)
              expect(checksumMismatch(readFileSync(join(dir, c.filename)), c.checksum!)).toBeNull();
          // Nothing but the chunk files and the metadata stays in the folder.
          expect(readdirSync(dir).filter((f) => f.includes('_temp') || f.includes('blocks'))).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  const refenv = '/tmp/refwork/src/strax';
  it.skipIf(!existsSync(refenv))(
    'Python strax reads streamed files of every codec (skipped without the reference env in /tmp/refwork)',
    async () => {
      const rows = pulses(20_000, 5);
      const want = join(tempDir(), 'rows.bin');
      writeFileSync(want, rows.toBytes());
      const py = [
        'import sys, json, os, numpy as np, strax',
        'from ast import literal_eval',
        'folder, want = sys.argv[1], open(sys.argv[2], "rb").read()',
        'md = json.load(open([os.path.join(folder, f) for f in os.listdir(folder) if f.endswith("metadata.json")][0]))',
        'dtype = literal_eval(md["dtype"])',
        'parts = [strax.load_file(os.path.join(folder, c["filename"]), md["compressor"], dtype) for c in md["chunks"] if c["n"]]',
        'assert all(len(p) == c["n"] for p, c in zip(parts, [c for c in md["chunks"] if c["n"]]))',
        'got = np.concatenate(parts).tobytes()',
        'print(md["compressor"], len(parts), "files", "equal" if got == want else "DIFFERENT")',
      ].join('\n');
      for (const compressor of ['zstd', 'lz4', 'blosc']) {
        const dir = tempDir();
        // Files of ~1.1 MB of rows in blocks of 0.1 MB.
        const m = await save(dir, chunksOf(rows, [7000, 13000], 1.1), meta(compressor, 1.1, 0.1));
        expect(m.chunks.length).toBeGreaterThan(1);
        const out = await new Promise<string>((done, fail) =>
          execFile(
            '/usr/bin/python3',
            ['-c', py, join(dir, folderName), want],
            {
              cwd: dir,
              env: {
                ...process.env,
                PYTHONPATH: '/tmp/refwork/shims:/tmp/refwork/src/strax:/tmp/refwork/src/straxen',
              },
            },
            (e, stdout, stderr) => (e ? fail(new Error(`${e.message}\n${stderr}`)) : done(stdout)),
          ),
        );
        expect(out.trim()).toBe(`${compressor} ${m.chunks.filter((c) => c.n).length} files equal`);
      }
    },
    180_000,
  );

  it('a writer killed mid-file leaves no file under its final name and no metadata entry for it', async () => {
    ensureBuilt();
    const dir = tempDir();
    const url = (p: string): string => pathToFileURL(join(ROOT, 'dist', 'src', p)).href;
    // Files of 2 MB of rows in 0.1 MB blocks; the process stops itself mid-way through file 2.
    const script = `
      import { Chunk } from '${url('core/chunk.js')}';
      import { Records } from '${url('core/records.js')}';
      import { DType } from '${url('core/dtype.js')}';
      import { DirectorySaver } from '${url('storage/directory-saver.js')}';
      const dtype = DType.fromDescr(${JSON.stringify(DTYPE.toDescr())});
      const key = ${JSON.stringify({ ...key, lineage: undefined })};
      key.lineage = ${JSON.stringify(lineage)};
      const m = ${JSON.stringify({ ...meta('zstd', 2, 0.1), lineage: undefined })};
      m.lineage = key.lineage;
      const saver = await DirectorySaver.open(${JSON.stringify(join(dir, folderName))}, key, m);
      let t = ${T0}n;
      for (let k = 0; k < 100; k++) {
        const n = 2000, r = Records.empty(dtype, n), time = r.i64('time');
        r.i32('length').fill(10); r.i16('dt').fill(10);
        for (let i = 0; i < n; i++) time[i] = t + BigInt(i) * 2000n;
        const start = t; t += BigInt(n) * 2000n;
        await saver.save(new Chunk({ runId: '000042', dataType: 'pulses', dataKind: 'pulses', start, end: t, data: r, targetSizeMb: 2 }));
        if (k === 40) process.kill(process.pid, 'SIGKILL');
      }`;
    await new Promise<void>((done) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], () => done()),
    );
    const temp = join(dir, `${folderName}_temp`);
    expect(existsSync(join(dir, folderName))).toBe(false);
    const files = readdirSync(temp);
    const md = readMetadata(join(temp, metadataFileName('pulses', key.lineageHash)));
    // 41 chunks of 192 kB rows: four complete 2 MB files, the fifth under way.
    expect(md.chunks.length).toBeGreaterThanOrEqual(3);
    expect(md.writingEnded).toBeFalsy();
    const complete = files.filter((f) => /-\d{6}$/.test(f)).sort();
    expect(complete).toEqual(md.chunks.map((c) => c.filename).sort());
    expect(chunkFileProblem(temp, md)).toBeNull();
    // The file under way exists only as NAME_temp, with rows already on disk.
    const unfinished = files.filter((f) => /-\d{6}_temp$/.test(f));
    expect(unfinished).toEqual([
      `pulses-${key.lineageHash}-${String(md.chunks.length).padStart(6, '0')}_temp`,
    ]);
    expect(readFileSync(join(temp, unfinished[0]!)).length).toBeGreaterThan(0);
  }, 120_000);
});
