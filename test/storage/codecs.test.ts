import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  getCodec,
  COMPRESSORS,
  UnknownCompressorError,
  CorruptDataError,
} from '../../src/storage/codecs/index.js';
import { bloscDecode, bloscEncode } from '../../src/storage/codecs/blosc.js';
import { REFERENCE } from '../helpers/reference.js';

interface ChunkEntry {
  filename?: string;
  filesize?: number;
  nbytes: number;
}

function referenceChunks(): { file: string; compressor: string; nbytes: number; filesize: number }[] {
  const out: { file: string; compressor: string; nbytes: number; filesize: number }[] = [];
  for (const run of readdirSync(REFERENCE)) {
    const dir = join(REFERENCE, run, 'strax_data');
    if (!existsSync(dir)) continue;
    for (const folder of readdirSync(dir)) {
      const m = /^[^-]+-(.+)-([a-z0-9]{10})$/.exec(folder);
      if (!m) continue;
      const metaFile = join(dir, folder, `${m[1]}-${m[2]}-metadata.json`);
      const md = JSON.parse(readFileSync(metaFile, 'utf8')) as { compressor: string; chunks: ChunkEntry[] };
      for (const c of md.chunks) {
        if (!c.filename || !existsSync(join(dir, folder, c.filename))) continue;
        out.push({
          file: join(dir, folder, c.filename),
          compressor: md.compressor,
          nbytes: c.nbytes,
          filesize: c.filesize!,
        });
      }
    }
  }
  return out;
}

describe('every reference chunk decompresses to its metadata nbytes', () => {
  const chunks = referenceChunks();
  it('covers lz4, zstd and blosc', () => {
    expect(new Set(chunks.map((c) => c.compressor))).toEqual(new Set(['lz4', 'zstd', 'blosc']));
    expect(chunks.length).toBeGreaterThan(60);
  });
  for (const c of chunks) {
    it(`${c.file.slice(REFERENCE.length + 1)} (${c.compressor})`, async () => {
      const bytes = readFileSync(c.file);
      expect(bytes.length).toBe(c.filesize);
      const codec = getCodec(c.compressor);
      const raw = await codec.decompress(bytes, c.nbytes);
      expect(raw.length).toBe(c.nbytes);
      // Our own encoding decodes back to the same bytes.
      const again = await codec.decompress(await codec.compress(raw), c.nbytes);
      expect(Buffer.compare(Buffer.from(again), Buffer.from(raw))).toBe(0);
    });
  }
});

describe('codec round trips (property)', () => {
  // Data with runs, repeats and noise, like waveforms.
  const data = fc
    .array(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.tuple(fc.nat(255), fc.nat(5000)).map(([v, n]) => new Uint8Array(n).fill(v)),
        fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 20 }), fc.nat(400)).map(([p, k]) => {
          const out = new Uint8Array(p.length * k);
          for (let i = 0; i < k; i++) out.set(p, i * p.length);
          return out;
        }),
      ),
      { maxLength: 12 },
    )
    .map((parts) => Uint8Array.from(parts.flatMap((p) => Array.from(p))));
  for (const name of COMPRESSORS) {
    it(`${name}`, async () => {
      await fc.assert(
        fc.asyncProperty(data, async (d) => {
          const codec = getCodec(name);
          const back = await codec.decompress(await codec.compress(d), d.length);
          expect(Buffer.compare(Buffer.from(back), Buffer.from(d))).toBe(0);
        }),
        { numRuns: name === 'bz2' ? 25 : 100 },
      );
    });
  }
  it('blosc: large inputs with far matches and many blocks', () => {
    const d = new Uint8Array(600_000);
    for (let i = 0; i < d.length; i++) d[i] = ((i * 7919) % 251) ^ (i >> 13);
    d.copyWithin(300_000, 200_000, 260_000); // distance 100 kB: beyond blosclz's reach, stays literal
    d.copyWithin(100_000, 60_000, 90_000); // distance 40 kB: a far match
    expect(Buffer.compare(Buffer.from(bloscDecode(bloscEncode(d))), Buffer.from(d))).toBe(0);
    const zeros = new Uint8Array(1_000_000);
    const packed = bloscEncode(zeros);
    expect(packed.length).toBeLessThan(20_000);
    expect(bloscDecode(packed).length).toBe(1_000_000);
  });
});

describe('bad input', () => {
  it('unknown compressor names the compressor and the file', () => {
    expect(() => getCodec('snappy', '/data/x-000000')).toThrow(UnknownCompressorError);
    expect(() => getCodec('snappy', '/data/x-000000')).toThrow(
      /unknown compressor 'snappy' \(in \/data\/x-000000\)/,
    );
  });
  for (const name of COMPRESSORS) {
    it(`${name}: garbage and truncated input are CorruptDataError`, async () => {
      const codec = getCodec(name);
      await expect(codec.decompress(Buffer.from('this is not compressed data at all'))).rejects.toThrow(
        CorruptDataError,
      );
      const d = new Uint8Array(50_000);
      for (let i = 0; i < d.length; i++) d[i] = (i * 31) % 97;
      const packed = await codec.compress(d);
      await expect(codec.decompress(packed.subarray(0, Math.floor(packed.length / 2)))).rejects.toThrow();
    });
  }
});
