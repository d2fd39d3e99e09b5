// straxer on bad input, next to a real simulated run: each mistake is one line on stderr naming
// what is wrong, exit code 2, nothing logged on stdout, nothing processed or written.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { expectStraxerUsageError, simulate } from './simulated-helpers.js';

const RUN = '000501';
let cwd = '';
let runList = '';

beforeAll(async () => {
  ensureBuilt();
  cwd = tempDir('straxts-bad-input-');
  await simulate(RUN, join(cwd, 'strax_data'), ['--duration', '200ms', '--no-big-event'], cwd);
  runList = join(cwd, 'runs.txt');
  writeFileSync(runList, `${RUN}\n000502\n`);
}, 600_000);

const T = ['--target', 'event_info_double'];

const CASES: [string, () => string[], RegExp][] = [
  ['an unknown run', () => ['999999', ...T], /unknown run 999999: .*check the run id/],
  [
    'an unknown target',
    () => [RUN, '--target', 'event_infos'],
    /unknown target 'event_infos': context xenonnt_online makes .*event_info_double/,
  ],
  [
    'bad JSON in --config_kwargs',
    () => [RUN, ...T, '--config_kwargs', '{"elife": 1e6'],
    /--config_kwargs: not valid JSON/,
  ],
  [
    'a JSON array as --config_kwargs',
    () => [RUN, ...T, '--config_kwargs', '[1, 2]'],
    /--config_kwargs: give a JSON object/,
  ],
  [
    'bad JSON in --context_kwargs',
    () => [RUN, ...T, '--context_kwargs', "{'output_folder': 'x'}"],
    /--context_kwargs: not valid JSON/,
  ],
  [
    'an unknown --context_kwargs argument',
    () => [RUN, ...T, '--context_kwargs', '{"outputfolder": "x"}'],
    /--context_kwargs: unknown argument 'outputfolder'/,
  ],
  ['an unknown option', () => [RUN, ...T, '--max_worker', '2'], /unknown option '--max_worker'/],
  [
    'an unknown context',
    () => [RUN, ...T, '--context', 'xenonnt_onlin'],
    /unknown context 'xenonnt_onlin': use one of .*xenonnt_online/,
  ],
  [
    '--run_list with the index past its end',
    () => ['--run_list', runList, '--index', '2', ...T],
    /--index 2 is past the end of .*runs\.txt \(2 runs/,
  ],
  [
    '--run_list naming a missing file',
    () => ['--run_list', join(cwd, 'nope.txt'), '--index', '0', ...T],
    /--run_list .*nope\.txt: cannot read the file/,
  ],
  ['--index without --run_list', () => [RUN, '--index', '0', ...T], /--index needs --run_list/],
  ['no run id', () => [...T], /give a RUN_ID/],
  ['zero workers', () => [RUN, ...T, '--workers', '0'], /--workers .*'0' is invalid/],
  // The runs database is part of the job's set-up: straxer cannot start without it (exit 2,
  // as for any other set-up mistake), and the line says where it looked and what to check.
  [
    'an unreachable runs database',
    () => [RUN, ...T, '--rundb', 'postgres://127.0.0.1:5999/x'],
    /runs database.*127\.0\.0\.1:5999.*ECONNREFUSED.*Check the URL/,
  ],
];

describe('straxer on bad input', () => {
  it.each(CASES)(
    '%s: one line on stderr, exit 2, nothing done',
    async (_what, args, message) => {
      await expectStraxerUsageError(args(), cwd, message);
    },
    120_000,
  );

  it('an unreachable runs database from $STRAXTS_RUNDB is named the same way', async () => {
    const r = await runTool('straxer', [RUN, ...T], cwd, {
      env: { STRAXTS_RUNDB: 'postgres://127.0.0.1:5999/x' },
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/127\.0\.0\.1:5999.*STRAXTS_RUNDB/);
  }, 120_000);
});
