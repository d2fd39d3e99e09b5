// Whole-chain benchmark on bench000333 (20 s run, 110.4 MB of raw_records), measured as whole
// processes: each figure is one `straxer` call, node start-up, module loading, reading and
// decompressing raw_records, computing and saving (zstd/blosc as strax) included, in a fresh data
// folder that holds only raw_records and the run's JSON files, so nothing downstream is stored.
//
// Environment: CHAIN_TARGETS (comma list, default records,peaklets,peak_basics,event_info_double),
// CHAIN_WORKERS (comma list, default 1,2), CHAIN_REPEATS (default 3), STRAXTS_REFERENCE.
// straxen's figures (STRAXEN_SPEED.md, same run, same kind of machine) are printed beside.

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUN = '000333';

/** straxen hot, one worker: cumulative seconds from the start of processing to each type. */
const STRAXEN_HOT_S: Readonly<Record<string, number>> = {
  records: 0.74,
  peaklets: 1.61,
  peak_basics: 1.69,
  event_info_double: 1.89,
};
/** straxen whole process to event_info_double: warm numba cache, and cold. */
const STRAXEN_PROCESS_S = { warm: 21.9, cold: 52.1 };
const STRAXEN_RSS_MB = 446;

export interface ChainMeasurement {
  target: string;
  workers: number;
  /** Median over the repeats of each figure. */
  wallSeconds: number;
  cpuSeconds: number | null;
  peakRssMB: number | null;
  /** raw_records MB (uncompressed) per wall second of the whole process. */
  MBps: number;
  /** raw_records MB per CPU second (user + system, all threads). */
  cpuMBps: number | null;
  straxenHotSeconds: number;
  straxenHotMBps: number;
  runs: { wall: number; cpu: number | null; rssMB: number | null }[];
}

export interface ChainBenchResult {
  rawRecordsMB: number;
  measurements: ChainMeasurement[];
  table: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const referenceRoot = (): string => resolve(process.env.STRAXTS_REFERENCE ?? '/work/shared/reference');
const list = (v: string | undefined, dflt: string): string[] =>
  (v ?? dflt)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The built straxer beside this compiled bench (dist/bench → dist/src/cli). */
function straxerPath(): string {
  const p = join(here, '..', 'src', 'cli', 'straxer.js');
  if (!existsSync(p)) throw new Error(`chain bench: ${p} not found; run 'npm run build' first`);
  return p;
}

function rawRecordsMB(dataDir: string): number {
  const folder = readdirSync(dataDir).find((d) => d.startsWith(`${RUN}-raw_records-`));
  if (!folder) throw new Error(`chain bench: no ${RUN}-raw_records-* folder in ${dataDir}`);
  const meta = readdirSync(join(dataDir, folder)).find((f) => f.endsWith('-metadata.json'))!;
  const md = JSON.parse(readFileSync(join(dataDir, folder, meta), 'utf8')) as {
    chunks: { nbytes: number }[];
  };
  return md.chunks.reduce((s, c) => s + c.nbytes, 0) / 1e6;
}

/** A fresh data folder with raw_records and the JSON files the config names. */
function freshFolder(dataDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'straxts-chain-'));
  for (const f of readdirSync(dataDir)) {
    if (f.startsWith(`${RUN}-raw_records-`) || f.endsWith('.json'))
      cpSync(join(dataDir, f), join(dir, f), { recursive: true });
  }
  return dir;
}

interface ProcessFigures {
  wall: number;
  cpu: number | null;
  rssMB: number | null;
}

