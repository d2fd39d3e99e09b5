// Throughput against run length and threads: simulated runs of 1, 10 and 30 minutes (384 MB of
// raw_records a minute) processed to event_info_double by whole straxer processes with 1 and 2
// workers, with how the CPU splits between the main thread and the others. The same MB/s at
// every length says nothing accumulates with the run (memory, per-chunk overheads).
//
// Environment: SCALING_MINUTES (default 1,10,30), SCALING_WORKERS (default 1,2,3), SCALING_REPEATS
// (default 1), SCALING_DATA: a folder where the simulated runs are kept between calls (without it
// they are simulated into a temporary folder removed at the end: ~6 CPU s and ~160 MB of disk a
// minute, 1.8 GB for the defaults, which must not stay behind in /tmp). BENCH_PREVIOUS: a built
// earlier straxts whose runs alternate with this build's (ratios this/previous). straxen has no
// figure on these runs: its hot chain's MB/s on bench000333 (recorded) is the yardstick.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRAXEN_HOT_S } from './chain.bench.js';
import { medianFigures, previousCli, timeNodeProcess, type ProcessFigures } from './process-figures.js';

/** straxen's hot chain to event_info_double on bench000333 (110.4 MB), STRAXEN_SPEED.md. */
const STRAXEN_HOT_MBPS = 110.4 / STRAXEN_HOT_S.event_info_double!;
/** The MB/s at every run length within this of each other; peak RSS within this of their mean. */
const FLAT_MBPS = 0.1;
const FLAT_RSS = 0.15;

const here = dirname(fileURLToPath(import.meta.url));
const cli = (name: string): string => {
  const p = join(here, '..', 'src', 'cli', `${name}.js`);
  if (!existsSync(p)) throw new Error(`scaling bench: ${p} not found; run 'npm run build' first`);
  return p;
};
const list = (v: string | undefined, dflt: string): number[] =>
  (v ?? dflt)
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((x) => Number.isFinite(x) && x > 0);

/** Run id of the simulated run of `minutes` (000101 for 1 minute, 000110 for 10, ...). */
const runIdOf = (minutes: number): string => String(100 + minutes).padStart(6, '0');

function rawRecordsMB(folder: string, runId: string): number | null {
  if (!existsSync(folder)) return null;
  const rr = readdirSync(folder).find((d) => d.startsWith(`${runId}-raw_records-`) && !d.endsWith('_temp'));
  if (!rr) return null;
  const meta = readdirSync(join(folder, rr)).find((f) => f.endsWith('-metadata.json'));
  if (!meta) return null;
  const md = JSON.parse(readFileSync(join(folder, rr, meta), 'utf8')) as {
    chunks: { nbytes: number }[];
    writing_ended?: number;
  };
  if (!md.writing_ended) return null;
  return md.chunks.reduce((s, c) => s + c.nbytes, 0) / 1e6;
}

