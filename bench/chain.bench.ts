// Whole-chain benchmark on bench000333 (20 s run, 110.4 MB of raw_records), measured as whole
// processes: each figure is one `straxer` call, node start-up, module loading, reading and
// decompressing raw_records, computing and saving (zstd/blosc as strax) included, in a fresh data
// folder that holds only raw_records and the run's JSON files, so nothing downstream is stored.
//
// Environment: CHAIN_TARGETS (comma list, default records,peaklets,peak_basics,event_info_double),
// CHAIN_WORKERS (comma list, default 1,2,3), CHAIN_REPEATS (default 3), STRAXTS_REFERENCE.
// BENCH_PREVIOUS: the folder of a built earlier straxts (its dist/src/cli/straxer.js); its runs
// alternate with this build's and each figure gets the ratio this/previous, same sitting.
// straxen: when the reference environment of ../shared/refenv is set up (STRAXEN_REFENV, default
// /tmp/refwork), straxen's hot chain is timed in the same sitting (refenv's bench.py) and the
// ratio printed; otherwise straxen's recorded figures (STRAXEN_SPEED.md) are printed beside.
// Warm (CHAIN_WARM=0 skips it): the straxer job run several times in one process
// (warm-straxer.ts), to split a whole process's time into JIT warm-up and processing.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  median,
  previousCli,
  shebangSettings,
  timeNodeProcess,
  type ProcessFigures,
} from './process-figures.js';

export const RUN = '000333';

/** straxen hot, one worker: cumulative seconds from the start of processing to each type. */
export const STRAXEN_HOT_S: Readonly<Record<string, number>> = {
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
  mainCpuSeconds: number | null;
  /** raw_records MB (uncompressed) per wall second of the whole process. */
  MBps: number;
  /** raw_records MB per CPU second (user + system, all threads). */
  cpuMBps: number | null;
  /** The previous build's medians in the same sitting (BENCH_PREVIOUS), if given. */
  previous: { wallSeconds: number; cpuSeconds: number | null } | null;
  /** straxen hot: measured in this sitting when the reference environment is present. */
  straxenHotSeconds: number;
  straxenMeasured: boolean;
  /** The same job repeated in one process (event_info_double only), or null when not measured. */
  warm: WarmFigures | null;
  runs: ProcessFigures[];
}

export interface WarmFigures {
  /** The first job in the process (JIT cold, modules already loaded). */
  firstWallSeconds: number;
  firstCpuSeconds: number;
  /** Medians of the later jobs (JIT warm). */
  wallSeconds: number;
  cpuSeconds: number;
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
export function freshFolder(dataDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'straxts-chain-'));
  for (const f of readdirSync(dataDir)) {
    if (f.startsWith(`${RUN}-raw_records-`) || f.endsWith('.json'))
      cpSync(join(dataDir, f), join(dir, f), { recursive: true });
  }
  return dir;
}

