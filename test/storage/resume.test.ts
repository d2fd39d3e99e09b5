// A saver that continues a dead writer's _temp folder (resume.ts, pending-spill.ts): whatever
// the point of the crash, fed the same chunks again from any chunk before the kept end, it ends
// with exactly the folder an uninterrupted saver writes (files, boundaries, metadata).

import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Chunk } from '../../src/core/chunk.js';
import { Records } from '../../src/core/records.js';
import { intervalDtype } from '../../src/core/standard-dtypes.js';
import type { DataKey, SaveMetadata } from '../../src/core/storage-api.js';
import { DirectorySaver } from '../../src/storage/directory-saver.js';
import { getCodec } from '../../src/storage/codecs/index.js';
import { PendingSpill, pendingStateOf, readPendingChunks } from '../../src/storage/pending-spill.js';
import { pyJsonParse, type PyJson } from '../../src/core/python/json.js';
import { tempDir } from '../helpers/tmp.js';

const EPOCH = 1_700_000_000_000_000_000n;
const key: DataKey = { runId: '000001', dataType: 'things', lineage: {}, lineageHash: 'abcdefghij' };
const meta = (targetMb: number): SaveMetadata => ({
  runId: '000001',
  dataType: 'things',
  dataKind: 'things',
  dtype: intervalDtype().toDescr(),
  lineage: {},
  lineageHash: 'abcdefghij',
  compressor: 'zstd',
  chunkTargetSizeMb: targetMb,
});

/** Chunk k covers [k·1e6, (k+1)·1e6) ns; its rows start at the given 1000-ns offsets. */
function chunks(specs: [number, number][][]): Chunk[] {
  return specs.map((spec, k) => {
    const start = EPOCH + BigInt(k) * 1_000_000n;
    const sorted = [...spec].sort((a, b) => a[0] - b[0]);
    return new Chunk({
      runId: '000001',
      dataType: 'things',
      dataKind: 'things',
      start,
      end: start + 1_000_000n,
      targetSizeMb: 0,
      data: Records.fromColumns(intervalDtype(), sorted.length, {
        time: sorted.map(([t]) => start + BigInt(t * 1000)),
        length: sorted.map(([, l]) => l),
        dt: sorted.map(() => 10),
        channel: sorted.map((_, i) => i % 7),
      }),
    });
  });
}

