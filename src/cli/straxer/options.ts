// straxer's command line: straxen's options, same names and meaning (spec/scripts.md §8), plus
// --rundb, --run_list/--index (batch job arrays) and --config_from_json (straxen 2021).

import { Command } from 'commander';
import { versionLine } from '../../named-contexts/package-info.js';
import { int, nonNegative } from '../arguments.js';

export interface StraxerOptions {
  /** Positional RUN_ID (absent with --run_list). */
  runId?: string;
  targets: string[];
  package: string;
  context: string;
  contextKwargs?: string;
  configKwargs?: string;
  configFromJson?: string;
  registerFromFile?: string;
  fromScratch: boolean;
  maxMessages: number;
  timeout?: number;
  workers: number;
  multiprocess: boolean;
  multiTarget: boolean;
  notlazy: boolean;
  shm: boolean;
  profileTo?: string;
  profileRam: boolean;
  diagnoseSorting: boolean;
  debug: boolean;
  buildLowlevel: boolean;
  onlyStraxData: boolean;
  addFolder?: string;
  printAlive: number;
  rundb?: string;
  runList?: string;
  index?: number;
}

const seconds = nonNegative('a number of seconds');

/** The commander program (its actions are not used: parse, then read the options). */
export function straxerProgram(): Command {
  return new Command('straxer')
    .description("Process one run with straxts (a port of straxen's straxer)")
    .argument('[RUN_ID]', 'run id, e.g. 012100 (numbers are zero-padded to 6 digits)')
    .option('--target <types...>', 'data type(s) to make', ['event_info'])
    .option('--package <name>', 'where the contexts come from (only straxts)', 'straxts')
    .option('--context <name>', 'context: reference, xenonnt_online, xenonnt_offline', 'xenonnt_online')
    .option(
      '--context_kwargs <json>',
      'JSON object of context arguments and strax context options, e.g. \'{"output_folder": "/data", "save_buffer_mb": 100}\'',
    )
    .option('--config_kwargs <json>', 'JSON object of plugin options, e.g. \'{"elife": 1.2e6}\'')
    .option(
      '--config_from_json <file>',
      'plugin options from a straxen config JSON file; resource:// names resolve beside it',
    )
    .option('--register_from_file <file>', 'a JS module exporting plugin classes to register')
    .option('--from_scratch', 'ignore all stored data but raw_records; write to ./strax_data', false)
    .option('--max_messages <n>', 'chunks in flight per plugin', int(1), 4)
    .option('--timeout <s>', 'give up when no chunk arrives for this long', seconds)
    .option(
      '--workers <n>',
      'threads that compute, the main one included (parallel plugins go to n-1 worker threads); up to one more than the cores is used; on two cores 2 or 3 is fastest',
      int(1),
      1,
    )
    .option('--multiprocess', 'compute parallel plugins off the main thread (straxts: worker threads)', false)
    .option('--multi_target', 'make all targets in one pass', false)
    .option('--notlazy', 'accepted for straxen compatibility (straxts is never lazy)', false)
    .option('--shm', 'accepted for straxen compatibility (straxts passes buffers between threads)', false)
    .option('--profile_to <file>', 'write a V8 CPU profile (.cpuprofile) of the processing')
    .option('--profile_ram', 'report the peak memory use (always in the summary)', false)
    .option('--diagnose_sorting', 'check sorting and disjointness while processing', false)
    .option('--debug', 'debug log lines and stack traces', false)
    .option('--build_lowlevel', 'allow making raw_records (else they must be stored)', false)
    .option('--only_strax_data', 'all storage read-only; write to ./strax_data', false)
    .option('--add_folder <dir>', 'all other storage read-only; read from and write to DIR')
    .option('--print_alive <s>', 'log "still running" this often', seconds, 300)
    .option(
      '--rundb <url>',
      'runs database: sqlite:PATH or postgres://... (default $STRAXTS_RUNDB, else <data folder>/rundb.sqlite)',
    )
    .option('--run_list <file>', 'file of run ids, one a line (batch job arrays; with --index)')
    .option('--index <n>', 'which run of --run_list (0-based; default $SLURM_ARRAY_TASK_ID)', int(0))
    .version(versionLine('straxer'), '-V, --version', 'print the version')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s.replace(/^error: /, 'straxer: ')) })
    .showHelpAfterError(false);
}

/** Parse argv (without node and script). Bad usage throws commander's error (already printed). */
export function parseStraxerArgs(argv: readonly string[]): StraxerOptions {
  const program = straxerProgram();
  program.parse([...argv], { from: 'user' });
  const o = program.opts<Record<string, unknown>>();
  const pick = <T>(k: string): T => o[k] as T;
  const out: StraxerOptions = {
    targets: pick<string[]>('target'),
    package: pick('package'),
    context: pick('context'),
    fromScratch: pick('from_scratch'),
    maxMessages: pick('max_messages'),
    workers: pick('workers'),
    multiprocess: pick('multiprocess'),
    multiTarget: pick('multi_target'),
    notlazy: pick('notlazy'),
    shm: pick('shm'),
    profileRam: pick('profile_ram'),
    diagnoseSorting: pick('diagnose_sorting'),
    debug: pick('debug'),
    buildLowlevel: pick('build_lowlevel'),
    onlyStraxData: pick('only_strax_data'),
    printAlive: pick('print_alive'),
  };
  const optional: [keyof StraxerOptions, string][] = [
    ['contextKwargs', 'context_kwargs'],
    ['configKwargs', 'config_kwargs'],
    ['configFromJson', 'config_from_json'],
    ['registerFromFile', 'register_from_file'],
    ['timeout', 'timeout'],
    ['profileTo', 'profile_to'],
    ['addFolder', 'add_folder'],
    ['rundb', 'rundb'],
    ['runList', 'run_list'],
    ['index', 'index'],
  ];
  for (const [k, name] of optional)
    if (o[name] !== undefined) (out as unknown as Record<string, unknown>)[k] = o[name];
  if (program.args[0] !== undefined) out.runId = program.args[0];
  return out;
}
