// microstrax over real HTTP, as the README starts it on the reference run: straxen's /get_data
// (values against numpy's export of straxen's data), its parameters and limits, the viewer's
// routes, /metrics, and every refusal as a 4xx with {"error": ...} naming the problem.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAll } from '../../src/storage/load-all.js';
import { loadReferenceNpy, referenceDataDir } from '../helpers/reference.js';
import { get, getRows, parseExact, type Row } from './http-json.js';
import { REFERENCE_RUN_ARGS, startMicrostrax, type RunningServer } from './microstrax-helpers.js';
import { expectRowsEqual } from './rows-compare.js';

const RUN_START = 1765001000_000000000n; // first chunk start floored to seconds (no run metadata)
let server: RunningServer;
const url = (path: string): string => `${server.url}${path}`;

beforeAll(async () => {
  server = await startMicrostrax();
});
afterAll(async () => {
  await server?.stop();
});

async function refusal(path: string, status: number, pattern: RegExp): Promise<void> {
  const a = await get(url(path));
  expect(a.status, `${path}: ${a.text}`).toBe(status);
  expect(a.type).toMatch(/^application\/json/);
  const body = JSON.parse(a.text) as { error: string };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatch(pattern);
}

describe('/get_data on the reference run', () => {
  it('answers the first five rows of straxen’s peak_basics (the README command)', async () => {
    const rows = await getRows(url('/get_data?run_id=12100&target=peak_basics&max_n=5'));
    expect(rows).toHaveLength(5);
    expectRowsEqual(rows, loadReferenceNpy('run012100', 'peak_basics').records);
  });

  it('sends sub-arrays as lists, int64 exact, every field of peaks', async () => {
    const rows = await getRows(url('/get_data?run_id=012100&target=peaks&max_n=3'));
    const ref = loadReferenceNpy('run012100', 'peaks').records;
    expectRowsEqual(rows, ref);
    expect((rows[0]!.data as number[]).length).toBe(200);
    expect((rows[0]!.area_per_channel as number[]).length).toBe(494);
    expect(rows[0]!.time).toBe(ref.i64('time')[0]);
  });

  it('pads run ids as straxen does and defaults max_n to 1000', async () => {
    const a = await get(url('/get_data?run_id=12100&target=lone_hits'));
    const b = await get(url('/get_data?run_id=0012100&target=lone_hits'));
    expect(a.status).toBe(200);
    expect(b.text).toBe(a.text);
    expect((parseExact(a.text) as Row[]).length).toBe(1000);
  });

  it('max_n ≤ 0 gives every row', async () => {
    const rows = await getRows(url('/get_data?run_id=012100&target=peak_basics&max_n=0'));
    const ref = loadReferenceNpy('run012100', 'peak_basics').records;
    expect(rows).toHaveLength(ref.length);
    expectRowsEqual(rows.slice(-3), ref, ref.length - 3);
  });

  it('start/end select rows fully inside the window, in seconds since the run start', async () => {
    const rows = await getRows(url('/get_data?run_id=012100&target=peak_basics&start=1.5&end=2.25&max_n=0'));
    const ref = loadReferenceNpy('run012100', 'peak_basics').records;
    const [a, b] = [RUN_START + 1_500_000_000n, RUN_START + 2_250_000_000n];
    const t = ref.i64('time');
    const e = ref.i64('endtime');
    const idx = [...Array(ref.length).keys()].filter((i) => t[i]! >= a && e[i]! <= b);
    expect(idx.length).toBeGreaterThan(10);
    expect(rows.map((r) => r.time)).toEqual(idx.map((i) => t[i]));
    expectRowsEqual(rows, ref.take(idx));
  });

  it('applies a selection before max_n', async () => {
    const rows = await getRows(
      url(
        `/get_data?run_id=012100&target=peak_basics&max_n=7&selection=${encodeURIComponent('(type == 2) & (area > 1000)')}`,
      ),
    );
    const ref = loadReferenceNpy('run012100', 'peak_basics').records;
    const type = ref.col('type');
    const area = ref.f32('area');
    const idx = [...Array(ref.length).keys()].filter((i) => type[i] === 2 && area[i]! > 1000).slice(0, 7);
    expect(rows).toHaveLength(7);
    expectRowsEqual(rows, ref.take(idx));
  });

  it('serves records and raw_records (int16 waveforms) as numpy has them', async () => {
    for (const target of ['records', 'raw_records']) {
      const rows = await getRows(url(`/get_data?run_id=012100&target=${target}&max_n=2000`));
      expect(rows).toHaveLength(2000);
      expectRowsEqual(rows, loadReferenceNpy('run012100', target).records);
    }
  });

  it('a window across a chunk boundary joins both chunks', async () => {
    // records chunk 0 ends at 0.99995784 s after the run start.
    const rows = await getRows(url('/get_data?run_id=012100&target=records&start=0.9999&end=1.0001&max_n=0'));
    const want = await loadAll(referenceDataDir('run012100'), '012100', 'records', {
      timeRange: [RUN_START + 999_900_000n, RUN_START + 1_000_100_000n],
    });
    const t = want.i64('time');
    expect(t[0]).toBeLessThan(RUN_START + 999_957_840n);
    expect(t[want.length - 1]).toBeGreaterThanOrEqual(RUN_START + 999_957_840n);
    expect(rows).toHaveLength(want.length);
    expectRowsEqual(rows, want);
  });

  it('a window outside the run gives an empty list', async () => {
    const rows = await getRows(url('/get_data?run_id=012100&target=peaks&start=100&end=200'));
    expect(rows).toEqual([]);
  });
});

