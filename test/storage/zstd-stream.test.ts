// One zstd frame written segment by segment decodes to the segments joined, with the content
// size in its header (checked by the native decoder, which also checks the size).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as zstd from '@mongodb-js/zstd';
import { ZstdFrameStream } from '../../src/storage/codecs/zstd-stream.js';

async function streamed(segments: Uint8Array[], window = 1 << 20): Promise<Uint8Array> {
  const s = new ZstdFrameStream(window);
  const parts: Uint8Array[] = [s.header()];
  for (const seg of segments) parts.push(...(await s.segment(seg)));
  const { tail, patchAt, patch } = s.end();
  parts.push(tail);
  const out = Buffer.concat(parts);
  out.set(patch, patchAt);
  return out;
}

/** Bytes like structured rows: counters, zero padding, repeats, some noise. */
function rowsLike(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const k = i % 64;
    out[i] = k < 8 ? (i / 64) & 0xff : k < 40 ? ((x >>> 0) % 7 === 0 ? x & 0xff : 0) : x & 0x3;
  }
  return out;
}

describe('zstd frame written in segments', () => {
  it('decodes to the segments joined (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300_000 }), fc.integer(), fc.boolean()), {
          minLength: 1,
          maxLength: 6,
        }),
        async (specs) => {
          const segs = specs.map(([n, seed, random]) => {
            const d = rowsLike(n, seed);
            if (random)
              for (let i = 0; i < d.length; i++) d[i] = (Math.imul(i + seed, 2654435761) >>> 13) & 0xff;
            return d;
          });
          const frame = await streamed(segs);
          const back = await zstd.decompress(Buffer.from(frame));
          expect(Buffer.compare(back, Buffer.concat(segs))).toBe(0);
          // One frame (what strax's reader needs): the first frame's header declares every byte,
          // so a second frame would have decoded to more than the segments.
          const declared = Buffer.from(frame).readBigUInt64LE(6);
          expect(declared).toBe(BigInt(back.length));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('compresses nearly as well as one frame of the whole', async () => {
    const data = rowsLike(4_000_000, 7);
    const segs: Uint8Array[] = [];
    for (let at = 0; at < data.length; at += 1 << 20) segs.push(data.subarray(at, at + (1 << 20)));
    const frame = await streamed(segs);
    const whole = await zstd.compress(Buffer.from(data), 3);
    expect(frame.length).toBeLessThan(whole.length * 1.05 + 1000);
  });
});
