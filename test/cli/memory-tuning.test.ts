// The tools start with the memory settings of core/engine/memory-tuning.ts: their `#!` lines
// give node the malloc environment and V8 flags, and the other ways a processing process starts
// (bootstrax's child, batch jobs) carry the same settings.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sbatchScript } from '../../src/cli/batch/sbatch-script.js';
import { MALLOC_ENV, NODE_MEMORY_FLAGS, nodeShebang } from '../../src/core/engine/memory-tuning.js';
import { ONE_CPU_JOB } from '../helpers/batch-job.js';
import { ROOT, TOOLS, ensureBuilt } from '../helpers/cli.js';

beforeAll(() => ensureBuilt(), 300_000);

const binOf = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }
).bin;
const bins = Object.values(binOf);

describe('memory settings of the tools', () => {
  it('every tool in package.json starts with the memory settings', () => {
    expect(Object.keys(binOf).sort()).toEqual([...TOOLS].sort());
    for (const bin of bins) {
      const source = bin.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      for (const file of [bin, source]) {
        const first = readFileSync(join(ROOT, file), 'utf8').split('\n')[0];
        expect(first, file).toBe(nodeShebang());
      }
    }
  });

  it('the #! line gives node the malloc environment and the young-generation flag', () => {
    const [interpreter, ...args] = nodeShebang().slice(2).split(' ');
    const probe = 'console.log(JSON.stringify({ env: process.env, flags: process.execArgv }))';
    const r = spawnSync(interpreter!, [...args, '-e', probe], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const seen = JSON.parse(r.stdout) as { env: Record<string, string>; flags: string[] };
    for (const [k, v] of Object.entries(MALLOC_ENV)) expect(seen.env[k]).toBe(v);
    expect(seen.flags).toEqual(expect.arrayContaining([...NODE_MEMORY_FLAGS]));
  });

  it('batch jobs start straxer with the same settings', () => {
    const script = sbatchScript(ONE_CPU_JOB);
    const env = Object.entries(MALLOC_ENV)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    expect(script).toContain(`env ${env} /usr/bin/node ${NODE_MEMORY_FLAGS.join(' ')} /s/straxer.js`);
  });
});
