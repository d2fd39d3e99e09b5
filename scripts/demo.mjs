#!/usr/bin/env node
// The demo: on a fresh clone, install what is missing, simulate a minute of a XENONnT-like TPC
// into ./strax_data (with the embedded SQLite runs database), process it to event_info_double,
// and check the events found against the simulation's ground truth.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = process.env.DEMO_RUN ?? '000001';
const duration = process.env.DEMO_DURATION ?? '1m';
const data = join(root, 'strax_data');

/** A tool's built entry point, run with node; shown as the `npx` command a user would type. */
const tool = (name, ...args) => ({
  cmd: 'node',
  args: [`dist/src/cli/${name}.js`, ...args],
  shown: ['npx', name, ...args],
});

function step(title, cmd, args, { chunkLines = true, shown = [cmd, ...args] } = {}) {
  process.stdout.write(`\n== ${title}\n$ ${shown.join(' ')}\n`);
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: ['inherit', 'inherit', chunkLines ? 'inherit' : 'pipe'],
    encoding: 'utf8',
  });
  if (!chunkLines && r.stderr) {
    // simulate reports every chunk on stderr: show how many, and anything else it said.
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    const chunks = lines.filter((l) => /^\s+chunk /.test(l));
    for (const l of lines) if (!chunks.includes(l)) process.stderr.write(`${l}\n`);
    if (chunks.length)
      process.stdout.write(`  (${chunks.length} chunks written; last: ${chunks.at(-1).trim()})\n`);
  }
  if (r.status !== 0) {
    process.stderr.write(`demo: '${title}' failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status ?? 1);
  }
}

/** raw_records of the run are stored complete (a crash may have left only a _temp folder). */
function simulatedBefore() {
  if (!existsSync(data)) return false;
  return readdirSync(data).some((f) => f.startsWith(`${run}-raw_records-`) && !f.endsWith('_temp'));
}

/** Found / simulated interactions, from the truth file simulate wrote (skipped if absent). */
async function truthCheck() {
  const truthFile = join(data, `${run}-truth.json`);
  const metaFile = join(data, `${run}-metadata.json`);
  if (!existsSync(truthFile) || !existsSync(metaFile)) return;
  const load = (p) => import(pathToFileURL(join(root, 'dist', 'src', ...p.split('/'))).href);
  const { matchTruth } = await load('daq/truth-matching.js');
  const { loadAll } = await load('storage/load-all.js');
  const truth = JSON.parse(readFileSync(truthFile, 'utf8'));
  const runStart = BigInt(Date.parse(JSON.parse(readFileSync(metaFile, 'utf8')).start)) * 1_000_000n;
  const m = matchTruth(truth, await loadAll(data, run, 'event_basics'), { runStart });
  process.stdout.write(
    `\n== ground truth: ${m.found} of ${m.interactions} simulated interactions found as events ` +
      `(${(100 * m.foundFraction).toFixed(1)}%)\n` +
      `   median main S2 area per simulated photon: ${m.s2AreaPerPhoton.median.toFixed(2)} PE ` +
      `(expected 0.70–0.80 for this detector: one PE per photon, less the photoelectrons below the ` +
      `12–18 ADC hit thresholds and the light outside the main S2)\n`,
  );
}

if (!existsSync(join(root, 'node_modules'))) step('install dependencies', 'npm', ['ci']);
step('build', 'npm', ['run', '--silent', 'build']);
const sim = tool('straxts', 'simulate', run, '--duration', duration);
const processRun = tool('straxer', run, '--target', 'event_info_double');
const ls = tool('straxts', 'ls');
if (simulatedBefore()) process.stdout.write(`\n== run ${run} was simulated before; reusing it\n`);
else step(`simulate ${duration} of run ${run}`, sim.cmd, sim.args, { chunkLines: false, shown: sim.shown });
step(`process run ${run} to event_info_double`, processRun.cmd, processRun.args, { shown: processRun.shown });
step('what is stored', ls.cmd, ls.args, { shown: ls.shown });
try {
  await truthCheck();
} catch (e) {
  process.stderr.write(
    `demo: the ground-truth check could not run (${e instanceof Error ? e.message : e})\n`,
  );
}
process.stdout.write(
  `\nNext (from this folder; README "The tools"): npx straxts summary strax_data ${run}, ` +
    `npx straxts export strax_data ${run} event_info --out events.npy --no_titles\n`,
);
