// The chain bench's warm measurement, run as its own process with straxer's settings: the straxer
// job (the CLI's own code path) on bench000333 several times in one process, each time on a fresh
// copy of the run. The first run pays for JIT compilation; the later ones show what a whole
// process spends on processing alone, and so how much of it is warm-up.
//
// Usage: node warm-straxer.js DATA_DIR WORKERS RUNS  → one line per run: `WARMRUN i wall_s cpu_s`.

import '../src/cli/jit-flags.js'; // first, as in straxer
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { WorkerPool } from '../src/core/engine/pool.js';
import { runStraxerJob } from '../src/cli/straxer/job.js';
import { parseStraxerArgs } from '../src/cli/straxer/options.js';
import { freshFolder, RUN } from './chain.bench.js';

const [dataDir, workers = '1', runs = '4'] = process.argv.slice(2);
if (!dataDir) {
  process.stderr.write('usage: warm-straxer.js DATA_DIR WORKERS RUNS\n');
  process.exit(2);
}
const quiet = (): Writable => new Writable({ write: (_c, _e, done) => done() });

for (let i = 0; i < Number(runs); i++) {
  const dir = freshFolder(dataDir);
  try {
    const args = [RUN, '--target', 'event_info_double', '--context', 'reference', '--add_folder', dir];
    args.push('--config_from_json', `${dir}/${RUN}-config.json`, '--workers', workers);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const code = await runStraxerJob(parseStraxerArgs(args), { out: quiet(), err: quiet() });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    if (code !== 0) throw new Error(`straxer job ${i} ended with ${code}`);
    process.stdout.write(`WARMRUN ${i} ${wall.toFixed(3)} ${((cpu.user + cpu.system) / 1e6).toFixed(3)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
await WorkerPool.closeShared();
