// straxts batch's pieces without SLURM: the --array list, shell quoting in the job script (run
// through a real bash), and the state of each run from the files its task wrote.

import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createBatchFolder, readTaskRecord, type BatchRecord } from '../../src/cli/batch/batch-folder.js';
import { formatStatus, needsResubmission, taskStatuses } from '../../src/cli/batch/batch-status.js';
import { arraySpec, sbatchScript, shellQuote } from '../../src/cli/batch/sbatch-script.js';
import { ONE_CPU_JOB } from '../helpers/batch-job.js';
import { tempDir as makeTempDir } from '../helpers/tmp.js';

// Scratch folders of this file, removed when it ends (also when a test fails).
const scratch: string[] = [];
const tempDir = (prefix?: string): string => {
  const d = makeTempDir(prefix);
  scratch.push(d);
  return d;
};
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** SLURM's reading of an --array list. */
function expand(spec: string): number[] {
  return spec.split(',').flatMap((p) => {
    const [a, b] = p.split('-').map(Number);
    return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, k) => a! + k);
  });
}

describe('arraySpec', () => {
  it('lists exactly the given indices, as sorted disjoint ranges', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(200), { minLength: 1 }), (xs) => {
        const spec = arraySpec(xs);
        expect(expand(spec)).toEqual([...new Set(xs)].sort((a, b) => a - b));
        expect(spec).toMatch(/^\d+(-\d+)?(,\d+(-\d+)?)*$/);
      }),
    );
    expect(arraySpec([5, 0, 1, 2, 7, 8])).toBe('0-2,5,7-8');
  });
});

describe('shellQuote', () => {
  it('bash reads every quoted word back unchanged', () => {
    const words = ['plain', "it's", '{"elife": 1.2e6}', 'a b', '$HOME', '`x`', '--config_kwargs', ''];
    const out = execFileSync('bash', ['-c', `printf '%s\\n' ${words.map(shellQuote).join(' ')}`], {
      encoding: 'utf8',
    });
    expect(out).toBe(words.map((w) => `${w}\n`).join(''));
  });
});

describe('job script', () => {
  it('is valid bash and passes straxer options through quoted', () => {
    const script = sbatchScript({
      batchDir: '/data/batch one',
      workDir: '/data',
      targets: ['event_info_double'],
      jobName: 'straxts-event_info_double',
      partition: 'xenon1t',
      time: '2:00:00',
      mem: '8G',
      cpusPerTask: 2,
      straxerArgs: ['--config_kwargs', '{"elife": 1.2e6}'],
      node: '/usr/bin/node',
      straxerJs: '/opt/straxts/dist/src/cli/straxer.js',
    });
    const dir = tempDir('straxts-batch-script-');
    writeFileSync(join(dir, 'job.sbatch'), script);
    execFileSync('bash', ['-n', join(dir, 'job.sbatch')]);
    for (const d of ['--partition=xenon1t', '--time=2:00:00', '--mem=8G', '--cpus-per-task=2'])
      expect(script).toContain(`#SBATCH ${d}\n`);
    expect(script).toContain(`--workers 2 --config_kwargs '{"elife": 1.2e6}'`);
    expect(script).toContain(`batch='/data/batch one'`);
  });

  it("gives straxer the job's CPU count, also one", () => {
    const script = sbatchScript(ONE_CPU_JOB);
    expect(script).toContain('#SBATCH --cpus-per-task=1\n');
    expect(script).toMatch(/--target event_info --workers 1(\s|$)/);
  });
});

describe('task states', () => {
  const rec = (): BatchRecord => ({
    targets: ['event_info'],
    runs: ['000001', '000002', '000003', '000004', '000005', '000006'],
    workDir: '/data',
    straxerArgs: [],
    submissions: [
      { jobId: '10', indices: [0, 1, 2, 3, 4], at: '' },
      { jobId: '11', indices: [1], at: '' },
    ],
  });

  it('come from the exit records, the queue, and resubmissions', () => {
    const dir = tempDir('straxts-batch-state-');
    createBatchFolder(dir, rec(), '#!/bin/bash\n');
    const put = (f: string, text: string) => writeFileSync(join(dir, 'status', f), text);
    put('0.started', '10 vm t');
    put('0.exit', '10 0');
    put('1.started', '10 vm t'); // failed under job 10, resubmitted as 11 (still pending)
    put('1.exit', '10 1');
    put('2.started', '10 vm t');
    put('2.exit', '10 cancelled');
    put('3.started', '10 vm t'); // started, never recorded an end: killed
    put('4.exit', '10 3');
    const queued = new Map([['11', new Map([[1, 'PENDING']])]]);
    const tasks = taskStatuses(dir, rec(), (i) => readTaskRecord(dir, i), queued);
    expect(tasks.map((t) => t.state)).toEqual([
      'done',
      'pending',
      'cancelled',
      'killed',
      'failed',
      'not submitted',
    ]);
    expect(tasks[4]!.exitCode).toBe(3);
    expect(tasks[1]!.task).toBe('11_1');
    expect(needsResubmission(tasks).map((t) => t.index)).toEqual([2, 3, 4, 5]);
    const text = formatStatus(dir, rec(), tasks);
    expect(text.split('\n')[1]).toBe(
      '1 done, 1 pending, 1 failed, 1 cancelled, 1 killed, 1 not submitted; still working',
    );
    expect(text).toContain('failed (exit 3)');
  });
});
