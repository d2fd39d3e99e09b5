// Stored raw_records → live_data (writeLiveRun) → DAQReader gives the same rows byte for byte,
// whatever the chunk and overlap lengths, thread layout and compressor (every overlap here has
// a safe break). Uses the first seconds of the reference run012200.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Records } from '../../../src/core/records.js';
import { writeLiveRun, type ReadoutThreads } from '../../../src/daq/live-data/index.js';
import { loadAll } from '../../../src/storage/load-all.js';
import { referenceDataDir } from '../../helpers/reference.js';
import { readLiveInProcess, sha1, storedOutput, streamOf, syntheticRecords } from './helpers.js';
import { tempDir } from '../../helpers/tmp.js';

const RUN = '012200';

interface Layout {
  name: string;
  chunk: number;
  overlap: number;
  threads: ReadoutThreads;
  compressor: string;
}

const LAYOUTS: Layout[] = [
  {
    name: "straxen's defaults (5 s + 0.5 s), 8 threads, lz4",
    chunk: 5e9,
    overlap: 5e8,
    threads: t8(),
    compressor: 'lz4',
  },
  {
    name: '1 s + 0.1 s, one thread, zstd',
    chunk: 1e9,
    overlap: 1e8,
    threads: { reader0_reader_0: 1 },
    compressor: 'zstd',
  },
  {
    name: '0.7 s + 0.3 s, threads with two files each, blosc',
    chunk: 7e8,
    overlap: 3e8,
    threads: { reader0_reader_0: 2, reader1_reader_0: 2, reader1_reader_1: 1 },
    compressor: 'blosc',
  },
  { name: '0.25 s + 10 ms, 3 threads, lz4', chunk: 2.5e8, overlap: 1e7, threads: t3(), compressor: 'lz4' },
];

function t8(): ReadoutThreads {
  return Object.fromEntries(Array.from({ length: 8 }, (_, j) => [`reader${j >> 1}_reader_${j & 1}`, 1]));
}
function t3(): ReadoutThreads {
  return { reader0_reader_0: 1, reader0_reader_1: 1, reader1_reader_0: 1 };
}

async function roundTrip(input: Records, runStart: bigint, l: Layout): Promise<Records> {
  const root = tempDir('straxts-live-');
  const runDir = join(root, 'live', RUN);
  const s = await writeLiveRun([streamOf(input)], {
    runDir,
    runStart,
    settings: {
      chunkDuration: l.chunk,
      overlapDuration: l.overlap,
      threads: l.threads,
      compressor: l.compressor,
      recordLength: 110,
    },
  });
  // Every folder holds exactly one file per thread file.
  const nFiles = Object.values(l.threads).reduce((a, b) => a + b, 0);
  for (const f of readdirSync(runDir).filter((d) => !d.startsWith('.')))
    expect(readdirSync(join(runDir, f)).length, f).toBe(nFiles);
  const cfg = JSON.parse(readFileSync(s.daqConfigFile, 'utf8')) as Record<string, unknown>;
  expect(cfg).toMatchObject({
    daq_chunk_duration: l.chunk,
    daq_overlap_chunk_duration: l.overlap,
    daq_compressor: l.compressor,
  });
  const out = join(root, 'out');
  await readLiveInProcess(RUN, runDir, s.daqConfigFile, out, { targets: ['raw_records'] });
  const got = await storedOutput(out, RUN, 'raw_records');
  // Chunks tile the run: each starts where the last ended.
  for (let i = 1; i < got.ranges.length; i++) expect(got.ranges[i]![0]).toBe(got.ranges[i - 1]![1]);
  return got.records;
}

describe('round trip through live_data (run012200, first 4 s)', () => {
  let input: Records;
  let runStart: bigint;
  beforeAll(async () => {
    const all = await loadAll(referenceDataDir('run012200'), RUN, 'raw_records');
    const t = all.i64('time');
    runStart = (t[0]! / 1_000_000_000n) * 1_000_000_000n;
    input = all.filter(Array.from(t, (x) => x < runStart + 4_000_000_000n));
  });

  for (const l of LAYOUTS) {
    it(
      l.name,
      async () => {
        const got = await roundTrip(input, runStart, l);
        expect(got.length).toBe(input.length);
        expect(sha1(got)).toBe(sha1(input));
      },
      60_000,
    );
  }
});

describe('stopping early (fake_daq --stop_after)', () => {
  it('the run still ends properly and holds a time-ordered prefix of the input', async () => {
    const start = 1_765_300_000_000_000_000n;
    const input = syntheticRecords(start, 6e9, { seed: 12, n: 30000, channels: [3, 100, 400] });
    const root = tempDir('straxts-live-');
    const runDir = join(root, RUN);
    const s = await writeLiveRun(
      [streamOf(...[0, 1, 2, 3, 4, 5].map((k) => input.slice(k * 5000, (k + 1) * 5000)))],
      {
        runDir,
        runStart: start,
        settings: {
          chunkDuration: 1e9,
          overlapDuration: 1e8,
          threads: t3(),
          compressor: 'lz4',
          recordLength: 110,
        },
        stopAfterMb: 2,
      },
    );
    expect(s.rawBytes).toBeGreaterThan(2e6);
    expect(s.rawBytes).toBeLessThan(input.nbytes);
    expect(readdirSync(runDir)).toContain('THE_END');
    const out = join(root, 'out');
    await readLiveInProcess(RUN, runDir, s.daqConfigFile, out, { targets: ['raw_records'] });
    const got = (await storedOutput(out, RUN, 'raw_records')).records;
    expect(got.length).toBe(s.rows);
    expect(sha1(got)).toBe(sha1(input.slice(0, got.length)));
  });
});

describe('round trip of the other DAQReader outputs', () => {
  it('high-energy and acquisition-monitor channels come back in their own types', async () => {
    const start = 1_765_300_000_000_000_000n;
    const input = syntheticRecords(start, 3e9, { seed: 11, n: 3000 });
    const root = tempDir('straxts-live-');
    const runDir = join(root, RUN);
    const s = await writeLiveRun([streamOf(input)], {
      runDir,
      runStart: start,
      settings: {
        chunkDuration: 1e9,
        overlapDuration: 2e8,
        threads: t3(),
        compressor: 'lz4',
        recordLength: 110,
      },
    });
    const out = join(root, 'out');
    await readLiveInProcess(RUN, runDir, s.daqConfigFile, out);
    const ch = input.i16('channel');
    const part = (lo: number, hi: number) => input.filter(Array.from(ch, (c) => c >= lo && c <= hi));
    expect(sha1((await storedOutput(out, RUN, 'raw_records')).records)).toBe(sha1(part(0, 493)));
    expect(sha1((await storedOutput(out, RUN, 'raw_records_he')).records)).toBe(sha1(part(500, 752)));
    expect(sha1((await storedOutput(out, RUN, 'raw_records_aqmon')).records)).toBe(sha1(part(790, 807)));
  });
});