describe('refusals are 4xx with {"error"} naming the problem', () => {
  it.each([
    ['/get_data?target=peaks', 400, /run_id.*required/],
    ['/get_data?run_id=012100', 400, /target.*required/],
    ['/get_data?run_id=012100&target=peeks', 404, /unknown data type 'peeks'/],
    ['/get_data?run_id=999999&target=peaks', 404, /no peaks of run 999999.*nothing of this run/],
    ['/get_data?run_id=012100&target=peaks&max_n=lots', 400, /max_n must be an integer/],
    ['/get_data?run_id=012100&target=peaks&start=1', 400, /both start and end/],
    ['/get_data?run_id=012100&target=peaks&start=2&end=1', 400, /end .* must be after start/],
    ['/get_data?run_id=012100&target=peaks&start=nan&end=1', 400, /start must be a finite number/],
    ['/get_data?run_id=012100&target=peaks&maxn=3', 400, /unknown parameter 'maxn'/],
    ['/get_data?run_id=012100&target=peaks&max_n=1&max_n=2', 400, /more than once/],
    ['/get_data?run_id=012100&target=peaks&selection=area%20%3E', 400, /selection/],
    ['/get_data?run_id=012100&target=peaks&selection=areaa%20%3E%201', 400, /no field 'areaa'/],
    ['/get_data?run_id=012100&target=peaks&selection=data%20%3E%201', 400, /several values per row/],
    ['/get_data?run_id=012100&target=records&max_n=0', 413, /return limit of 10 MB/],
    ['/get_data?run_id=../../etc&target=peaks', 400, /not a run id/],
    ['/get_data?run_id=..%2F..%2Fetc&target=peaks', 400, /not a run id/],
    ['/get_data?run_id=012100&target=..%2Fpeaks', 400, /not a data type name/],
    ['/run/..%2F..%2Fetc/types', 400, /not a run id/],
    ['/run/%2e%2e/types', 400, /not a run id/],
    ['/run/%E0%A4%A/types', 400, /cannot decode/],
    ['/run/424242/types', 404, /nothing of run 424242/],
    ['/../../etc/passwd', 404, /no route/],
    ['/js/../../package.json', 404, /no page or file/],
    ['/vendor/uPlot.cjs.js', 404, /no page or file/],
  ])('%s → %i', async (path, status, pattern) => {
    await refusal(path, status, pattern);
  });

  it('answers only GET', async () => {
    const a = await get(url('/get_data?run_id=012100&target=peaks'), {}, 'POST');
    expect(a.status).toBe(405);
    expect(JSON.parse(a.text)).toEqual({ error: expect.stringMatching(/only answers GET/) });
  });
});

