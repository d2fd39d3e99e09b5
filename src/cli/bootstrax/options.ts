// bootstrax's command line: straxen's options (spec scripts.md §1.2) and what a port needs to
// run on any machine (--rundb, --live_dir, --output_dir, --hostname, --context,
// --config_from_json, --metrics_port, --min_free_gb).

import { Command } from 'commander';
import { int, nonNegative } from '../arguments.js';
import { existsSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { DAQ_FOLDERS } from '../../daq/daq-folders.js';
import { DEFAULT_MIN_FREE_BYTES, STRAXEN_TIMING } from '../../daq/bootstrax/constants.js';
import { scaledTiming, type BootstraxSettings } from '../../daq/bootstrax/settings.js';
import { DEFAULT_POST_PROCESS, DEFAULT_TARGETS } from '../../daq/bootstrax/targets.js';

/** Test mode's output when straxen's /data/test_processed is not there. */
export const TEST_OUTPUT_DIR = './bootstrax';
const LIVE_DATA_DIR = DAQ_FOLDERS.live;
const PRODUCTION_OUTPUT_DIR = DAQ_FOLDERS.preProcessed;
/** Tests shrink straxen's timing constants by this factor (e.g. 0.05). */
export const TIME_SCALE_ENV = 'STRAXTS_BOOTSTRAX_TIME_SCALE';

export class BootstraxUsageError extends Error {}

export type Command_ =
  | { kind: 'loop' }
  | { kind: 'process'; run: number }
  | { kind: 'fail'; run: number; reason: string }
  | { kind: 'abandon'; run: number; reason?: string };

export interface BootstraxCli {
  settings: BootstraxSettings;
  command: Command_;
  /** --processor (accepted for straxen compatibility). */
  processor: string;
}

export function bootstraxProgram(): Command {
  return new Command('bootstrax')
    .description('Process the runs the DAQ writes, live, on one eventbuilder (a port of straxen’s bootstrax)')
    .option('--production', 'claim runs, write to the runs database and delete data; else test mode', false)
    .option('--targets <types...>', 'data types to make together', [...DEFAULT_TARGETS])
    .option('--post_process <types...>', 'data types made one by one afterwards', [...DEFAULT_POST_PROCESS])
    .option('--fix_target', 'make exactly --targets (no reduction after failures, no run-mode rules)', false)
    .option('--fix_resources', 'keep cores and messages after failures', false)
    .option('--infer_mode', 'cores, messages and timeout from the run’s data rate', false)
    .option('--delete_live', 'delete live_data once the run is done and its raw_records read back', false)
    .option('--ignore_checks', 'skip the checks after processing (live_data is then never deleted)', false)
    .option('--cores <n>', 'worker threads for a run (-1: all CPUs)', int(-1), 8)
    .option('--max_messages <n>', 'chunks in flight per plugin', int(1), 10)
    .option('--processor <name>', 'accepted for straxen compatibility', 'threaded_mailbox')
    .option('--process <run>', 'process this run once, then exit', int(0))
    .option('--fail <run_and_reason...>', 'mark RUN failed (it is retried later): RUN [REASON]')
    .option('--abandon <run_and_reason...>', 'mark RUN abandoned for good: RUN [REASON]')
    .option('--undying', 'on an error, log it, wait a minute and start again', false)
    .option('--debug', 'debug log lines', false)
    .option('--profile <stem>', 'CPU profile of each run’s processing to run<RUN>_<stem>.cpuprofile', 'false')
    .option(
      '--rundb <url>',
      'runs database: postgres://... (several hosts) or sqlite:PATH (default $STRAXTS_RUNDB)',
    )
    .option(
      '--live_dir <dir>',
      'parent folder of the runs’ live_data (test mode; production uses the run’s live entry)',
      LIVE_DATA_DIR,
    )
    .option(
      '--output_dir <dir>',
      `processed data (default ${PRODUCTION_OUTPUT_DIR}, test mode ${TEST_OUTPUT_DIR})`,
    )
    .option('--hostname <name>', 'this eventbuilder’s name in the runs database', osHostname())
    .option('--context <name>', 'strax context', 'xenonnt_online')
    .option('--config_from_json <file>', 'plugin options from a straxen config JSON file')
    .option('--metrics_port <port>', 'serve Prometheus metrics on this port (GET /metrics)', int(0))
    .option(
      '--min_free_gb <gb>',
      'the output disk is full below this much free space',
      nonNegative(),
      DEFAULT_MIN_FREE_BYTES / 1e9,
    )
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s.replace(/^error: /, 'bootstrax: ')) })
    .showHelpAfterError(false);
}

