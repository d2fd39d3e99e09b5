// microstrax's command line: bad usage is one line on stderr and exit 2, before anything listens.

import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runTool } from '../helpers/cli.js';
import { REFERENCE_RUN_ARGS } from './microstrax-helpers.js';

describe('microstrax usage errors', () => {
  it.each([
    [['--context', 'reference'], /needs a straxen config JSON: pass --config_from_json FILE/],
    [['--context', 'nope'], /unknown context 'nope': use one of reference, xenonnt_online, xenonnt_offline/],
    [['--port', '99999'], /--port .* expected an integer from 0 to 65535/],
    [['--max_return_mb', '0'], /--max_return_mb .* expected an integer from 1/],
    [[...REFERENCE_RUN_ARGS, '/no/such/folder'], /extra data folder \/no\/such\/folder does not exist/],
    [['--token', 'short'], /--token: use a token of at least 8 characters/],
    [[...REFERENCE_RUN_ARGS, '--host', '10.255.255.1', '--port', '0'], /cannot listen on 10.255.255.1/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('%j', async (args, message) => {
    ensureBuilt();
    const r = await runTool('microstrax', args, ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('a port in use is named', async () => {
    ensureBuilt();
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const port = (taken.address() as { port: number }).port;
    try {
      const r = await runTool('microstrax', [...REFERENCE_RUN_ARGS, '--port', String(port)], ROOT);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(`microstrax: port ${port} on 127.0.0.1 is in use: pick another --port`);
    } finally {
      taken.close();
    }
  });

  it('--version', async () => {
    const r = await runTool('microstrax', ['--version'], ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^microstrax \(straxts\) \d+\.\d+\.\d+\n$/);
  });
});