/** One straxer process on a fresh copy of the run. */
async function runOnce(
  cli: string,
  dataDir: string,
  target: string,
  workers: number,
): Promise<ProcessFigures> {
  const dir = freshFolder(dataDir);
  try {
    return await timeNodeProcess(
      cli,
      [
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
      ],
      dir,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The straxer job `runs` times in one process with straxer's own settings (warm-straxer.ts). */
function warmRuns(dataDir: string, workers: number, runs: number): WarmFigures {
  const own = shebangSettings(straxerPath());
  const script = join(here, 'warm-straxer.js');
  const r = spawnSync(process.execPath, [...own.flags, script, dataDir, String(workers), String(runs)], {
    env: { ...process.env, ...own.env },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const rows = [...(r.stdout ?? '').matchAll(/WARMRUN (\d+) ([\d.]+) ([\d.]+)/g)].map((m) => ({
    wall: Number(m[2]),
    cpu: Number(m[3]),
  }));
  if (r.status !== 0 || rows.length !== runs || runs < 2)
    throw new Error(
      `chain bench: warm runs failed (exit ${r.status}): ${(r.stderr ?? '').trim().slice(-500)}`,
    );
  const later = rows.slice(1);
  return {
    firstWallSeconds: rows[0]!.wall,
    firstCpuSeconds: rows[0]!.cpu,
    wallSeconds: median(later.map((x) => x.wall)),
    cpuSeconds: median(later.map((x) => x.cpu)),
  };
}

/** straxen's hot chain timed now with refenv's bench.py (median of `n` after a warm-up), or null
 * when the reference environment is not set up here. */
function straxenHot(dataDir: string, target: string, n: number): number | null {
  const work = resolve(process.env.STRAXEN_REFENV ?? '/tmp/refwork');
  const benchPy = join(referenceRoot(), '..', 'refenv', 'bench.py');
  const paths = [join(work, 'shims'), join(work, 'src', 'strax'), join(work, 'src', 'straxen')];
  if (!existsSync(benchPy) || !paths.every((p) => existsSync(p)) || !existsSync('/usr/bin/python3'))
    return null;
  if (target !== 'event_info_double') return null; // bench.py times its stages only together
  const r = spawnSync('/usr/bin/python3', [benchPy, 'hot', dataDir, RUN, String(n)], {
    env: { ...process.env, PYTHONPATH: paths.join(':') },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const times = [...(r.stdout ?? '').matchAll(/event_info_double ([\d.]+) s/g)].map((m) => Number(m[1]));
  if (r.status !== 0 || times.length === 0) {
    process.stderr.write(`chain: straxen hot run failed (exit ${r.status}); using the recorded figure\n`);
    return null;
  }
  return median(times);
}

const f = (x: number | null, d = 1): string => (x === null ? '–' : x.toFixed(d));
const ratio = (a: number | null, b: number | null | undefined): string =>
  a === null || b === null || b === undefined ? '–' : (a / b).toFixed(2);

function table(ms: ChainMeasurement[], mb: number): string {
  const lines = [
    `bench000333: ${mb.toFixed(1)} MB of raw_records; whole straxer processes, median of ${ms[0]?.runs.length ?? 0}`,
    '| target | workers | wall s | MB/s | CPU s | MB/CPU s | main thread CPU s | peak RSS MB | wall / previous | CPU / previous | straxen hot s | straxen hot / straxts wall |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const m of ms) {
    lines.push(
      `| ${m.target} | ${m.workers} | ${f(m.wallSeconds, 2)} | ${f(m.MBps)} | ${f(m.cpuSeconds, 2)} | ${f(m.cpuMBps)} | ` +
        `${f(m.mainCpuSeconds, 2)} | ${f(m.peakRssMB, 0)} | ${ratio(m.wallSeconds, m.previous?.wallSeconds)} | ` +
        `${ratio(m.cpuSeconds, m.previous?.cpuSeconds)} | ${m.straxenHotSeconds.toFixed(2)}${m.straxenMeasured ? '' : ' (recorded)'} | ` +
        `${(m.straxenHotSeconds / m.wallSeconds).toFixed(2)} |`,
    );
  }
  lines.push(
    `straxen hot figures exclude start-up, numba compilation and loading ('recorded': STRAXEN_SPEED.md, not this sitting); ` +
      `a whole straxen process to event_info_double takes ${STRAXEN_PROCESS_S.warm} s (warm cache) to ${STRAXEN_PROCESS_S.cold} s (cold), peak RSS ${STRAXEN_RSS_MB} MB.`,
  );
  const warm = ms.filter((m) => m.warm);
  if (warm.length) {
    lines.push(
      '',
      `The same straxer job repeated in one process on fresh copies (first: JIT cold; warm: median of the later ${warm[0]!.runs.length}):`,
      '| workers | whole process wall s | first job wall s | warm job wall s | warm job CPU s | whole process − warm job, s | straxen hot / straxts warm |',
      '|---|---|---|---|---|---|---|',
    );
    for (const m of warm) {
      const w = m.warm!;
      lines.push(
        `| ${m.workers} | ${f(m.wallSeconds, 2)} | ${f(w.firstWallSeconds, 2)} | ${f(w.wallSeconds, 2)} | ${f(w.cpuSeconds, 2)} | ` +
          `${f(m.wallSeconds - w.wallSeconds, 2)} | ${(m.straxenHotSeconds / w.wallSeconds).toFixed(2)} |`,
      );
    }
  }
  return lines.join('\n');
}

export async function run(): Promise<ChainBenchResult> {
  const dataDir = join(referenceRoot(), 'bench000333', 'strax_data');
  const cli = straxerPath();
  const prev = previousCli('straxer', 'chain');
  const mb = rawRecordsMB(dataDir);
  const targets = list(process.env.CHAIN_TARGETS, 'records,peaklets,peak_basics,event_info_double');
  const workerCounts = list(process.env.CHAIN_WORKERS, '1,2,3').map(Number);
  const repeats = Math.max(1, Number(process.env.CHAIN_REPEATS ?? 3));
  const measurements: ChainMeasurement[] = [];
  for (const target of targets) {
    const recorded = STRAXEN_HOT_S[target];
    if (recorded === undefined)
      throw new Error(
        `chain bench: no straxen figure for target '${target}'; use ${Object.keys(STRAXEN_HOT_S).join(', ')}`,
      );
    const hot = straxenHot(dataDir, target, repeats);
    for (const workers of workerCounts) {
      const runs: ProcessFigures[] = [];
      const prevRuns: ProcessFigures[] = [];
      for (let k = 0; k < repeats; k++) {
        runs.push(await runOnce(cli, dataDir, target, workers));
        if (prev) prevRuns.push(await runOnce(prev, dataDir, target, workers));
      }
      const med = (rs: ProcessFigures[], key: keyof ProcessFigures): number | null => {
        const xs = rs.map((r) => r[key]).filter((x): x is number => x !== null);
        return xs.length ? median(xs) : null;
      };
      const wall = med(runs, 'wall')!;
      const cpu = med(runs, 'cpu');
      const m: ChainMeasurement = {
        target,
        workers,
        wallSeconds: wall,
        cpuSeconds: cpu,
        peakRssMB: med(runs, 'rssMB'),
        mainCpuSeconds: med(runs, 'mainCpu'),
        MBps: mb / wall,
        cpuMBps: cpu ? mb / cpu : null,
        previous: prev ? { wallSeconds: med(prevRuns, 'wall')!, cpuSeconds: med(prevRuns, 'cpu') } : null,
        straxenHotSeconds: hot ?? recorded,
        straxenMeasured: hot !== null,
        warm:
          target === 'event_info_double' && process.env.CHAIN_WARM !== '0'
            ? warmRuns(dataDir, workers, repeats + 1)
            : null,
        runs,
      };
      measurements.push(m);
      process.stderr.write(
        `chain: ${target} ×${workers}: ${wall.toFixed(2)} s wall, ${f(cpu, 2)} s CPU, ${f(m.peakRssMB, 0)} MB` +
          (m.previous
            ? ` (previous: ${m.previous.wallSeconds.toFixed(2)} s, ${f(m.previous.cpuSeconds, 2)} s CPU)`
            : '') +
          '\n',
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
