// records → peaklets (+ lone_hits) throughput on bench000333 (20 s run, 110 MB of raw_records).
// straxen's numba reaches 69 MB/s *cumulative* to peaklets (raw_records → records → peaklets)
// on one core; we report the peaklets step alone and the cumulative figure. MB are of the
// uncompressed raw_records, as in STRAXEN_SPEED.md.

import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decompressFrameSync } from 'lz4-napi';
import { DType } from '../src/core/dtype.js';
import { unwrapPy } from '../src/core/python/float.js';
import type { Plugin } from '../src/core/plugin.js';
import { Records } from '../src/core/records.js';
import { PulseProcessing } from '../src/plugins/records/index.js';
import { SimRawRecords } from '../src/plugins/raw_records/index.js';
import { Peaklets } from '../src/plugins/peaklets/index.js';

const STRAXEN_CUMULATIVE_MB_S = 69;

export interface PeakletsBenchResult {
  name: string;
  rawRecordsMB: number;
  records: number;
  peaklets: number;
  loneHits: number;
  /** Median CPU seconds of records → peaklets over the run. */
  peakletSeconds: number;
  peakletWallSeconds: number;
  /** Median CPU seconds of raw_records → records over the run. */
  recordSeconds: number;
  peakletMBps: number;
  cumulativeMBps: number;
  straxenCumulativeMBps: number;
}

interface Chunk {
  start: bigint;
  end: bigint;
  data: Records;
}

function referenceRoot(): string {
  return resolve(process.env.STRAXTS_REFERENCE ?? '/work/shared/reference');
}

function configure<P extends Plugin>(p: P, overrides: Record<string, unknown>): P {
  const cfg: Record<string, unknown> = {};
  for (const o of p.options) {
    if (o.defaultFactory) cfg[o.name] = unwrapPy(o.defaultFactory());
    else if ('default' in o) cfg[o.name] = unwrapPy(o.default);
  }
  p.config = { ...cfg, ...overrides };
  return p;
}

function loadRawRecords(dataDir: string): Chunk[] {
  const folder = readdirSync(dataDir).find((d) => d.startsWith('000333-raw_records-'));
  if (!folder) throw new Error(`no raw_records in ${dataDir}`);
  const dir = join(dataDir, folder);
  const metaText = readFileSync(
    join(
      dir,
      readdirSync(dir).find((f) => f.endsWith('-metadata.json'))!,
    ),
    'utf8',
  );
  const meta = JSON.parse(metaText) as { dtype: string; chunks: { n: number; filename: string }[] };
  // Chunk bounds are int64: read them from the text, not from JSON numbers.
  const pieces = metaText.slice(metaText.indexOf('"chunks"')).split('"chunk_i"').slice(1);
  const dtype = DType.fromDescr(meta.dtype);
  return meta.chunks.map((c, i) => ({
    start: BigInt(/"start": (\d+)/.exec(pieces[i]!)![1]!),
    end: BigInt(/"end": (\d+)/.exec(pieces[i]!)![1]!),
    data: Records.fromBytes(
      dtype,
      c.n > 0 ? new Uint8Array(decompressFrameSync(readFileSync(join(dir, c.filename)))) : new Uint8Array(0),
    ),
  }));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU (user + system) and wall seconds of f, median over `n` runs after one warm-up. */
function timeIt(f: () => void, n: number): { cpu: number; wall: number } {
  f();
  const cpu: number[] = [],
    wall: number[] = [];
  for (let k = 0; k < n; k++) {
    const w = performance.now();
    const c0 = process.cpuUsage();
    f();
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1e6);
    wall.push((performance.now() - w) / 1000);
  }
  return { cpu: median(cpu), wall: median(wall) };
}

export async function run(): Promise<PeakletsBenchResult> {
  const dataDir = join(referenceRoot(), 'bench000333', 'strax_data');
  const raw = loadRawRecords(dataDir);
  const mb = raw.reduce((s, c) => s + c.data.nbytes, 0) / 1e6;
  const json = (name: string): number[] => JSON.parse(readFileSync(join(dataDir, name), 'utf8')) as number[];
  const thresholds = json('000333-hit_thresholds.json');
  const toPe = Float64Array.from(json('000333-to_pe.json'));

  const pulse = configure(new PulseProcessing(), { n_tpc_pmts: 494, hit_min_amplitude: thresholds });
  pulse.depDtypes = { raw_records: new SimRawRecords().inferDtype() };
  let records: Chunk[] = [];
  const rec = timeIt(() => {
    records = raw.map((c, chunkI) => ({
      start: c.start,
      end: c.end,
      data: (
        pulse.compute({ raw_records: c.data }, { start: c.start, end: c.end, chunkI }) as Record<
          string,
          Records
        >
      )['records']!,
    }));
  }, 3);

  const peaklets = configure(new Peaklets(), {
    gain_model: toPe,
    hit_min_amplitude: Int32Array.from(thresholds),
    n_tpc_pmts: 494,
    n_top_pmts: 253,
    store_data_top: false,
    store_data_start: false,
  });
  peaklets.setup();
  let nPeaklets = 0,
    nLone = 0;
  const pk = timeIt(() => {
    nPeaklets = 0;
    nLone = 0;
    records.forEach((c, chunkI) => {
      const out = peaklets.compute({ records: c.data }, { start: c.start, end: c.end, chunkI }) as Record<
        string,
        Records
      >;
      nPeaklets += out['peaklets']!.length;
      nLone += out['lone_hits']!.length;
    });
  }, 5);

  const res: PeakletsBenchResult = {
    name: 'records → peaklets + lone_hits (Peaklets)',
    rawRecordsMB: mb,
    records: records.reduce((s, c) => s + c.data.length, 0),
    peaklets: nPeaklets,
    loneHits: nLone,
    peakletSeconds: pk.cpu,
    peakletWallSeconds: pk.wall,
    recordSeconds: rec.cpu,
    peakletMBps: mb / pk.cpu,
    cumulativeMBps: mb / (rec.cpu + pk.cpu),
    straxenCumulativeMBps: STRAXEN_CUMULATIVE_MB_S,
  };
  console.log(
    `${res.name}: ${res.records} records → ${nPeaklets} peaklets, ${nLone} lone hits; ` +
      `${pk.cpu.toFixed(3)} s CPU (${pk.wall.toFixed(3)} s wall) = ${res.peakletMBps.toFixed(0)} MB/s of raw_records; ` +
      `cumulative raw_records → peaklets ${(rec.cpu + pk.cpu).toFixed(3)} s = ${res.cumulativeMBps.toFixed(0)} MB/s ` +
      `(straxen numba ${STRAXEN_CUMULATIVE_MB_S} MB/s cumulative)`,
  );
  return res;
}

if (process.argv[1] && /peaklets\.bench\.[jt]s$/.test(process.argv[1])) {
  run().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
