// restrax on a reference run: run012100's raw_records (lz4, as bootstrax writes them) rechunked and recompressed into the processed folder, then checked, re-registered and
// the original removed. Uncompressed MB per second of wall time and of CPU time (the CPU figure
// holds on a loaded machine), for each raw-data compressor restrax chooses (zstd for busy runs,
// bz2 for quiet ones).

import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Restrax } from '../src/daq/restrax/restrax.js';
import { folderMetadata } from '../src/daq/restrax/rechunk.js';
import { folderBytes } from '../src/daq/data-life/folders.js';
import { openRunDb } from '../src/rundb/rundb.js';

const REF = resolve(process.env.STRAXTS_REFERENCE ?? '/work/shared/reference');
const HOST = 'eb-bench';

async function once(rate: number): Promise<Record<string, unknown>> {
  const root = mkdtempSync(join(tmpdir(), 'straxts-bench-restrax-'));
  try {
    const folders = {
      live: join(root, 'live'),
      preProcessed: join(root, 'pre'),
      processed: join(root, 'processed'),
      unregistered: join(root, 'unregistered'),
      testProcessed: join(root, 'test'),
    };
    const srcDir = join(REF, process.env.STRAXTS_BENCH_RUN ?? 'run012100', 'strax_data');
    const name = readdirSync(srcDir).find((n) => /^\d+-raw_records-/.test(n))!;
    cpSync(join(srcDir, name), join(folders.preProcessed, name), { recursive: true });
    const db = await openRunDb(`sqlite:${join(root, 'rundb.sqlite')}`);
    try {
      const number = Number(name.split('-')[0]);
      await db.insertRun({ number, status: 'eb_finished_pre', rate: { tpc: { avg: rate } } });
      await db.setBootstraxState(number, HOST, 'done');
      const hash = name.split('-')[2]!;
      await db.registerData({
        run: number,
        type: 'raw_records',
        host: HOST,
        location: join(folders.preProcessed, name),
        lineageHash: hash,
      });
      const before = folderMetadata(join(folders.preProcessed, name));
      const nbytes = before.chunks.reduce((n, c) => n + c.nbytes, 0);
      const inBytes = folderBytes(join(folders.preProcessed, name));
      const r = new Restrax(db, {
        hostname: HOST,
        inputFolder: folders.preProcessed,
        folders,
        production: true,
        softwareVersion: 'bench',
        log: () => undefined,
      });
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await r.step();
      const s = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1e6;
      const out = join(folders.processed, name);
      const md = folderMetadata(out);
      return {
        compressor: md.compressor,
        'uncompressed MB': +(nbytes / 1e6).toFixed(1),
        seconds: +s.toFixed(1),
        'CPU seconds': +cpu.toFixed(1),
        'MB/s (wall)': +(nbytes / 1e6 / s).toFixed(1),
        'MB/s (CPU)': +(nbytes / 1e6 / cpu).toFixed(1),
        chunks: `${before.chunks.length} -> ${md.chunks.length}`,
        'on disk MB': `${(inBytes / 1e6).toFixed(1)} (${before.compressor}) -> ${(folderBytes(out) / 1e6).toFixed(1)}`,
      };
    } finally {
      await db.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function run(): Promise<unknown> {
  return [await once(80), await once(10)];
}
