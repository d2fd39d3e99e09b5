// Benchmark runner: runs every bench/*.bench.ts module's exported run() (compiled to
// dist/bench/*.bench.js) and prints its result. `node dist/bench/index.js [filter]` runs only the
// modules whose name contains the filter.

import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run?: () => Promise<unknown> | unknown;
}

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js') && f.includes(filter))
  .sort();
if (modules.length === 0) {
  process.stderr.write(`bench: no benchmark matches '${filter}' in ${here}\n`);
  process.exitCode = 2;
}

const replacer = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);
let failed = 0;
for (const file of modules) {
  const name = file.replace(/\.bench\.js$/, '');
  const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
  if (typeof mod.run !== 'function') {
    process.stderr.write(`bench ${name}: no exported run(), skipped\n`);
    continue;
  }
  process.stdout.write(`== ${name}\n`);
  const t0 = performance.now();
  try {
    const result = await mod.run();
    if (typeof result === 'string') process.stdout.write(result.endsWith('\n') ? result : `${result}\n`);
    else if (result !== undefined) process.stdout.write(`${JSON.stringify(result, replacer, 2)}\n`);
    process.stdout.write(`(${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)\n\n`);
  } catch (e) {
    failed++;
    process.stderr.write(`bench ${name} failed: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}
if (failed) process.exitCode = 1;
