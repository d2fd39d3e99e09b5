// live_data throughput: fake_daq's writer (raw_records in memory → live_data folders, lz4, no
// pacing) and the DAQReader (live_data → raw_records saved on disk through the xenonnt_online
// context, as straxer does), in MB of raw_records per wall second; and the round trip's check
// that the rows come back byte for byte.
//
// Inputs (LIVE_BENCH_INPUTS, comma list): bench000333 (the reference's 20 s run, 110 MB) and
// sim60 (a simulated minute, 384 MB). LIVE_BENCH_REPEATS (default 3): the median is reported.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Records } from '../src/core/records.js';
import { rawRecordDtype } from '../src/core/standard-dtypes.js';
import { makeContext } from '../src/named-contexts/contexts.js';
import { readoutThreads, writeLiveRun } from '../src/daq/live-data/index.js';
import { Simulation } from '../src/daq/simulator/simulate.js';
import { defaultRunStart } from '../src/daq/simulator/store-run.js';
import { loadAll } from '../src/storage/load-all.js';

interface Input {
  name: string;
  run: string;
  records: Records;
  runStart: bigint;
}

export interface LiveMeasurement {
  input: string;
  rawMB: number;
  writeMBps: number;
  readMBps: number;
  /** The same per CPU second of this process (the machine may be shared). */
  writeCpuMBps: number;
  readCpuMBps: number;
  compressedMB: number;
  chunks: number;
  roundTrip: 'identical' | 'DIFFERS';
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sha1 = (r: Records): string => createHash('sha1').update(r.toBytes()).digest('hex');

async function loadInput(name: string): Promise<Input> {
  if (name === 'bench000333') {
    const ref = resolve(process.env.STRAXTS_REFERENCE ?? '/work/shared/reference');
    const records = await loadAll(join(ref, 'bench000333', 'strax_data'), '000333', 'raw_records');
    const runStart = (records.i64('time')[0]! / 1_000_000_000n) * 1_000_000_000n;
    return { name, run: '000333', records, runStart };
  }
  const m = /^sim(\d+)$/.exec(name);
  if (!m) throw new Error(`LIVE_BENCH_INPUTS: unknown input '${name}' (bench000333, simNN)`);
  const runStart = defaultRunStart(7);
  const sim = new Simulation({ durationNs: Number(m[1]) * 1e9, runStartNs: runStart, seed: 1 });
  const dtype = rawRecordDtype();
  const parts = [...sim.chunks()].map((c) => new Records(dtype, c.records.time.length, { ...c.records }));
  return { name, run: '000007', records: Records.concat(parts, dtype), runStart };
}

async function* once(r: Records): AsyncGenerator<Records> {
  // Chunks of ~20 MB, as a stored run arrives.
  const step = Math.ceil(20e6 / r.dtype.itemsize);
  for (let i = 0; i < r.length; i += step) yield r.slice(i, i + step);
}

async function measure(input: Input, repeats: number): Promise<LiveMeasurement> {
  const rawMB = input.records.nbytes / 1e6;
  const writes: number[] = [],
    reads: number[] = [],
    writesCpu: number[] = [],
    readsCpu: number[] = [];
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  let compressedMB = 0,
    chunks = 0,
    identical = true;
  for (let k = 0; k < repeats; k++) {
    const root = mkdtempSync(join(tmpdir(), 'straxts-bench-live-'));
    try {
      const runDir = join(root, 'live', input.run);
      const t0 = performance.now(),
        c0 = cpu();
      const s = await writeLiveRun([once(input.records)], {
        runDir,
        runStart: input.runStart,
        settings: {
          chunkDuration: 5e9,
          overlapDuration: 5e8,
          threads: readoutThreads(8),
          compressor: 'lz4',
          recordLength: 110,
        },
      });
      writes.push((performance.now() - t0) / 1000);
      writesCpu.push(cpu() - c0);
      compressedMB = s.compressedBytes / 1e6;
      chunks = s.chunks;
      const out = join(root, 'out');
      const sc = makeContext('xenonnt_online', {
        outputFolder: out,
        configFile: s.daqConfigFile,
        config: { daq_input_dir: runDir },
      });
      const t1 = performance.now(),
        c1 = cpu();
      await sc.context.make(input.run, 'raw_records', { save: ['raw_records'] });
      reads.push((performance.now() - t1) / 1000);
      readsCpu.push(cpu() - c1);
      if (k === 0) identical = sha1(await loadAll(out, input.run, 'raw_records')) === sha1(input.records);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  return {
    input: input.name,
    rawMB,
    writeMBps: rawMB / median(writes),
    readMBps: rawMB / median(reads),
    writeCpuMBps: rawMB / median(writesCpu),
    readCpuMBps: rawMB / median(readsCpu),
    compressedMB,
    chunks,
    roundTrip: identical ? 'identical' : 'DIFFERS',
  };
}

export async function run(): Promise<string> {
  const names = (process.env.LIVE_BENCH_INPUTS ?? 'bench000333,sim60').split(',').filter(Boolean);
  const repeats = Number(process.env.LIVE_BENCH_REPEATS ?? 3);
  const lines = [
    'input        raw MB  lz4 MB  chunks  fake_daq write MB/s (per CPU s)  DAQReader → raw_records MB/s (per CPU s)  round trip',
  ];
  for (const n of names) {
    const m = await measure(await loadInput(n), repeats);
    lines.push(
      `${m.input.padEnd(11)} ${m.rawMB.toFixed(1).padStart(7)} ${m.compressedMB.toFixed(1).padStart(7)} ${String(m.chunks).padStart(7)}` +
        `  ${m.writeMBps.toFixed(1).padStart(19)} ${`(${m.writeCpuMBps.toFixed(1)})`.padStart(12)}` +
        `  ${m.readMBps.toFixed(1).padStart(28)} ${`(${m.readCpuMBps.toFixed(1)})`.padStart(12)}  ${m.roundTrip}`,
    );
  }
  lines.push(
    `(median of ${repeats}; 5 s chunks, 0.5 s overlaps, 8 thread files, lz4; one process, wall time)`,
  );
  return lines.join('\n');
}