/** straxen's test output: /data/test_processed where it exists, else ./bootstrax. */
function testOutputDir(): string {
  return existsSync(DAQ_FOLDERS.testProcessed) ? DAQ_FOLDERS.testProcessed : TEST_OUTPUT_DIR;
}

function runAndReason(flag: string, v: string[]): { run: number; reason?: string } {
  const [n, ...rest] = v;
  if (n === undefined || !/^\d+$/.test(n))
    throw new BootstraxUsageError(`${flag} needs a run number first, got '${n ?? ''}'`);
  return rest.length ? { run: Number(n), reason: rest.join(' ') } : { run: Number(n) };
}

/** Parse argv (without node and script). */
export function parseBootstraxArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): BootstraxCli {
  const program = bootstraxProgram();
  program.parse([...argv], { from: 'user' });
  const o = program.opts<Record<string, unknown>>();
  const exclusive = ['process', 'fail', 'abandon'].filter((k) => o[k] !== undefined);
  if (exclusive.length > 1)
    throw new BootstraxUsageError(`--${exclusive.join(' and --')} cannot be combined: give one of them`);
  const rundb = (o.rundb as string | undefined) ?? env.STRAXTS_RUNDB;
  if (!rundb) throw new BootstraxUsageError('no runs database: give --rundb URL (or set STRAXTS_RUNDB)');
  let command: Command_ = { kind: 'loop' };
  if (o.process !== undefined) command = { kind: 'process', run: o.process as number };
  if (o.fail !== undefined) {
    const r = runAndReason('--fail', o.fail as string[]);
    command = { kind: 'fail', run: r.run, reason: r.reason ?? '' };
  }
  if (o.abandon !== undefined)
    command = { kind: 'abandon', ...runAndReason('--abandon', o.abandon as string[]) };
  const production = o.production as boolean;
  const scale = env[TIME_SCALE_ENV] ? Number(env[TIME_SCALE_ENV]) : 1;
  if (!(scale > 0)) throw new BootstraxUsageError(`${TIME_SCALE_ENV} must be a positive number`);
  const profile = o.profile as string;
  const settings: BootstraxSettings = {
    production,
    hostname: o.hostname as string,
    rundbUrl: rundb,
    liveDir: o.live_dir as string,
    outputDir: (o.output_dir as string | undefined) ?? (production ? PRODUCTION_OUTPUT_DIR : testOutputDir()),
    context: o.context as string,
    targets: o.targets as string[],
    postProcess: o.post_process as string[],
    fixTarget: o.fix_target as boolean,
    fixResources: o.fix_resources as boolean,
    inferMode: o.infer_mode as boolean,
    deleteLive: o.delete_live as boolean,
    ignoreChecks: o.ignore_checks as boolean,
    undying: o.undying as boolean,
    debug: o.debug as boolean,
    cores: o.cores as number,
    maxMessages: o.max_messages as number,
    minFreeBytes: (o.min_free_gb as number) * 1e9,
    timing: scale === 1 ? { ...STRAXEN_TIMING } : scaledTiming(scale),
  };
  if (o.config_from_json !== undefined) settings.configFromJson = o.config_from_json as string;
  if (o.metrics_port !== undefined) settings.metricsPort = o.metrics_port as number;
  if (profile !== 'false') settings.profile = profile;
  if (!settings.hostname.trim()) throw new BootstraxUsageError('--hostname must not be empty');
  return { settings, command, processor: o.processor as string };
}
