// A few thousand random and hostile requests against microstrax serving the reference run:
// none may get a 5xx, every refusal is JSON {"error": "..."}, no answer ever holds a file from
// outside the data (traversal), memory stays bounded, and afterwards the server still answers
// the README query correctly.

import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceNpy } from '../helpers/reference.js';
import { get, getRows } from './http-json.js';
import { startMicrostrax, type RunningServer } from './microstrax-helpers.js';
import { expectRowsEqual } from './rows-compare.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startMicrostrax();
});
afterAll(async () => {
  await server?.stop();
});

const hostile = fc.constantFrom(
  '..',
  '../..',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e',
  '%252e%252e%252f',
  '/etc/passwd',
  '..\\..\\windows',
  '012100/../../',
  '%00',
  '%',
  '%zz',
  '%C0%AE%C0%AE',
  '012100%00',
  '012100-peaks-3hvqymvt7u',
  '999999999999999999999999',
  '-1',
  '1e309',
  'NaN',
  'Infinity',
  '',
  ' ',
  'x'.repeat(600),
  '((((((((((((((((((((((((((((((((((((((((area',
  '('.repeat(240) + 'area' + ')'.repeat(240),
  'area > 1 & '.repeat(45) + 'area > 1',
  '__proto__',
  'constructor',
  'toString',
);
const good = {
  run_id: fc.constantFrom('12100', '012100', '0012100', '12200', '_superrun'),
  target: fc.constantFrom(
    'peak_basics',
    'peaks',
    'records',
    'raw_records',
    'events',
    'event_info',
    'lone_hits',
  ),
  max_n: fc.oneof(fc.integer({ min: -5, max: 3000 }), fc.constantFrom(0, 1e15, -1e15)).map(String),
  start: fc.double({ noNaN: false }).map(String),
  end: fc.double({ min: 0, max: 6 }).map(String),
  selection: fc.constantFrom(
    'area > 100',
    'type == 2',
    'n_hits >= 3 & area < 10',
    'abs(area) > 1e3',
    'time > 0',
  ),
};
const value = (k: keyof typeof good): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 12, arbitrary: good[k] },
    { weight: 2, arbitrary: hostile },
    { weight: 1, arbitrary: fc.string() },
  );

const getDataQuery = fc
  .tuple(
    fc.record(
      {
        run_id: value('run_id'),
        target: value('target'),
        max_n: value('max_n'),
        start: value('start'),
        end: value('end'),
        selection: value('selection'),
      },
      { requiredKeys: [] },
    ),
    fc.option(fc.tuple(fc.constantFrom('maxn', 'run', 'selection_str', 'run_id'), fc.string()), { freq: 8 }),
    fc.boolean(),
  )
  .map(([q, extra, raw]) =>
    [...Object.entries(q), ...(extra ? [extra] : [])]
      .map(([k, v]) => `${k}=${raw ? v.replace(/[^\x21-\x7e]/g, encodeURIComponent) : encodeURIComponent(v)}`)
      .join('&'),
  );

const path = fc.oneof(
  { weight: 6, arbitrary: getDataQuery.map((q) => `/get_data?${q}`) },
  { weight: 2, arbitrary: fc.oneof(value('run_id'), hostile).map((r) => `/run/${r}/types`) },
  { weight: 1, arbitrary: fc.constantFrom('/runs', '/healthz', '/metrics', '/', '/viewer.js', '/runs?x=1') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(hostile, fc.constantFrom('/', '/js/', '/vendor/', '/js/web/draw/', '/run/'))
      .map(([h, at]) => `${at}${h}`),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }).map((s) => `/${encodeURI(s)}`) },
);

/** Characters a raw request line may carry (others the client library refuses to send). */
const sendable = (p: string): string => p.replace(/[^\x21-\x7e]/g, encodeURIComponent);

describe('fuzzing microstrax', () => {
  it('answers thousands of random and hostile requests with 2xx/4xx only', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const secret = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;
    let sent = 0;
    const statuses = new Map<number, number>();
    try {
      await fc.assert(
        fc.asyncProperty(
          path,
          fc.constantFrom(...Array<string>(12).fill('GET'), 'POST', 'HEAD', 'DELETE'),
          async (p, method) => {
            const a = await getWith(agent, `${server.url}${sendable(p)}`, method);
            sent++;
            statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
            expect(a.status, `${method} ${p}: ${a.text.slice(0, 200)}`).toBeLessThan(500);
            if (secret) expect(a.text.includes(secret)).toBe(false);
            if (method === 'HEAD') return;
            if (a.status >= 400) {
              const body = JSON.parse(a.text) as { error?: unknown };
              expect(typeof body.error === 'string' && body.error.length > 0, a.text).toBe(true);
            } else if (p.startsWith('/get_data')) expect(Array.isArray(JSON.parse(a.text))).toBe(true);
          },
        ),
        { numRuns: 3000 },
      );
    } finally {
      agent.destroy();
    }
    expect(sent).toBe(3000);
    // A mix, not one answer for everything.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
    expect(statuses.get(404) ?? 0).toBeGreaterThan(100);

    // Garbage that is not HTTP at all, sent raw: the server drops or refuses it and lives on.
    for (const junk of [
      'GET /../../etc/passwd HTTP/1.1\r\n\r\n',
      '\x00\x01\x02\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'A'.repeat(20000),
    ]) {
      const answer = await raw(server.url, junk);
      expect(answer).not.toMatch(/^HTTP\/1\.1 5/);
      expect(answer.includes(secret)).toBe(false);
    }

    const rss =
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;
    expect(rss, `server RSS ${rss.toFixed(0)} MB after the fuzzing`).toBeLessThan(600);

    const rows = await getRows(`${server.url}/get_data?run_id=12100&target=peak_basics&max_n=5`);
    expectRowsEqual(rows, loadReferenceNpy('run012100', 'peak_basics').records);
    expect((await get(`${server.url}/healthz`)).status).toBe(200);
  });
});

function getWith(agent: Agent, url: string, method: string): Promise<{ status: number; text: string }> {
  return get(url, {}, method, agent);
}

/** Bytes straight onto a socket; whatever comes back before the server closes or 2 s pass. */
function raw(base: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const s = connect(Number(port), hostname);
    let got = '';
    const done = (): void => {
      s.destroy();
      resolve(got);
    };
    s.setTimeout(2000, done);
    s.on('data', (b: Buffer) => (got += b.toString('latin1')));
    s.on('end', done);
    s.on('error', done);
    s.write(bytes);
  });
}
