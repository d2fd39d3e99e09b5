// bootstrax benchmark: one eventbuilder, live_data -> event_info_double, as whole processes.
//  1. a complete run (fake_daq without pacing, then `bootstrax --process RUN`): MB/s of
//     raw_records over the whole bootstrax process (start-up, claim, child, checks, done);
//  2. a run written at the DAQ's pace (fake_daq --realtime) while the daemon processes it:
//     latency from THE_END appearing to the run being `done` in the runs database.
// Environment: BOOTSTRAX_BENCH_SECONDS (simulated run length, default 10), BOOTSTRAX_BENCH_CORES
// (default 2).

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { folderMetadata } from '../src/daq/bootstrax/stored-facts.js';
import { openRunDb, type RunDb } from '../src/rundb/rundb.js';

const cli = (tool: string): string =>
  join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', `${tool}.js`);

function tool(name: string, args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli(name), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (out += b.toString()));
    p.on('exit', (code) => resolve({ code, out }));
  });
}

/** A tool run under bash, whose `times` adds up the CPU of the tool and every process it waited
 * for (bootstrax's processing child included). */
async function cpuSeconds(
  name: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; cpu: number }> {
  const quoted = [process.execPath, cli(name), ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const p = spawn('bash', ['-c', `${quoted} >/dev/null 2>&1; rc=$?; times; exit $rc`], { cwd });
    let out = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.on('exit', (code) => resolve({ code, out }));
  });
  const line = r.out.trim().split('\n').pop() ?? '';
  const secs = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { code: r.code, cpu: secs.reduce((a, b) => a + b, 0) };
}

const fakeArgs = (seconds: number, live: string, n: number, db: string): string[] => [
  '--simulate',
  `${seconds}s`,
  '--seed',
  String(n),
  '--output',
  join(live, String(n).padStart(6, '0')),
  '--output_run',
  String(n),
  '--rundb',
  db,
];

async function rawMb(db: RunDb, n: number): Promise<number> {
  const raw = (await db.listData(n, { type: 'raw_records' }))[0];
  const md = raw ? folderMetadata(raw.location) : undefined;
  return md ? md.chunks.reduce((s, c) => s + c.nbytes, 0) / 1e6 : 0;
}

export async function run(): Promise<string> {
  const seconds = Number(process.env.BOOTSTRAX_BENCH_SECONDS ?? 10);
  const cores = process.env.BOOTSTRAX_BENCH_CORES ?? '2';
  const dir = mkdtempSync(join(tmpdir(), 'straxts-bench-bootstrax-'));
  const url = `sqlite:${join(dir, 'rundb.sqlite')}`;
  const live = join(dir, 'live');
  const common = ['--production', '--rundb', url, '--hostname', 'eb3', '--output_dir', join(dir, 'out')];
  const opts = [
    ...common,
    '--fix_target',
    '--targets',
    'event_info_double',
    '--cores',
    cores,
    '--min_free_gb',
    '0.1',
  ];
  const db = await openRunDb(url);
  try {
    // 1. complete run
    const w = await tool('fake_daq', fakeArgs(seconds, live, 1, url), dir);
    if (w.code !== 0) throw new Error(`fake_daq: ${w.out}`);
    const t0 = performance.now();
    const p = await cpuSeconds('bootstrax', [...opts, '--process', '1'], dir);
    const wall = (performance.now() - t0) / 1000;
    if ((await db.getRun(1))?.bootstrax.state !== 'done')
      throw new Error(`bootstrax --process failed: ${(await db.getRun(1))?.bootstrax.reason}`);
    const mb = await rawMb(db, 1);

    // 2. live run, daemon running
    const daemon = spawn(process.execPath, [cli('bootstrax'), ...opts], { cwd: dir, stdio: 'ignore' });
    const writing = tool('fake_daq', [...fakeArgs(seconds, live, 2, url), '--realtime'], dir);
    const theEnd = join(live, '000002', 'THE_END');
    while (!existsSync(theEnd)) await new Promise((r) => setTimeout(r, 20));
    const tEnd = performance.now();
    let latency = NaN;
    for (;;) {
      const st = (await db.getRun(2))?.bootstrax.state;
      if (st === 'done') {
        latency = (performance.now() - tEnd) / 1000;
        break;
      }
      if (st === 'failed') throw new Error(`live run failed: ${(await db.getRun(2))?.bootstrax.reason}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await writing;
    daemon.kill('SIGTERM');
    await new Promise((r) => daemon.once('exit', r));
    const mb2 = await rawMb(db, 2);
    return [
      `complete run: ${mb.toFixed(1)} MB raw_records (${seconds} s simulated) -> event_info_double in ${wall.toFixed(1)} s = ${(mb / wall).toFixed(1)} MB/s wall, ${(mb / p.cpu).toFixed(1)} MB per CPU second (${p.cpu.toFixed(1)} s CPU; whole bootstrax --process and its child, ${cores} cores)`,
      `live run (${mb2.toFixed(1)} MB, written at the DAQ's pace): THE_END -> done in ${latency.toFixed(1)} s`,
    ].join('\n');
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