/** The run's working folder (its raw_records in ./strax_data), simulated on first use. */
function simulated(root: string, minutes: number): { cwd: string; runId: string; mb: number } {
  const runId = runIdOf(minutes);
  const cwd = join(root, runId);
  const data = join(cwd, 'strax_data');
  let mb = rawRecordsMB(data, runId);
  if (mb === null) {
    rmSync(cwd, { recursive: true, force: true });
    mkdirSync(cwd, { recursive: true });
    process.stderr.write(`scaling: simulating ${minutes} min as run ${runId} in ${data}\n`);
    const r = spawnSync(
      process.execPath,
      [cli('straxts'), 'simulate', runId, '--duration', `${minutes}m`, '-o', data, '--no-rundb'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (r.status !== 0) throw new Error(`scaling bench: simulating ${minutes} min failed (exit ${r.status})`);
    mb = rawRecordsMB(data, runId);
    if (mb === null) throw new Error(`scaling bench: no raw_records after simulating run ${runId}`);
  }
  return { cwd, runId, mb };
}

export interface ScalingMeasurement {
  minutes: number;
  workers: number;
  rawRecordsMB: number;
  figures: ProcessFigures;
  MBps: number;
  cpuMBps: number | null;
  /** BENCH_PREVIOUS's medians on the same run, same sitting. */
  previous: ProcessFigures | null;
}

const f = (x: number | null, d = 1): string => (x === null ? '–' : x.toFixed(d));

const ratio = (a: number | null, b: number | null | undefined): string =>
  a === null || b === null || b === undefined ? '–' : (a / b).toFixed(2);

export function scalingTable(ms: readonly ScalingMeasurement[]): string {
  const lines = [
    '| run | raw_records MB | workers | wall s | MB/s | CPU s | MB/CPU s | main thread CPU s | other threads CPU s | peak RSS MB | MB/s / straxen hot | wall / previous | CPU / previous | RSS / previous |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const m of ms)
    lines.push(
      `| ${m.minutes} min | ${m.rawRecordsMB.toFixed(0)} | ${m.workers} | ${f(m.figures.wall)} | ${f(m.MBps)} | ` +
        `${f(m.figures.cpu)} | ${f(m.cpuMBps)} | ${f(m.figures.mainCpu)} | ${f(m.figures.otherCpu)} | ${f(m.figures.rssMB, 0)} | ` +
        `${(m.MBps / STRAXEN_HOT_MBPS).toFixed(2)} | ${ratio(m.figures.wall, m.previous?.wall)} | ` +
        `${ratio(m.figures.cpu, m.previous?.cpu)} | ${ratio(m.figures.rssMB, m.previous?.rssMB)} |`,
    );
  return lines.join('\n');
}

/** Per worker count: is MB/s the same at every run length (within 10 %), and peak RSS (±15 %)? */
export function flatness(ms: readonly ScalingMeasurement[]): string[] {
  const out: string[] = [];
  for (const workers of [...new Set(ms.map((m) => m.workers))]) {
    const mine = ms.filter((m) => m.workers === workers);
    if (mine.length < 2) continue;
    const mbps = mine.map((m) => m.MBps);
    const spread = Math.max(...mbps) / Math.min(...mbps) - 1;
    const rss = mine.map((m) => m.figures.rssMB).filter((x): x is number => x !== null);
    const mean = rss.reduce((a, b) => a + b, 0) / rss.length;
    const dev = rss.length ? Math.max(...rss.map((x) => Math.abs(x / mean - 1))) : null;
    out.push(
      `${workers} worker${workers === 1 ? '' : 's'}: MB/s ${f(Math.min(...mbps))}–${f(Math.max(...mbps))} over ` +
        `${mine.map((m) => m.minutes).join('/')} min, spread ${(100 * spread).toFixed(0)} % ` +
        `(${spread <= FLAT_MBPS ? 'flat' : 'NOT flat'}, goal ≤ ${100 * FLAT_MBPS} %); peak RSS ` +
        (dev === null
          ? '–'
          : `${rss.map((x) => x.toFixed(0)).join('/')} MB, at most ${(100 * dev).toFixed(0)} % from their mean ` +
            `(${dev <= FLAT_RSS ? 'flat' : 'NOT flat'}, goal ± ${100 * FLAT_RSS} %)`),
    );
  }
  return out;
}

export async function run(): Promise<{ measurements: ScalingMeasurement[]; table: string }> {
  const kept = process.env.SCALING_DATA;
  const root = kept ? resolve(kept) : mkdtempSync(join(tmpdir(), 'straxts-scaling-runs-'));
  try {
    return await measure(root, kept !== undefined);
  } finally {
    if (!kept) rmSync(root, { recursive: true, force: true });
  }
}

async function measure(
  root: string,
  kept: boolean,
): Promise<{ measurements: ScalingMeasurement[]; table: string }> {
  const minutesList = list(process.env.SCALING_MINUTES, '1,10,30');
  const workerCounts = list(process.env.SCALING_WORKERS, '1,2,3');
  const repeats = Math.max(1, Number(process.env.SCALING_REPEATS ?? 1));
  const straxer = cli('straxer');
  const prev = previousCli('straxer', 'scaling');
  const measurements: ScalingMeasurement[] = [];
  const once = async (tool: string, runId: string, cwd: string, workers: number): Promise<ProcessFigures> => {
    const out = mkdtempSync(join(tmpdir(), 'straxts-scaling-out-'));
    try {
      return await timeNodeProcess(
        tool,
        [runId, '--target', 'event_info_double', '--add_folder', out, '--workers', String(workers)],
        cwd,
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  };
  for (const minutes of minutesList) {
    const { cwd, runId, mb } = simulated(root, minutes);
    for (const workers of workerCounts) {
      const runs: ProcessFigures[] = [];
      const prevRuns: ProcessFigures[] = [];
      for (let k = 0; k < repeats; k++) {
        runs.push(await once(straxer, runId, cwd, workers));
        if (prev) prevRuns.push(await once(prev, runId, cwd, workers));
      }
      const figures = medianFigures(runs);
      const m: ScalingMeasurement = {
        minutes,
        workers,
        rawRecordsMB: mb,
        figures,
        MBps: mb / figures.wall,
        cpuMBps: figures.cpu ? mb / figures.cpu : null,
        previous: prev ? medianFigures(prevRuns) : null,
      };
      measurements.push(m);
      process.stderr.write(
        `scaling: ${minutes} min ×${workers}: ${figures.wall.toFixed(1)} s wall (${m.MBps.toFixed(1)} MB/s), ` +
          `${f(figures.cpu)} s CPU (main ${f(figures.mainCpu)}, other threads ${f(figures.otherCpu)})\n`,
      );
    }
  }
  const table =
    `Simulated runs to event_info_double, whole straxer processes (median of ${repeats}); ` +
    (kept ? `simulated runs kept in ${root}\n` : 'simulated runs removed (set SCALING_DATA to keep them)\n') +
    scalingTable(measurements) +
    `\nstraxen hot: ${STRAXEN_HOT_MBPS.toFixed(1)} MB/s on bench000333 (recorded, STRAXEN_SPEED.md)\n` +
    flatness(measurements).join('\n');
  console.log(table);
  return { measurements, table };
}

if (process.argv[1] && /scaling\.bench\.[jt]s$/.test(process.argv[1])) {
  run().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
