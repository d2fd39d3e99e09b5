// raw_records → records throughput on bench000333 (20 s run, 110 MB of raw_records), the run
// on which straxen's numba reached 149 MB/s on one core. Decoding is timed separately.

import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Records } from '../src/core/records.js';
import { loadChunks } from '../src/storage/data-directory.js';
import { readMetadata } from '../src/storage/metadata.js';
import { PulseProcessing } from '../src/plugins/records/index.js';
import { SimRawRecords } from '../src/plugins/raw_records/index.js';

const STRAXEN_MB_S = 149;

export interface RecordsBenchResult {
  name: string;
  rawRecordsMB: number;
  rows: number;
  decodeSeconds: number;
  /** Median CPU seconds of one pass (user + system, includes GC). */
  computeSeconds: number;
  wallSeconds: number;
  /** CPU ns per element of a plain int16 sum in this process: how loaded the machine was. */
  calibrationNsPerElement: number;
  computeMBps: number;
  straxenMBps: number;
}

function referenceRoot(): string {
  return resolve(process.env.STRAXTS_REFERENCE ?? '/work/shared/reference');
}

export async function run(): Promise<RecordsBenchResult> {
  const dataDir = join(referenceRoot(), 'bench000333', 'strax_data');
  const folder = readdirSync(dataDir).find((d) => d.startsWith('000333-raw_records-'));
  if (!folder) throw new Error(`no raw_records in ${dataDir}`);
  const dir = join(dataDir, folder);
  const meta = readMetadata(
    join(
      dir,
      readdirSync(dir).find((f) => f.endsWith('-metadata.json'))!,
    ),
  );

  // Decode (file read, lz4, rows → columns), timed on its own.
  const t0 = performance.now();
  const chunks: { start: bigint; end: bigint; data: Records }[] = [];
  for await (const c of loadChunks(dir, meta)) chunks.push({ start: c.start, end: c.end, data: c.data });
  const decodeSeconds = (performance.now() - t0) / 1000;
  const rows = chunks.reduce((s, c) => s + c.data.length, 0);
  const mb = chunks.reduce((s, c) => s + c.data.nbytes, 0) / 1e6;

  const cfgDir = dataDir;
  const thresholds = JSON.parse(readFileSync(join(cfgDir, '000333-hit_thresholds.json'), 'utf8')) as number[];
  const plugin = new PulseProcessing();
  const config: Record<string, unknown> = {};
  for (const o of plugin.options) if ('default' in o) config[o.name] = o.default;
  config['n_tpc_pmts'] = 494;
  config['hit_min_amplitude'] = thresholds;
  plugin.config = config;
  plugin.depDtypes = { raw_records: new SimRawRecords().inferDtype() };

  // Wall and CPU time of one pass over the run; the machine is shared, so CPU time (this
  // process's user + system) is the steadier figure and the one MB/s is computed from.
  const pass = (): { wall: number; cpu: number } => {
    const w = performance.now();
    const c0 = process.cpuUsage();
    chunks.forEach((c, chunkI) =>
      plugin.compute({ raw_records: c.data }, { start: c.start, end: c.end, chunkI }),
    );
    const c1 = process.cpuUsage(c0);
    return { wall: (performance.now() - w) / 1000, cpu: (c1.user + c1.system) / 1e6 };
  };
  pass(); // warm up the JIT
  const runs = [pass(), pass(), pass(), pass(), pass()];
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const computeSeconds = median(runs.map((r) => r.cpu));
  const wallSeconds = median(runs.map((r) => r.wall));
  // How busy the machine is: CPU ns per element of a plain int16 sum (about 0.3-0.5 when idle).
  const calib = new Int16Array(16_000_000).fill(1);
  const sumCpu = (): number => {
    const c0 = process.cpuUsage();
    let s = 0;
    for (let i = 0; i < calib.length; i++) s += calib[i]!;
    const c = process.cpuUsage(c0);
    if (s !== calib.length) throw new Error('calibration loop miscounted');
    return ((c.user + c.system) * 1000) / calib.length;
  };
  sumCpu();
  const calibrationNsPerElement = median([sumCpu(), sumCpu(), sumCpu()]);
  const res: RecordsBenchResult = {
    name: 'raw_records → records (PulseProcessing)',
    rawRecordsMB: mb,
    rows,
    decodeSeconds,
    computeSeconds,
    wallSeconds,
    calibrationNsPerElement,
    computeMBps: mb / computeSeconds,
    straxenMBps: STRAXEN_MB_S,
  };
  console.log(
    `${res.name}: ${rows} rows, ${mb.toFixed(1)} MB; decode ${decodeSeconds.toFixed(2)} s; ` +
      `compute ${computeSeconds.toFixed(3)} s CPU (${wallSeconds.toFixed(3)} s wall) = ${res.computeMBps.toFixed(0)} MB/s ` +
      `(straxen numba ${STRAXEN_MB_S} MB/s); machine load indicator ${calibrationNsPerElement.toFixed(2)} ns/element`,
  );
  return res;
}

if (process.argv[1] && /records\.bench\.[jt]s$/.test(process.argv[1])) {
  run().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
