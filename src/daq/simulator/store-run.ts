// A simulated run put where processing looks for it: raw_records in a data directory, the run's
// metadata and ground truth beside them, and the run and its data registered in the runs
// database. The simulation stands in for the DAQ and the DAQReader, so its raw_records carry
// the DAQReader's lineage: the xenonnt contexts (whose raw_records come from the DAQReader)
// find them as their own.

import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Chunk } from '../../core/chunk.js';
import { lineageHash } from '../../core/lineage.js';
import { Records } from '../../core/records.js';
import { rawRecordDtype } from '../../core/standard-dtypes.js';
import type { DataKey, Lineage } from '../../core/storage-api.js';
import type { RunDb } from '../../rundb/rundb.js';
import { DataDirectory } from '../../storage/data-directory.js';
import { Simulation, type SimulationOptions, type TruthEntry } from './simulate.js';

/** The DAQReader's lineage (all its options untracked; named by its last output, as strax does). */
export const SIM_RAW_RECORDS_LINEAGE: Lineage = { raw_records_mv: ['DAQReader', '0.0.0', {}] };

/** A fixed, run-dependent start [ns] (seeded runs come out identical bit for bit). */
export function defaultRunStart(runNumber: number): bigint {
  return (1_765_000_000n + BigInt(Number.isFinite(runNumber) ? runNumber : 0) * 3600n) * 1_000_000_000n;
}

export interface StoreRunOptions extends SimulationOptions {
  runId: string;
  dataDir: string;
  rundb?: RunDb;
  /** Called after each chunk is saved. */
  onChunk?: (chunk: Chunk) => void;
}

export interface StoredRun {
  runId: string;
  folder: string;
  chunks: number;
  rows: number;
  bytes: number;
  start: bigint;
  end: bigint;
  truth: TruthEntry[];
}

export function rawRecordsKey(runId: string): DataKey {
  return {
    runId,
    dataType: 'raw_records',
    lineage: SIM_RAW_RECORDS_LINEAGE,
    lineageHash: lineageHash(SIM_RAW_RECORDS_LINEAGE),
  };
}

export async function simulateAndStore(opts: StoreRunOptions): Promise<StoredRun> {
  const dir = new DataDirectory(opts.dataDir);
  const key = rawRecordsKey(opts.runId);
  if (await dir.isStored(key)) {
    throw new Error(
      `run ${opts.runId} already has raw_records in ${opts.dataDir}; choose another run id or delete ${dir.folderPath(key)}`,
    );
  }
  const dtype = rawRecordDtype();
  const saver = await dir.saver(key, {
    runId: opts.runId,
    dataType: 'raw_records',
    dataKind: 'raw_records',
    dtype: dtype.toDescr(),
    lineage: SIM_RAW_RECORDS_LINEAGE,
    lineageHash: key.lineageHash,
    compressor: 'lz4',
    chunkTargetSizeMb: 200,
    rechunk: false,
  });
  const sim = new Simulation(opts);
  let chunks = 0,
    rows = 0,
    bytes = 0;
  let start: bigint | null = null,
    end = opts.runStartNs;
  try {
    for (const c of sim.chunks()) {
      const data = new Records(dtype, c.records.time.length, { ...c.records });
      const chunk = new Chunk({
        runId: opts.runId,
        dataType: 'raw_records',
        dataKind: 'raw_records',
        start: c.start,
        end: c.end,
        data,
      });
      await saver.save(chunk);
      start ??= c.start;
      end = c.end;
      chunks++;
      rows += data.length;
      bytes += data.nbytes;
      opts.onChunk?.(chunk);
    }
    await saver.close();
  } catch (e) {
    await saver.fail(e);
    throw e;
  }
  const runStart = start ?? opts.runStartNs;
  const startDate = new Date(Number(runStart / 1_000_000n));
  const endDate = new Date(Number(end / 1_000_000n));
  dir.writeRunMetadata(opts.runId, {
    number: Number(opts.runId),
    start: startDate.toISOString(),
    end: endDate.toISOString(),
    mode: 'simulation',
    source: 'none',
    detectors: ['tpc'],
    simulation: { seed: opts.seed, duration_ns: opts.durationNs },
  });
  writeFileSync(join(opts.dataDir, `${opts.runId}-truth.json`), JSON.stringify(sim.truth));
  if (opts.rundb) await register(opts, opts.rundb, dir.folderPath(key), startDate, endDate);
  return {
    runId: opts.runId,
    folder: dir.folderPath(key),
    chunks,
    rows,
    bytes,
    start: runStart,
    end,
    truth: sim.truth,
  };
}

async function register(
  opts: StoreRunOptions,
  db: RunDb,
  folder: string,
  start: Date,
  end: Date,
): Promise<void> {
  const number = Number(opts.runId);
  if (!Number.isInteger(number)) return; // only numbered runs live in the runs database
  if (!(await db.getRun(number))) {
    await db.insertRun({
      number,
      name: opts.runId,
      start,
      end,
      mode: 'simulation',
      detectors: ['tpc'],
      source: 'none',
      extra: { simulation: { seed: opts.seed, duration_ns: opts.durationNs } },
    });
  }
  const key = rawRecordsKey(opts.runId);
  await db.registerData({
    run: number,
    type: 'raw_records',
    host: hostname(),
    location: folder,
    lineageHash: key.lineageHash,
    lineage: key.lineage,
    status: 'transferred',
    meta: { lineage: key.lineage as never },
  });
}
