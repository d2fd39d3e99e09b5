// Storage speed on the reference data: decode and encode MB/s per compressor (MB of
// uncompressed bytes per second, median of several passes), the lz4 decoders available on npm
// compared, and loading a whole data type from disk (read + decompress + rows → columns).

import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import lz4napi from 'lz4-napi';
import { getCodec } from '../src/storage/codecs/index.js';
import { loadAll } from '../src/storage/load-all.js';
import { readMetadata } from '../src/storage/metadata.js';

const REF = resolve(process.env.STRAXTS_REFERENCE ?? '/work/shared/reference');

interface Sample {
  label: string;
  compressor: string;
  file: string;
  nbytes: number;
}

/** The largest chunk file of a reference data type. */
function sampleOf(run: string, type: string): Sample {
  const dir = join(REF, run, 'strax_data');
  const folder = readdirSync(dir).find((d) => d.startsWith(`${run.replace(/^\D+/, '')}-${type}-`))!;
  const md = readMetadata(
    join(
      dir,
      folder,
      readdirSync(join(dir, folder)).find((f) => f.endsWith('-metadata.json'))!,
    ),
  );
  const chunk = md.chunks.filter((c) => c.filename).sort((a, b) => b.nbytes - a.nbytes)[0]!;
  return {
    label: `${run}/${type}`,
    compressor: md.compressor,
    file: join(dir, folder, chunk.filename!),
    nbytes: chunk.nbytes,
  };
}

async function median(reps: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    times.push((performance.now() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const mbps = (bytes: number, s: number): number => Math.round(bytes / 1e6 / s);

export async function run(): Promise<Record<string, unknown>> {
  const samples = [
    sampleOf('run012100', 'raw_records'),
    sampleOf('run012200', 'records'),
    sampleOf('run012200', 'event_info'),
  ];
  const codecs: Record<string, unknown>[] = [];
  for (const s of samples) {
    const file = readFileSync(s.file);
    const raw = await getCodec(s.compressor).decompress(file, s.nbytes);
    const row: Record<string, unknown> = {
      data: s.label,
      MB: +(raw.length / 1e6).toFixed(2),
      stored_as: s.compressor,
    };
    // Decode the file strax wrote.
    row[`${s.compressor}_decode_strax_file`] = mbps(
      raw.length,
      await median(Math.max(7, Math.min(50, Math.ceil(20e6 / raw.length))), () =>
        getCodec(s.compressor).decompress(file, s.nbytes),
      ),
    );
    for (const name of ['lz4', 'zstd', 'blosc', 'bz2']) {
      if (name === 'bz2' && raw.length > 2e6) continue; // pure-JS bzip2 is slow; measured on the small sample
      const codec = getCodec(name);
      // Small inputs get more passes, so JIT warm-up does not dominate.
      const reps = name === 'bz2' ? 1 : Math.max(5, Math.min(50, Math.ceil(20e6 / raw.length)));
      const packed = await codec.compress(raw);
      row[`${name}_encode`] = mbps(raw.length, await median(reps, () => codec.compress(raw)));
      row[`${name}_decode`] = mbps(
        raw.length,
        await median(reps, () => codec.decompress(packed, raw.length)),
      );
      row[`${name}_ratio`] = +(raw.length / packed.length).toFixed(2);
    }
    codecs.push(row);
  }

  // lz4 frame decoders available on npm, on strax's raw_records file.
  const lz4Sample = samples[0]!;
  const lz4File = readFileSync(lz4Sample.file);
  const lz4Decoders: Record<string, number> = {
    'lz4-napi (used)': mbps(lz4Sample.nbytes, await median(7, () => lz4napi.decompressFrameSync(lz4File))),
  };
  try {
    const lz4js = createRequire(import.meta.url)('lz4js') as { decompress(b: Uint8Array): Uint8Array };
    lz4Decoders.lz4js = mbps(lz4Sample.nbytes, await median(7, () => lz4js.decompress(lz4File)));
  } catch {
    // lz4js is a dev dependency, only for this comparison.
  }

  // Whole data types from disk.
  const loads: Record<string, unknown>[] = [];
  for (const [run, type] of [
    ['bench000333', 'raw_records'],
    ['run012200', 'records'],
    ['run012200', 'peaks'],
    ['run012200', 'event_info'],
  ] as const) {
    const dir = join(REF, run, 'strax_data');
    const runId = run.replace(/^\D+/, '');
    let rows = 0,
      bytes = 0;
    const s = await median(3, async () => {
      const r = await loadAll(dir, runId, type);
      rows = r.length;
      bytes = r.nbytes;
    });
    loads.push({ data: `${run}/${type}`, rows, MB: +(bytes / 1e6).toFixed(1), load_MBps: mbps(bytes, s) });
  }
  return { unit: 'MB/s of uncompressed data, median of passes', codecs, lz4Decoders, loads };
}