/** Run one straxer process; CPU and RSS from GNU time when present, else RSS from straxer's summary. */
function runOnce(cli: string, dir: string, target: string, workers: number): Promise<ProcessFigures> {
  const args = [
    cli,
    RUN,
    '--target',
    target,
    '--context',
    'reference',
    '--add_folder',
    dir,
    '--config_from_json',
    join(dir, `${RUN}-config.json`),
    '--workers',
    String(workers),
  ];
  const gnuTime = existsSync('/usr/bin/time');
  const [cmd, argv] = gnuTime
    ? ['/usr/bin/time', ['-f', 'CHAINBENCH %U %S %M', process.execPath, ...args]]
    : [process.execPath, args];
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      if (code !== 0) {
        const tail = out.trim().split('\n').slice(-5).join('\n');
        reject(new Error(`straxer --target ${target} --workers ${workers} exited with ${code}:\n${tail}`));
        return;
      }
      const t = /CHAINBENCH ([\d.]+) ([\d.]+) (\d+)/.exec(out);
      const own = /peak RSS: (\d+) MB/.exec(out);
      resolveRun({
        wall,
        cpu: t ? Number(t[1]) + Number(t[2]) : null,
        rssMB: t ? Number(t[3]) / 1024 : own ? Number(own[1]) : null,
      });
    });
  });
}

const f = (x: number | null, d = 1): string => (x === null ? '–' : x.toFixed(d));

function table(ms: ChainMeasurement[], mb: number): string {
  const lines = [
    `bench000333: ${mb.toFixed(1)} MB of raw_records; whole straxer processes, median of ${ms[0]?.runs.length ?? 0}`,
    '| target | workers | wall s | MB/s (wall) | CPU s | MB/s (CPU) | peak RSS MB | straxen hot s (MB/s) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const m of ms) {
    lines.push(
      `| ${m.target} | ${m.workers} | ${f(m.wallSeconds, 2)} | ${f(m.MBps)} | ${f(m.cpuSeconds, 2)} | ${f(m.cpuMBps)} | ` +
        `${f(m.peakRssMB, 0)} | ${m.straxenHotSeconds.toFixed(2)} (${m.straxenHotMBps.toFixed(1)}) |`,
    );
  }
  lines.push(
    `straxen hot figures exclude start-up, numba compilation and loading; a whole straxen process to ` +
      `event_info_double takes ${STRAXEN_PROCESS_S.warm} s (warm cache) to ${STRAXEN_PROCESS_S.cold} s (cold), peak RSS ${STRAXEN_RSS_MB} MB.`,
  );
  return lines.join('\n');
}

export async function run(): Promise<ChainBenchResult> {
  const dataDir = join(referenceRoot(), 'bench000333', 'strax_data');
  const cli = straxerPath();
  const mb = rawRecordsMB(dataDir);
  const targets = list(process.env.CHAIN_TARGETS, 'records,peaklets,peak_basics,event_info_double');
  const workerCounts = list(process.env.CHAIN_WORKERS, '1,2').map(Number);
  const repeats = Math.max(1, Number(process.env.CHAIN_REPEATS ?? 3));
  const measurements: ChainMeasurement[] = [];
  for (const target of targets) {
    const hot = STRAXEN_HOT_S[target];
    if (hot === undefined)
      throw new Error(
        `chain bench: no straxen figure for target '${target}'; use ${Object.keys(STRAXEN_HOT_S).join(', ')}`,
      );
    for (const workers of workerCounts) {
      const runs: ProcessFigures[] = [];
      for (let k = 0; k < repeats; k++) {
        const dir = freshFolder(dataDir);
        try {
          runs.push(await runOnce(cli, dir, target, workers));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      const wall = median(runs.map((r) => r.wall));
      const cpus = runs.map((r) => r.cpu).filter((x): x is number => x !== null);
      const rss = runs.map((r) => r.rssMB).filter((x): x is number => x !== null);
      const cpu = cpus.length ? median(cpus) : null;
      const m: ChainMeasurement = {
        target,
        workers,
        wallSeconds: wall,
        cpuSeconds: cpu,
        peakRssMB: rss.length ? median(rss) : null,
        MBps: mb / wall,
        cpuMBps: cpu ? mb / cpu : null,
        straxenHotSeconds: hot,
        straxenHotMBps: mb / hot,
        runs,
      };
      measurements.push(m);
      process.stderr.write(
        `chain: ${target} ×${workers}: ${wall.toFixed(2)} s wall, ${f(cpu, 2)} s CPU, ${f(m.peakRssMB, 0)} MB\n`,
      );
    }
  }
  const text = table(measurements, mb);
  console.log(text);
  return { rawRecordsMB: mb, measurements, table: text };
}

if (process.argv[1] && /chain\.bench\.[jt]s$/.test(process.argv[1])) {
  run().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
