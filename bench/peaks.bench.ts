// peaklets → peak_basics throughput on bench000333 (20 s run, 110 MB of raw_records): the
// steps after Peaklets (peaklet_classification, merged_s2s, peaks, peak_basics), timed on the
// peaklets straxts makes from the run. straxen's numba spends 1.69 − 1.61 = 0.08 s on these
// steps (STRAXEN_SPEED.md, hot, one core); MB/s are of the uncompressed raw_records.

import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DType } from '../src/core/dtype.js';
import type { Plugin } from '../src/core/plugin.js';
import { unwrapPy } from '../src/core/python/float.js';
import { Records } from '../src/core/records.js';
import { readMetadata } from '../src/storage/metadata.js';
import { getCodec } from '../src/storage/codecs/index.js';
import { SimRawRecords } from '../src/plugins/raw_records/index.js';
import { PulseProcessing } from '../src/plugins/records/index.js';
import { Peaklets } from '../src/plugins/peaklets/index.js';
import { PeakletClassificationVanilla } from '../src/plugins/peaklet_classification/index.js';
import { MergedS2sVanilla } from '../src/plugins/merged_s2s/index.js';
import { PeaksVanilla } from '../src/plugins/peaks/index.js';
import { PeakBasicsVanilla } from '../src/plugins/peak_basics/index.js';

/** straxen hot, one worker: cumulative seconds to peaklets and to peak_basics. */
const STRAXEN_TO_PEAKLETS_S = 1.61;
const STRAXEN_TO_PEAK_BASICS_S = 1.69;

export interface PeaksBenchResult {
  name: string;
  rawRecordsMB: number;
  peaklets: number;
  mergedS2s: number;
  peaks: number;
  /** Median CPU seconds of each step over the run, and their sum. */
  seconds: { classification: number; mergedS2s: number; peaks: number; peakBasics: number; total: number };
  wallSeconds: number;
  /** raw_records MB per CPU second of the peaklets → peak_basics steps alone. */
  MBps: number;
  straxenSeconds: number;
  straxenMBps: number;
}

interface Chunk {
  start: bigint;
  end: bigint;
  data: Records;
}

function configure<P extends Plugin>(
  p: P,
  deps: Record<string, DType>,
  overrides: Record<string, unknown>,
): P {
  const cfg: Record<string, unknown> = {};
  for (const o of p.options) {
    if (o.defaultFactory) cfg[o.name] = unwrapPy(o.defaultFactory());
    else if ('default' in o) cfg[o.name] = unwrapPy(o.default);
  }
  p.config = { ...cfg, ...overrides };
  p.depDtypes = deps;
  return p;
}

