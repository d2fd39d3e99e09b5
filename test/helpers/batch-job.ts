// The smallest job a batch script is written for: one target, one CPU, no extra straxer options.
import type { SbatchSpec } from '../../src/cli/batch/sbatch-script.js';

export const ONE_CPU_JOB: SbatchSpec = {
  batchDir: '/b',
  workDir: '/w',
  targets: ['event_info'],
  jobName: 'j',
  cpusPerTask: 1,
  straxerArgs: [],
  node: '/usr/bin/node',
  straxerJs: '/s/straxer.js',
};
