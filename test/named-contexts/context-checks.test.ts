// Context set-up refuses what would only fail mid-run: a corrections version no document
// carries, and plain strings for options whose default is a URL config.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContextSetupError, checkContextArgs, makeContext } from '../../src/named-contexts/contexts.js';
import { InvalidConfiguration, checkOptionType } from '../../src/core/options.js';
import { tempDir } from '../helpers/tmp.js';

describe('corrections version check', () => {
  it('takes the bundled versions and refuses others, naming the known ones', () => {
    expect(() => checkContextArgs('xenonnt_offline', { version: 'straxts_v1' })).not.toThrow();
    expect(() => checkContextArgs('xenonnt_offline', { version: 'ONLINE' })).not.toThrow();
    expect(() => checkContextArgs('xenonnt_offline', {})).not.toThrow();
    expect(() => checkContextArgs('xenonnt_offline', { version: 'nope' })).toThrow(
      new ContextSetupError(
        "corrections version 'nope' is not in straxts bundled corrections: use one of ONLINE, straxts_v1",
      ),
    );
  });

  it('looks in the corrections file when one is given', () => {
    const file = join(tempDir('straxts-corr-'), 'corrections.json');
    writeFileSync(
      file,
      JSON.stringify({
        straxts_corrections: 1,
        corrections: {
          electron_lifetimes: [
            { version: 'v9', value: 1e6 },
            { version: 'v10', value: 2e6 },
          ],
        },
      }),
    );
    expect(() => checkContextArgs('xenonnt_offline', { version: 'v9', correctionsFile: file })).not.toThrow();
    expect(() =>
      checkContextArgs('xenonnt_offline', { version: 'straxts_v1', correctionsFile: file }),
    ).toThrow(/corrections version 'straxts_v1' is not in .*corrections\.json: use one of v10, v9$/);
    expect(() =>
      checkContextArgs('xenonnt_offline', { version: 'v9', correctionsFile: join(file, 'missing') }),
    ).toThrow(ContextSetupError);
  });
});

describe('option values for URL-config options', () => {
  const spec = {
    name: 'elife',
    default: 'xedocs://electron_lifetimes?run_id=plugin.run_id&version=ONLINE',
    type: 'any' as const,
  };

  it('accepts URLs and resolved values, refuses other strings with one line', () => {
    for (const v of [
      'xedocs://electron_lifetimes?version=v1',
      'cmt://x',
      1.5e6,
      [1, 2],
      { ab: 1, cd: 2 },
      null,
    ]) {
      expect(() => checkOptionType(spec, v, 'Toy')).not.toThrow();
    }
    expect(() => checkOptionType(spec, 'zz', 'Toy')).toThrow(InvalidConfiguration);
    expect(() => checkOptionType(spec, '1.5e6', 'Toy')).toThrow(
      "option 'elife' of Toy must be a URL config (like its default 'xedocs://electron_lifetimes?…') or the value itself, got str \"1.5e6\"",
    );
  });

  it('leaves plain-string options with plain-string defaults alone', () => {
    expect(() => checkOptionType({ name: 'algo', default: 'mlp', type: 'any' }, 'cnf', 'Toy')).not.toThrow();
  });

  it('says "an int" and "a float" in type errors', () => {
    expect(() => checkOptionType({ name: 'n', default: 1, type: 'int' }, 'x', 'Toy')).toThrow(
      /set it to an int value$/,
    );
    expect(() => checkOptionType({ name: 'f', default: 1, type: 'float' }, 'x', 'Toy')).toThrow(
      /set it to a float value$/,
    );
  });

  it('every context preset passes the check', () => {
    for (const name of ['xenonnt_online', 'xenonnt_offline'] as const)
      expect(() => makeContext(name)).not.toThrow();
  });
});
