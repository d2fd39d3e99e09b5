// Throughput against run length and threads: simulated runs of 1, 10 and 30 minutes (384 MB of
// raw_records a minute) processed to event_info_double by whole straxer processes with 1 and 2
// workers, with how the CPU splits between the main thread and the others. The same MB/s at
// every length says nothing accumulates with the run (memory, per-chunk overheads).
//
// Environment: SCALING_MINUTES (default 1,10,30), SCALING_WORKERS (default 1,2), SCALING_REPEATS
// (default 1), SCALING_DATA: a folder where the simulated runs are kept between calls (without it
// they are simulated into a temporary folder removed at the end: ~6 CPU s and ~160 MB of disk a
// minute, 1.8 GB for the defaults, which must not stay behind in /tmp).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { medianFigures, timeNodeProcess, type ProcessFigures } from './process-figures.js';

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
}

const f = (x: number | null, d = 1): string => (x === null ? '–' : x.toFixed(d));

export function scalingTable(ms: readonly ScalingMeasurement[]): string {
  const lines = [
    '| run | raw_records MB | workers | wall s | MB/s | CPU s | MB/CPU s | main thread CPU s | other threads CPU s | peak RSS MB |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const m of ms)
    lines.push(
      `| ${m.minutes} min | ${m.rawRecordsMB.toFixed(0)} | ${m.workers} | ${f(m.figures.wall)} | ${f(m.MBps)} | ` +
        `${f(m.figures.cpu)} | ${f(m.cpuMBps)} | ${f(m.figures.mainCpu)} | ${f(m.figures.otherCpu)} | ${f(m.figures.rssMB, 0)} |`,
    );
  return lines.join('\n');
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
  const workerCounts = list(process.env.SCALING_WORKERS, '1,2');
  const repeats = Math.max(1, Number(process.env.SCALING_REPEATS ?? 1));
  const straxer = cli('straxer');
  const measurements: ScalingMeasurement[] = [];
  for (const minutes of minutesList) {
    const { cwd, runId, mb } = simulated(root, minutes);
    for (const workers of workerCounts) {
      const runs: ProcessFigures[] = [];
      for (let k = 0; k < repeats; k++) {
        const out = mkdtempSync(join(tmpdir(), 'straxts-scaling-out-'));
        try {
          runs.push(
            await timeNodeProcess(
              straxer,
              [runId, '--target', 'event_info_double', '--add_folder', out, '--workers', String(workers)],
              cwd,
            ),
          );
        } finally {
          rmSync(out, { recursive: true, force: true });
        }
      }
      const figures = medianFigures(runs);
      const m: ScalingMeasurement = {
        minutes,
        workers,
        rawRecordsMB: mb,
        figures,
        MBps: mb / figures.wall,
        cpuMBps: figures.cpu ? mb / figures.cpu : null,
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
    scalingTable(measurements);
  console.log(table);
  return { measurements, table };
}

if (process.argv[1] && /scaling\.bench\.[jt]s$/.test(process.argv[1])) {
  run().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