describe('the viewer’s routes', () => {
  it('/runs lists the run with its stored data types', async () => {
    const runs = parseExact((await get(url('/runs'))).text) as { run_id: string; types: string[] }[];
    expect(runs.map((r) => r.run_id)).toEqual(['012100']);
    expect(runs[0]!.types).toContain('peak_basics');
    expect(runs[0]!.types).toContain('raw_records');
  });

  it('/run/RUN/types gives sizes, completeness and the run start', async () => {
    const info = parseExact((await get(url('/run/12100/types'))).text) as {
      run_start: bigint;
      types: { data_type: string; rows: number; complete: boolean; lineage_hash: string }[];
    };
    expect(info.run_start).toBe(RUN_START);
    const pb = info.types.find((t) => t.data_type === 'peak_basics')!;
    expect(pb).toMatchObject({ rows: 530, complete: true, lineage_hash: 'xg5zt6qksv' });
  });

  it('/healthz and /metrics (Prometheus text: requests, latency, bytes)', async () => {
    expect(JSON.parse((await get(url('/healthz'))).text)).toMatchObject({
      status: 'ok',
      context: 'reference',
    });
    await get(url('/get_data?run_id=12100&target=peak_basics&max_n=5'));
    const m = await get(url('/metrics'));
    expect(m.type).toMatch(/^text\/plain/);
    expect(m.text).toMatch(/^microstrax_requests_total\{route="get_data",code="200"\} [1-9]\d*$/m);
    expect(m.text).toMatch(/^microstrax_request_duration_seconds_count\{route="get_data"\} [1-9]\d*$/m);
    expect(m.text).toMatch(/^microstrax_response_bytes_total\{route="get_data"\} [1-9]\d*$/m);
  });

  it('serves the page, uPlot and the drawing modules', async () => {
    const page = await get(url('/'));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script type="module" src="/viewer.js">');
    expect((await get(url('/vendor/uPlot.esm.js'))).text).toContain('export { uPlot as default }');
    expect((await get(url('/js/web/draw/figures.js'))).status).toBe(200);
    expect((await get(url('/js/config/pmt-positions.js'))).status).toBe(200);
  });
});

describe('limits and the token', () => {
  it('--max_load_mb refuses what would load too much, naming the limit', async () => {
    const small = await startMicrostrax([...REFERENCE_RUN_ARGS, '--max_load_mb', '1']);
    try {
      const a = await get(`${small.url}/get_data?run_id=012100&target=records&max_n=0`);
      expect(a.status).toBe(413);
      expect(JSON.parse(a.text).error).toMatch(
        /cannot load records of run 012100: it would take 31\.0 MB, more than the load limit of 1 MB \(--max_load_mb\)/,
      );
      // Few rows of a small type still load.
      expect((await get(`${small.url}/get_data?run_id=012100&target=peak_basics&max_n=5`)).status).toBe(200);
    } finally {
      await small.stop();
    }
  });

  it('--token guards data and metrics (bearer), not /healthz or the page', async () => {
    const token = 'sekrit-token-123';
    const guarded = await startMicrostrax([...REFERENCE_RUN_ARGS, '--token', token]);
    try {
      const q = `${guarded.url}/get_data?run_id=012100&target=peak_basics&max_n=1`;
      const denied = await get(q);
      expect(denied.status).toBe(401);
      expect(JSON.parse(denied.text).error).toMatch(/Authorization: Bearer/);
      expect((await get(q, { Authorization: 'Bearer wrong-token-1234' })).status).toBe(401);
      expect((await get(q, { Authorization: `Bearer ${token}` })).status).toBe(200);
      expect((await get(`${guarded.url}/metrics`)).status).toBe(401);
      expect((await get(`${guarded.url}/healthz`)).status).toBe(200);
      expect((await get(`${guarded.url}/`)).status).toBe(200);
    } finally {
      await guarded.stop();
    }
  });
});
