// A worker thread outlives one run when its pool is shared (straxer's pool, or a process that
// processes several runs): it must resolve the next run's resource:// names in that run's folders.

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { configureOptionResolver, resolveOption } from '../../src/config/option-resolver.js';
import { tempDir } from '../helpers/tmp.js';
import { TSX_ESM_API_URL } from '../helpers/tsx-loader.js';

const resolverUrl = new URL('../../src/config/option-resolver.ts', import.meta.url).href;

const at = { runId: '000001', plugin: 'Thresholds', dataType: 'records', option: 'thresholds', config: {} };

// Resolves the URL it is sent, in the thread, and posts back the value or the error's message.
const workerCode = `
const { register } = await import(${JSON.stringify(TSX_ESM_API_URL)}); register();
const { resolveOption } = await import(${JSON.stringify(resolverUrl)});
const { parentPort } = await import('node:worker_threads');
const at = ${JSON.stringify(at)};
parentPort.on('message', async (url) => {
  try { parentPort.postMessage({ value: await resolveOption(url, at) }); }
  catch (e) { parentPort.postMessage({ error: String(e) }); }
});
parentPort.postMessage('ready');`;

function folderWith(values: number[]): string {
  const f = tempDir('straxts-resolver-');
  writeFileSync(join(f, 'thresholds.json'), JSON.stringify(values));
  return f;
}

describe('option resolver settings in a long-lived worker thread', () => {
  it('follows the settings of each run, not those it saw first', async () => {
    const w = new Worker(new URL('data:text/javascript,' + encodeURIComponent(workerCode)), {
      env: SHARE_ENV,
    });
    const replies: unknown[] = [];
    const waiters: ((m: unknown) => void)[] = [];
    w.on('message', (m) => (waiters.length ? waiters.shift()!(m) : replies.push(m)));
    const next = (): Promise<unknown> =>
      replies.length ? Promise.resolve(replies.shift()) : new Promise((r) => waiters.push(r));
    try {
      expect(await next()).toBe('ready');
      const url = 'resource://thresholds.json?fmt=json';

      const first = folderWith([1, 2, 3]);
      configureOptionResolver({ searchDirs: [first] });
      w.postMessage(url);
      expect(await next()).toEqual({ value: [1, 2, 3] });

      // The next run's folder (the first one is gone, as a finished run's scratch folder may be).
      const second = folderWith([4, 5]);
      rmSync(first, { recursive: true });
      configureOptionResolver({ searchDirs: [second] });
      w.postMessage(url);
      expect(await next()).toEqual({ value: [4, 5] });
      expect(await resolveOption(url, at)).toEqual([4, 5]);
    } finally {
      await w.terminate();
    }
  });
});
