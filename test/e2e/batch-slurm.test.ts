// straxts batch on a real single-node SLURM cluster (scripts/slurm-up.sh starts munged,
// slurmctld and slurmd): three simulated runs go to event_info_double through one job array,
// one task is cancelled while it processes and is resubmitted, and every run's
// event_info_double then equals what a plain straxer process makes of the same run.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAllWithMetadata } from '../../src/storage/load-all.js';
import { ensureBuilt, ROOT, runTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const RUNS = ['000011', '000012', '000013'];
/** The run cancelled mid-processing: long enough to be still running when scancel comes. */
const LONG_RUN = '000012';
const duration = (run: string): string => (run === LONG_RUN ? '20s' : '3s');

const jobs: string[] = [];
const dirs: string[] = [];

beforeAll(() => {
  ensureBuilt();
  // Fails the suite (no skip) when the cluster cannot start: the test is about a real SLURM.
  execFileSync('bash', [join(ROOT, 'scripts', 'slurm-up.sh')], { stdio: 'pipe' });
}, 120_000);

afterAll(() => {
  // Whatever this test left queued goes, and its folders with it.
  if (jobs.length) spawnSync('scancel', jobs);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function simulateRuns(dir: string): Promise<void> {
  for (const run of RUNS) {
    const r = await runTool('straxts', ['simulate', run, '--duration', duration(run)], dir);
    expect(r.code, r.stderr).toBe(0);
  }
}

async function waitFor(what: string, ok: () => boolean, seconds = 120): Promise<void> {
  for (let t = 0; t < seconds * 5; t++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('straxts batch on a real SLURM cluster', () => {
  it('processes 3 runs as an array, a cancelled task is resubmitted, results equal plain straxer', async () => {
    const batchWork = tempDir('straxts-batch-');
    const plainWork = tempDir('straxts-batch-plain-');
    dirs.push(batchWork, plainWork);
    await simulateRuns(batchWork);
    await simulateRuns(plainWork);
    writeFileSync(join(batchWork, 'runs.txt'), `# three test runs\n${RUNS.join('\n')}\n`);
    const batchDir = join(batchWork, 'batch');

    const sub = await runTool(
      'straxts',
      ['batch', '--run_list', 'runs.txt', '--target', 'event_info_double', '--batch_dir', batchDir],
      batchWork,
    );
    expect(sub.code, sub.stderr).toBe(0);
    const jobId = /submitted job (\d+)/.exec(sub.stdout)?.[1];
    expect(jobId, sub.stdout).toBeDefined();
    jobs.push(jobId!);
    expect(sub.stdout).toContain(`sbatch --array=0-2 batch/job.sbatch`);

    // Cancel the long run's task once straxer has started processing it.
    const longIndex = RUNS.indexOf(LONG_RUN);
    const longLog = join(batchDir, 'logs', `${LONG_RUN}.log`);
    await waitFor('the long run to start processing', () =>
      existsSync(longLog) ? readFileSync(longLog, 'utf8').includes('Start processing') : false,
    );
    execFileSync('scancel', [`${jobId}_${longIndex}`]);

    const first = await runTool('straxts', ['batch', '--status', jobId!, '--wait'], batchWork);
    expect(first.code, first.stdout + first.stderr).toBe(1);
    expect(first.stdout).toContain(
      `2 done, 1 cancelled; resubmit the 1 that did not finish: straxts batch --resubmit ${jobId}`,
    );
    expect(first.stdout).toMatch(
      new RegExp(`${longIndex}\\s+${LONG_RUN}\\s+cancelled\\s+${jobId}_${longIndex}`),
    );
    expect(readFileSync(longLog, 'utf8')).not.toContain('Straxer is done');

    const again = await runTool('straxts', ['batch', '--resubmit', jobId!], batchWork);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`resubmitting ${LONG_RUN} (cancelled)`);
    const jobId2 = /submitted job (\d+): sbatch --array=(\S+)/.exec(again.stdout);
    expect(jobId2?.[2]).toBe(String(longIndex));
    jobs.push(jobId2![1]!);

    // Without a job id, --status takes the latest batch; either job id finds it too.
    const done = await runTool('straxts', ['batch', '--status', '--wait'], batchWork);
    expect(done.code, done.stdout + done.stderr).toBe(0);
    expect(done.stdout).toContain('all 3 runs done');
    expect(done.stdout).toContain(`${jobId}, ${jobId2![1]}`);
    const byId = await runTool('straxts', ['batch', '--status', jobId2![1]!], batchWork);
    expect(byId.stdout).toBe(done.stdout);
    expect(readFileSync(longLog, 'utf8')).toContain('Straxer is done');

    // Nothing left to resubmit.
    const none = await runTool('straxts', ['batch', '--resubmit', batchDir], batchWork);
    expect(none.stdout).toContain('nothing to resubmit');

    for (const run of RUNS) {
      const r = await runTool('straxer', [run, '--target', 'event_info_double'], plainWork);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const a = await loadAllWithMetadata(join(batchWork, 'strax_data'), run, 'event_info_double');
      const b = await loadAllWithMetadata(join(plainWork, 'strax_data'), run, 'event_info_double');
      expect(a.key.lineageHash).toBe(b.key.lineageHash);
      expect(a.records.length).toBeGreaterThan(0);
      expect(a.records.length).toBe(b.records.length);
      expect(Buffer.compare(Buffer.from(a.records.toBytes()), Buffer.from(b.records.toBytes()))).toBe(0);
    }
  }, 600_000);
});

describe('straxts batch: bad input', () => {
  it('one line and exit 2 for a missing run list, a bad --time, an unknown straxer option', async () => {
    const work = tempDir('straxts-batch-bad-');
    dirs.push(work);
    writeFileSync(join(work, 'runs.txt'), '000001\n');
    const cases: [string[], RegExp][] = [
      [['--run_list', 'nope.txt', '--target', 'event_info'], /--run_list nope.txt: no such file/],
      [['--run_list', 'runs.txt', '--target', 'event_info', '--time', 'soon'], /--time: SLURM time limit/],
      [['--run_list', 'runs.txt'], /give --target/],
      [['--run_list', 'runs.txt', '--target', 'event_info', '--', '--no_such_option'], /unknown option/],
      [['--status', '424242'], /no batch with job id or folder '424242'/],
    ];
    for (const [args, msg] of cases) {
      const r = await runTool('straxts', ['batch', ...args], work);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
    expect(existsSync(join(work, 'strax_batch'))).toBe(false); // nothing written on bad input
  });
});
