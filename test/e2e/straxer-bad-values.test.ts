// straxer given values of the wrong kind next to a real simulated run: an unknown corrections
// version and plain strings where an option takes a URL config or a number are bad usage, found
// before processing: one stderr line naming the option or version and the fix, exit 2, nothing written.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { expectStraxerUsageError, simulate } from './simulated-helpers.js';

const RUN = '000503';
let cwd = '';

beforeAll(async () => {
  ensureBuilt();
  cwd = tempDir('straxts-bad-values-');
  await simulate(RUN, join(cwd, 'strax_data'), ['--duration', '200ms', '--no-big-event'], cwd);
}, 600_000);

const T = ['--target', 'event_info_double'];

const CASES: [string, string[], RegExp][] = [
  [
    'an unknown corrections version',
    [RUN, ...T, '--context', 'xenonnt_offline', '--context_kwargs', '{"version": "nope"}'],
    /corrections version 'nope' is not in straxts bundled corrections: use one of ONLINE, straxts_v1$/,
  ],
  [
    'a plain string for an option that takes a URL config',
    [RUN, ...T, '--config_kwargs', '{"hit_min_amplitude": "zz"}'],
    /option 'hit_min_amplitude' of \w+ must be a URL config \(like its default 'list-to-array:\/\/xedocs:\/\/hit_thresholds\?…'\) or the value itself, got str "zz"$/,
  ],
  [
    'a string for an int option',
    [RUN, ...T, '--config_kwargs', '{"peak_min_pmts": "zz"}'],
    /option 'peak_min_pmts' of Peaklets must be int, got str "zz": set it to an int value$/,
  ],
];

describe('straxer on wrong-typed values', () => {
  it.each(CASES)(
    '%s: one line on stderr, exit 2, nothing done',
    async (_what, args, message) => {
      await expectStraxerUsageError(args, cwd, message);
    },
    120_000,
  );

  it('a known offline version and a number for the URL option still process the run', async () => {
    const r = await runTool(
      'straxer',
      [
        RUN,
        '--target',
        'peaklets',
        '--context',
        'xenonnt_offline',
        '--context_kwargs',
        '{"version": "straxts_v1"}',
        '--config_kwargs',
        '{"hit_min_amplitude": 15}',
      ],
      cwd,
    );
    expect(r.code, r.stderr).toBe(0);
  }, 300_000);
});
