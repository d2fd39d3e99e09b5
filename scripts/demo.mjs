#!/usr/bin/env node
// The demo: on a fresh clone, install what is missing, simulate a minute of a XENONnT-like TPC
// into ./strax_data (with the embedded SQLite runs database) and process it to event_info_double.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = process.env.DEMO_RUN ?? '000001';
const duration = process.env.DEMO_DURATION ?? '1m';

function step(title, cmd, args) {
  process.stdout.write(`\n== ${title}\n$ ${[cmd, ...args].join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`demo: '${title}' failed (exit ${r.status})\n`);
    process.exit(r.status ?? 1);
  }
}

if (!existsSync(join(root, 'node_modules'))) step('install dependencies', 'npm', ['ci']);
step('build', 'npm', ['run', '--silent', 'build']);
const simulated = existsSync(join(root, 'strax_data', `${run}-truth.json`));
if (simulated) process.stdout.write(`\n== run ${run} was simulated before; reusing it\n`);
else step(`simulate ${duration} of run ${run}`, 'node', ['dist/src/cli/straxts.js', 'simulate', run, '--duration', duration]);
step(`process run ${run} to event_info_double`, 'node', ['dist/src/cli/straxer.js', run, '--target', 'event_info_double']);
execFileSync('node', ['dist/src/cli/straxts.js', 'ls', 'strax_data'], { cwd: root, stdio: 'inherit' });
