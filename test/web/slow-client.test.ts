// A client that asks for a large answer and never reads it holds a loading slot only until it
// has taken nothing for idleTimeoutMs; then its answer is dropped and the slot is free again.
// The server library runs in this process with one slot, so without the timeout the second
// request would never be answered.

import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeReadOnlyContext } from '../../src/named-contexts/read-only.js';
import { MicrostraxServer } from '../../src/web/server.js';
import { StoredData } from '../../src/web/stored-data.js';
import { referenceDataDir } from '../helpers/reference.js';
import { get } from './http-json.js';

const DIR = referenceDataDir('run012100');
let server: MicrostraxServer;
let base: string;

beforeAll(async () => {
  const sc = makeReadOnlyContext('reference', {
    configFile: join(DIR, '012100-config.json'),
    extraDirs: [DIR],
    dataFolder: join(DIR, 'no-such-folder'),
  });
  server = new MicrostraxServer({
    data: new StoredData(sc),
    limits: { maxLoadMb: 1000, maxReturnMb: 100 },
    maxActive: 1,
    idleTimeoutMs: 1500,
    log: () => undefined,
  });
  const addr = await server.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${addr.port}`;
});

afterAll(async () => {
  await server?.close();
});

describe('a client that stops reading', () => {
  it('does not block the server for longer than the idle timeout', { timeout: 60_000 }, async () => {
    // Every record of the run: about 80 MB of JSON, far more than the socket buffers take.
    const port = Number(new URL(base).port);
    const stalled: Socket = connect(port, '127.0.0.1');
    await new Promise<void>((ok) => stalled.once('connect', () => ok()));
    stalled.pause();
    stalled.write('GET /get_data?run_id=012100&target=records&max_n=0 HTTP/1.1\r\nHost: x\r\n\r\n');
    try {
      // Queued behind the stalled answer, answered once the stalled connection is dropped.
      const a = await get(`${base}/get_data?run_id=012100&target=peak_basics&max_n=2`);
      expect(a.status).toBe(200);
      expect(JSON.parse(a.text.replace(/\d{16,}/g, '0'))).toHaveLength(2);
      expect(server.metrics.count('get_data', 200)).toBe(2);
    } finally {
      stalled.destroy();
    }
  });
});
