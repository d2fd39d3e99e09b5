// The job script `straxts batch` submits as a SLURM job array: task N runs straxer on line N+1
// of the batch's runs.txt, writes the run's log to logs/RUN.log, and records its exit code in
// status/N.exit (atomically) so the batch's state is known without SLURM accounting.

import { MALLOC_ENV, NODE_MEMORY_FLAGS } from '../../core/engine/memory-tuning.js';

export interface SbatchSpec {
  /** Absolute path of the batch folder (runs.txt, logs/, status/). */
  batchDir: string;
  /** Working directory of every task (where ./strax_data is). */
  workDir: string;
  targets: readonly string[];
  jobName: string;
  partition?: string;
  /** SLURM time limit, e.g. 2:00:00. */
  time?: string;
  /** Memory per task, e.g. 8G. */
  mem?: string;
  cpusPerTask: number;
  /** Further straxer options, passed unchanged. */
  straxerArgs: readonly string[];
  /** How to start straxer: the node binary and the built straxer.js. */
  node: string;
  straxerJs: string;
}

/** One shell word, single-quoted unless it is plainly safe. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=,+@%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function sbatchScript(s: SbatchSpec): string {
  const q = shellQuote;
  const directives = [
    `--job-name=${q(s.jobName)}`,
    ...(s.partition ? [`--partition=${q(s.partition)}`] : []),
    ...(s.time ? [`--time=${q(s.time)}`] : []),
    ...(s.mem ? [`--mem=${q(s.mem)}`] : []),
    `--cpus-per-task=${s.cpusPerTask}`,
    '--ntasks=1',
    `--chdir=${q(s.workDir)}`,
    `--output=${q(`${s.batchDir}/logs/slurm-%A_%a.out`)}`,
  ];
  const straxer = [
    'env',
    ...Object.entries(MALLOC_ENV).map(([k, v]) => `${k}=${v}`),
    q(s.node),
    ...NODE_MEMORY_FLAGS,
    q(s.straxerJs),
    '--run_list',
    '"$batch/runs.txt"',
    '--index',
    '"$i"',
    '--target',
    ...s.targets.map(q),
    // Always given: the job's allocation decides, whatever straxer's default.
    '--workers',
    String(s.cpusPerTask),
    ...s.straxerArgs.map(q),
  ];
  return `#!/bin/bash
# Written by straxts batch: one run of runs.txt per array task (task N: line N+1), processed by
# straxer to ${s.targets.join(', ')}. Submitted with sbatch --array=INDICES; see README "Batch reprocessing".
${directives.map((d) => `#SBATCH ${d}`).join('\n')}

batch=${q(s.batchDir)}
i=$SLURM_ARRAY_TASK_ID
run=$(sed -n "$((i + 1))p" "$batch/runs.txt")
log="$batch/logs/$run.log"
record() { # the task's outcome, written atomically: "JOBID EXITCODE"
  echo "$SLURM_ARRAY_JOB_ID $1" >"$batch/status/$i.exit.tmp" && mv "$batch/status/$i.exit.tmp" "$batch/status/$i.exit"
}
rm -f "$batch/status/$i.exit"
echo "$SLURM_ARRAY_JOB_ID $(hostname -s) $(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$batch/status/$i.started"
echo "== task $i of job $SLURM_ARRAY_JOB_ID (job id $SLURM_JOB_ID) on $(hostname -s): run $run" >>"$log"
${straxer.join(' ')} >>"$log" 2>&1 &
child=$!
# scancel (or the time limit) sends TERM: pass it on, and record the task as cancelled.
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; record cancelled; exit 143' TERM
wait "$child"
code=$?
record "$code"
exit "$code"
`;
}

/** Array indices as SLURM's --array list: 0-2,5,7-9. */
export function arraySpec(indices: readonly number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let k = 0; k < sorted.length;) {
    let j = k;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === k ? String(sorted[k]) : `${sorted[k]}-${sorted[j]}`);
    k = j + 1;
  }
  return parts.join(',');
}
