// straxer on damaged stored data: the damage is named (file and what is wrong), exit 1, not
// mistaken for a missing run or a usage error.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { simulate } from './simulated-helpers.js';

beforeAll(() => ensureBuilt(), 600_000);

describe('straxer on damaged data', () => {
  it('truncated raw_records metadata: names the file and the damage', async () => {
    const cwd = tempDir('straxts-damage-');
    const data = join(cwd, 'strax_data');
    await simulate('000601', data, ['--duration', '200ms', '--no-big-event'], cwd);
    const folder = readdirSync(data).find((f) => f.startsWith('000601-raw_records-'))!;
    const meta = join(
      data,
      folder,
      readdirSync(join(data, folder)).find((f) => f.endsWith('-metadata.json'))!,
    );
    const text = readFileSync(meta, 'utf8');
    writeFileSync(meta, text.slice(0, text.length / 2));
    const r = await runTool('straxer', ['000601', '--target', 'peaklets'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/unknown run/);
    expect(r.stderr.split('\n')[0]).toMatch(
      /^straxer: error: run 000601 has damaged data: .*raw_records-\w+-metadata\.json/,
    );
    expect(r.stderr).toMatch(/truncated or damaged metadata/);
  }, 300_000);
});