/** The folder's files, metadata without its write times. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, f)).toString(f.endsWith('.json') ? 'utf8' : 'base64');
    out[f] = text.replace(/"writing_(started|ended)": [\d.e+]+/g, '');
  }
  return out;
}

async function uninterrupted(cs: Chunk[], targetMb: number, maxBufferMb?: number): Promise<string> {
  const dir = join(tempDir('straxts-resume-a-'), 'd');
  const s = await DirectorySaver.open(dir, key, meta(targetMb), { maxBufferMb });
  for (const c of cs) await s.save(c);
  await s.close();
  return dir;
}

const specs = fc.array(
  fc.array(fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 30 })), { maxLength: 40 }),
  { minLength: 2, maxLength: 12 },
);

describe('a saver resuming a dead writer', () => {
  it('ends with the uninterrupted folder, whatever the crash point and where the rows are sent again from', async () => {
    await fc.assert(
      fc.asyncProperty(
        specs,
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        fc.constantFrom(0.0003, 0.001, 200),
        async (sp, crashAt, back, tornFrame, targetMb) => {
          const cs = chunks(sp);
          const want = contents(await uninterrupted(cs, targetMb));
          const dir = join(tempDir('straxts-resume-b-'), 'd');
          const k = 1 + (crashAt % (cs.length - 1));
          const dead = await DirectorySaver.open(dir, key, meta(targetMb));
          for (const c of cs.slice(0, k)) await dead.save(c);
          // killed here: nothing closed; maybe half a frame appended to the mirror at the kill
          if (tornFrame)
            for (const f of readdirSync(`${dir}_temp`).filter((n) => n.includes('-pending-')))
              appendFileSync(join(`${dir}_temp`, f), Buffer.from('STXP\x10\x00\x00\x00half'));
          const s = await DirectorySaver.open(dir, key, meta(targetMb), { resume: true });
          expect(s.keptUntil).not.toBeNull();
          // Sent again from a chunk at or before the kept end (as the planner does).
          let from = cs.findIndex((c) => c.end > s.keptUntil!);
          if (from < 0) from = cs.length;
          from = Math.max(0, from - (back % 3));
          for (const c of cs.slice(from)) await s.save(c);
          await s.close();
          expect(contents(dir)).toEqual(want);
          rmSync(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('with rows streamed into an unfinished file: the mirror holds exactly the rows after the last complete file', async () => {
    const streamed = { maxBufferMb: 1e-6 }; // one-row write blocks: NAME_temp grows with every row
    await fc.assert(
      fc.asyncProperty(
        specs,
        fc.nat(),
        fc.constantFrom(0.0003, 0.001, 200),
        async (sp, crashAt, targetMb) => {
          const cs = chunks(sp);
          const want = contents(await uninterrupted(cs, targetMb, streamed.maxBufferMb));
          const dir = join(tempDir('straxts-resume-f-'), 'd');
          const k = 1 + (crashAt % (cs.length - 1));
          const dead = await DirectorySaver.open(dir, key, meta(targetMb), streamed);
          for (const c of cs.slice(0, k)) await dead.save(c);
          const tmp = `${dir}_temp`;
          const md = pyJsonParse(
            readFileSync(join(tmp, 'things-abcdefghij-metadata.json'), 'utf8'),
            'md',
          ) as {
            chunks: { end: bigint; n: number }[];
            pending: PyJson;
          };
          const done = md.chunks.length ? BigInt(md.chunks[md.chunks.length - 1]!.end) : cs[0]!.start;
          const state = pendingStateOf(md.pending)!;
          const mirrored = (
            await readPendingChunks(tmp, state, getCodec('zstd', 'test'), {
              ...meta(targetMb),
              targetSizeMb: targetMb,
            })
          ).chunks;
          const rowsAfter = (c: readonly Chunk[]): bigint[] =>
            c.flatMap((x) => [...x.data.i64('time')].filter((t) => t >= done));
          expect(rowsAfter(mirrored)).toEqual(rowsAfter(cs.slice(0, k)));
          if (mirrored.length) expect(mirrored[mirrored.length - 1]!.end).toBe(cs[k - 1]!.end);
          const s = await DirectorySaver.open(dir, key, meta(targetMb), { ...streamed, resume: true });
          const from = Math.max(0, cs.findIndex((c) => c.end >= s.keptUntil!) - 1);
          for (const c of cs.slice(from)) await s.save(c);
          await s.close();
          expect(contents(dir)).toEqual(want);
          rmSync(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('and after a second crash while resuming', async () => {
    await fc.assert(
      fc.asyncProperty(
        specs,
        fc.nat(),
        fc.nat(),
        fc.constantFrom(0.0003, 200),
        async (sp, a, b, targetMb) => {
          const cs = chunks(sp);
          const want = contents(await uninterrupted(cs, targetMb));
          const dir = join(tempDir('straxts-resume-e-'), 'd');
          let s = await DirectorySaver.open(dir, key, meta(targetMb));
          const first = 1 + (a % (cs.length - 1));
          for (const c of cs.slice(0, first)) await s.save(c);
          for (const crashAfter of [first + (b % (cs.length - first + 1)), cs.length]) {
            s = await DirectorySaver.open(dir, key, meta(targetMb), { resume: true });
            const from = Math.max(0, cs.findIndex((c) => c.end >= s.keptUntil!) - 1);
            for (const c of cs.slice(from, crashAfter)) await s.save(c);
          }
          await s.close();
          expect(contents(dir)).toEqual(want);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('also after a crash between writing a file and the metadata naming it', async () => {
    const cs = chunks(
      Array.from({ length: 10 }, (_, k) => Array.from({ length: 30 }, (_, i) => [i * 30 + k, 5])),
    );
    const want = contents(await uninterrupted(cs, 0.0005));
    const dir = join(tempDir('straxts-resume-c-'), 'd');
    const dead = await DirectorySaver.open(dir, key, meta(0.0005));
    const before = tempDir('straxts-resume-snap-');
    for (const [i, c] of cs.entries()) {
      if (i === 6) cpSync(`${dir}_temp`, before, { recursive: true });
      await dead.save(c);
      if (i === 6) break;
    }
    // Back to the metadata and mirror of before chunk 6; the files it cut stay as strays.
    cpSync(before, `${dir}_temp`, { recursive: true });
    const s = await DirectorySaver.open(dir, key, meta(0.0005), { resume: true });
    expect(s.keptUntil).toBe(cs[5]!.end);
    for (const c of cs.slice(4)) await s.save(c);
    await s.close();
    expect(contents(dir)).toEqual(want);
  });

  it('refuses rows sent again that differ from the kept ones, and does not resume without resume', async () => {
    const cs = chunks(
      Array.from({ length: 6 }, () => [
        [10, 5],
        [500, 5],
      ]),
    );
    const dir = join(tempDir('straxts-resume-d-'), 'd');
    const dead = await DirectorySaver.open(dir, key, meta(200));
    for (const c of cs.slice(0, 4)) await dead.save(c);
    const fresh = await DirectorySaver.open(`${dir}-other`, key, meta(200), { resume: true });
    expect(fresh.keptUntil).toBeNull();
    const s = await DirectorySaver.open(dir, key, meta(200), { resume: true });
    expect(s.keptUntil).toBe(cs[3]!.end);
    await s.save(cs[2]!);
    const other = chunks([
      [],
      [],
      [],
      [
        [10, 5],
        [501, 5],
      ],
    ])[3]!;
    await expect(s.save(other)).rejects.toThrow(/differ from the kept ones/);
    const plain = await DirectorySaver.open(dir, key, meta(200));
    expect(plain.keptUntil).toBeNull();
  });

  it("reads a mirror begun by an earlier version (frames in the type's compressor) and goes on in LZ4", async () => {
    const [first, second] = chunks([
      [
        [10, 5],
        [500, 7],
      ],
      [[20, 3]],
    ]);
    const zstd = getCodec('zstd', 'test');
    // The earlier frame layout: magic 'STXP', sizes, range, sha256 of both, then the rows.
    const raw = first!.data.toBytes(new Uint8Array(first!.nbytes));
    const packed = await zstd.compress(raw);
    const frame = new Uint8Array(64 + packed.length);
    const v = new DataView(frame.buffer);
    v.setUint32(0, 0x50585453, true);
    v.setUint32(4, packed.length, true);
    v.setUint32(8, first!.length, true);
    v.setUint32(12, raw.length, true);
    v.setBigInt64(16, first!.start, true);
    v.setBigInt64(24, first!.end, true);
    frame.set(packed, 64);
    frame.set(createHash('sha256').update(frame.subarray(0, 32)).update(frame.subarray(64)).digest(), 32);
    const dir = tempDir('straxts-resume-old-');
    writeFileSync(join(dir, 'things-abcdefghij-pending-0'), frame);
    const spill = new PendingSpill(dir, 'things-abcdefghij', null, 'things-abcdefghij-pending-0');
    spill.continueFile('things-abcdefghij-pending-0', frame.length);
    await spill.append(second!);
    const back = await readPendingChunks(dir, { file: 'things-abcdefghij-pending-0', after: null }, zstd, {
      ...meta(200),
      targetSizeMb: 200,
    });
    expect(back.chunks.map((c) => [...c.data.i64('time')])).toEqual([
      [...first!.data.i64('time')],
      [...second!.data.i64('time')],
    ]);
    expect(back.chunks.map((c) => [...c.data.i32('length')])).toEqual([[5, 7], [3]]);
    // The new frame is LZ4 whatever the type's compressor.
    const bytes = readFileSync(join(dir, 'things-abcdefghij-pending-0'));
    const at = frame.length;
    expect(bytes.readUInt32LE(at)).toBe(0x4c585453);
    expect([...bytes.subarray(at + 64, at + 68)]).toEqual([0x04, 0x22, 0x4d, 0x18]);
  });
});