async function loadRawRecords(dataDir: string): Promise<Chunk[]> {
  const folder = readdirSync(dataDir).find((d) => d.startsWith('000333-raw_records-'));
  if (!folder) throw new Error(`no raw_records in ${dataDir}`);
  const dir = join(dataDir, folder);
  const md = readMetadata(
    join(
      dir,
      readdirSync(dir).find((f) => f.endsWith('-metadata.json'))!,
    ),
  );
  const codec = getCodec(md.compressor, folder);
  const out: Chunk[] = [];
  for (const c of md.chunks) {
    const bytes =
      c.n > 0 && c.filename
        ? await codec.decompress(readFileSync(join(dir, c.filename)), c.nbytes)
        : new Uint8Array(0);
    out.push({ start: c.start, end: c.end, data: Records.fromBytes(md.dtype, bytes) });
  }
  return out;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function cpuSeconds(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

export async function run(repeats = 7): Promise<PeaksBenchResult> {
  const dataDir = join(
    resolve(process.env.STRAXTS_REFERENCE ?? '/work/shared/reference'),
    'bench000333',
    'strax_data',
  );
  const raw = await loadRawRecords(dataDir);
  const mb = raw.reduce((s, c) => s + c.data.nbytes, 0) / 1e6;
  const json = (name: string): number[] => JSON.parse(readFileSync(join(dataDir, name), 'utf8')) as number[];
  const thresholds = json('000333-hit_thresholds.json');
  const toPe = Float64Array.from(json('000333-to_pe.json'));
  const pmts = { n_tpc_pmts: 494, n_top_pmts: 253 };

  // Inputs (not timed): records and peaklets per raw_records chunk, as the engine would make them.
  const pulse = configure(
    new PulseProcessing(),
    { raw_records: new SimRawRecords().inferDtype() },
    { n_tpc_pmts: 494, hit_min_amplitude: thresholds },
  );
  const pk = configure(
    new Peaklets(),
    {},
    {
      ...pmts,
      gain_model: toPe,
      hit_min_amplitude: Int32Array.from(thresholds),
      store_data_top: false,
      store_data_start: false,
    },
  );
  pk.depDtypes = { records: (pulse.inferDtype() as Record<string, DType>)['records']! };
  pk.setup();
  const peakletParts: Records[] = [],
    loneParts: Records[] = [];
  raw.forEach((c, chunkI) => {
    const range = { start: c.start, end: c.end, chunkI };
    const rec = (pulse.compute({ raw_records: c.data }, range) as Record<string, Records>)['records']!;
    const out = pk.compute({ records: rec }, range) as Record<string, Records>;
    peakletParts.push(out['peaklets']!);
    loneParts.push(out['lone_hits']!);
  });
  const peaklets = Records.concat(peakletParts);
  const lone = Records.concat(loneParts);
  const range = { start: raw[0]!.start, end: raw[raw.length - 1]!.end, chunkI: 0 };

  const cls = configure(new PeakletClassificationVanilla(), { peaklets: peaklets.dtype }, pmts);
  const clsDtype = cls.inferDtype() as DType;
  const depsPk = { peaklets: peaklets.dtype, peaklet_classification: clsDtype };
  // strax merges same-kind inputs in data-type name order; the classification's values win.
  const mergedDtype = DType.merge([clsDtype, peaklets.dtype]);
  const merger = configure(
    new MergedS2sVanilla(),
    { ...depsPk, lone_hits: lone.dtype },
    { ...pmts, gain_model: toPe },
  );
  const peaksP = configure(new PeaksVanilla(), { ...depsPk, merged_s2s: merger.inferDtype() }, {});
  const basics = configure(new PeakBasicsVanilla(), { peaks: peaksP.inferDtype() }, pmts);

  const t = {
    classification: [] as number[],
    mergedS2s: [] as number[],
    peaks: [] as number[],
    peakBasics: [] as number[],
    total: [] as number[],
  };
  const wall: number[] = [];
  let nMerged = 0,
    nPeaks = 0;
  for (let k = 0; k <= repeats; k++) {
    const w0 = performance.now();
    let both!: Records, merged!: Records, peaks!: Records;
    const a = cpuSeconds(() => {
      const c = cls.compute({ peaklets }) as Records;
      both = Records.mergeColumns([peaklets, c], mergedDtype);
    });
    const b = cpuSeconds(() => {
      merged = merger.compute({ peaklets: both, lone_hits: lone }, range);
    });
    const c = cpuSeconds(() => {
      peaks = peaksP.compute({ peaklets: both, merged_s2s: merged }, range);
    });
    const d = cpuSeconds(() => {
      basics.compute({ peaks }, range);
    });
    if (k === 0) continue; // warm-up
    wall.push((performance.now() - w0) / 1000);
    t.classification.push(a);
    t.mergedS2s.push(b);
    t.peaks.push(c);
    t.peakBasics.push(d);
    t.total.push(a + b + c + d);
    nMerged = merged.length;
    nPeaks = peaks.length;
  }
  const seconds = {
    classification: median(t.classification),
    mergedS2s: median(t.mergedS2s),
    peaks: median(t.peaks),
    peakBasics: median(t.peakBasics),
    total: median(t.total),
  };
  const straxenSeconds = STRAXEN_TO_PEAK_BASICS_S - STRAXEN_TO_PEAKLETS_S;
  const res: PeaksBenchResult = {
    name: 'peaklets → peak_basics (classification, merged_s2s, peaks, peak_basics)',
    rawRecordsMB: mb,
    peaklets: peaklets.length,
    mergedS2s: nMerged,
    peaks: nPeaks,
    seconds,
    wallSeconds: median(wall),
    MBps: mb / seconds.total,
    straxenSeconds,
    straxenMBps: mb / straxenSeconds,
  };
  console.log(
    `${res.name}: ${res.peaklets} peaklets → ${nMerged} merged S2s, ${nPeaks} peaks; CPU s: classification ` +
      `${seconds.classification.toFixed(4)}, merged_s2s ${seconds.mergedS2s.toFixed(4)}, peaks ${seconds.peaks.toFixed(4)}, ` +
      `peak_basics ${seconds.peakBasics.toFixed(4)}; total ${seconds.total.toFixed(4)} s (${res.wallSeconds.toFixed(4)} s wall) = ` +
      `${res.MBps.toFixed(0)} MB/s of raw_records (straxen numba ≈ ${straxenSeconds.toFixed(2)} s = ${res.straxenMBps.toFixed(0)} MB/s)`,
  );
  return res;
}

if (process.argv[1] && /peaks\.bench\.[jt]s$/.test(process.argv[1])) {
  run().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
