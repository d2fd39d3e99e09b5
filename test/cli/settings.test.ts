import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySettingsDoc, DEFAULT_RESTRAX_SETTINGS } from '../../src/daq/restrax/settings.js';
import { openRunDb } from '../../src/rundb/rundb.js';
import { ensureBuilt, runTool } from '../helpers/cli.js';

beforeAll(() => ensureBuilt(), 300_000);

const scratch = mkdtempSync(join(tmpdir(), 'straxts-settings-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('straxts settings', () => {
  it('stores restrax_config as restrax then reads it; shows it; refuses what is not a JSON object', async () => {
    const url = `sqlite:${join(scratch, 'rundb.sqlite')}`;
    const none = await runTool('straxts', ['settings', 'restrax_config', '--rundb', url]);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^no restrax_config in sqlite:/);
    const set = await runTool('straxts', [
      'settings',
      'restrax_config',
      '{"bypass_mode": true, "nap_time": 60}',
      '--rundb',
      url,
    ]);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({ name: 'restrax_config', bypass_mode: true, nap_time: 60 });
    const db = await openRunDb(url);
    try {
      const s = applySettingsDoc(
        DEFAULT_RESTRAX_SETTINGS,
        await db.getSettings('restrax_config'),
        () => undefined,
      );
      expect(s).toMatchObject({ bypass_mode: true, nap_time: 60, max_threads: 2 });
    } finally {
      await db.close();
    }
    for (const bad of ['[1]', '{oops']) {
      const r = await runTool('straxts', ['settings', 'restrax_config', bad, '--rundb', url]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
