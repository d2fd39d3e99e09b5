// microstrax under load: requests per second and latency (p50, p99) of /get_data for 1000
// peak_basics rows and for 100 peaks with their waveforms, from the reference run 012200
// (1393 peaks), by MICROSTRAX_CONCURRENCY clients at once (default 8) on 127.0.0.1. The server
// is the built CLI in its own process, as operators run it; the clients share this process.
// MICROSTRAX_REQUESTS (default 400) requests per case, after 20 warm-up requests.

import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REF = resolve(process.env.STRAXTS_REFERENCE ?? '/work/shared/reference');
const here = dirname(fileURLToPath(import.meta.url));

function fetchOnce(agent: Agent, url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((done, fail) => {
    const req = request(url, { agent }, (res) => {
      let bytes = 0;
      res.on('data', (b: Buffer) => (bytes += b.length));
      res.on('end', () => done({ status: res.statusCode ?? 0, bytes }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}

interface CaseResult {
  case: string;
  requests: number;
  concurrency: number;
  req_per_s: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  response_kB: number;
  MB_per_s: number;
}

async function load(name: string, url: string, n: number, concurrency: number): Promise<CaseResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    for (let i = 0; i < 20; i++) await fetchOnce(agent, url);
    const lat: number[] = [];
    let bytes = 0;
    let next = 0;
    const t0 = performance.now();
    const client = async (): Promise<void> => {
      while (next < n) {
        next++;
        const t = performance.now();
        const r = await fetchOnce(agent, url);
        lat.push(performance.now() - t);
        if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
        bytes = r.bytes;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    const s = (performance.now() - t0) / 1000;
    lat.sort((a, b) => a - b);
    const q = (p: number): number => +lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(1);
    return {
      case: name,
      requests: lat.length,
      concurrency,
      req_per_s: +(lat.length / s).toFixed(1),
      p50_ms: q(0.5),
      p99_ms: q(0.99),
      max_ms: +lat[lat.length - 1]!.toFixed(1),
      response_kB: Math.round(bytes / 1000),
      MB_per_s: +((bytes * lat.length) / s / 1e6).toFixed(1),
    };
  } finally {
    agent.destroy();
  }
}

export async function run(): Promise<CaseResult[]> {
  const data = join(REF, 'run012200', 'strax_data');
  const cli = join(here, '..', 'src', 'cli', 'microstrax.js');
  const args = ['--context', 'reference', '--config_from_json', join(data, '012200-config.json')];
  const server = spawn(process.execPath, [cli, ...args, '--extra_dirs', data, '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, STRAXTS_RUNDB: '' },
  });
  try {
    const base = await new Promise<string>((done, fail) => {
      let err = '';
      server.stderr!.on('data', (b: Buffer) => {
        err += b.toString();
        const m = /at (http:\/\/\S+) /.exec(err);
        if (m) done(m[1]!);
      });
      server.on('exit', (code) => fail(new Error(`microstrax exited (${code}): ${err}`)));
    });
    const n = Number(process.env.MICROSTRAX_REQUESTS ?? 400);
    const c = Number(process.env.MICROSTRAX_CONCURRENCY ?? 8);
    return [
      await load(
        '1000 peak_basics rows',
        `${base}/get_data?run_id=012200&target=peak_basics&max_n=1000`,
        n,
        c,
      ),
      await load('100 peaks with waveforms', `${base}/get_data?run_id=012200&target=peaks&max_n=100`, n, c),
    ];
  } finally {
    server.kill('SIGTERM');
  }
}
