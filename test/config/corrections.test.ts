import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { JsonCorrectionsSource, type ResolvedCorrection } from '../../src/config/corrections.js';
import { InterpolatingMap } from '../../src/config/itp-map.js';
import { resolveUrlConfig } from '../../src/config/url-config.js';

const T = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

const source = new JsonCorrectionsSource(
  {
    straxts_corrections: 1,
    runs: { '000001': '2024-06-01T00:00:00Z' },
    corrections: {
      electron_lifetimes: [
        {
          version: 'ONLINE',
          valid_from: '2024-01-01T00:00:00Z',
          valid_until: '2024-07-01T00:00:00Z',
          value: 1e6,
        },
        { version: 'ONLINE', valid_from: '2024-07-01T00:00:00Z', value: 2e6 },
        { version: 'v1', value: 3e6 },
      ],
      electron_drift_velocities: {
        kind: 'sampled',
        docs: [
          { version: 'ONLINE', time: '2024-01-01T00:00:00Z', value: 6e-5 },
          { version: 'ONLINE', time: '2024-01-11T00:00:00Z', value: 7e-5 },
          { version: 'v1', time: '2024-01-01T00:00:00Z', value: 6e-5 },
          { version: 'v1', time: '2024-01-11T00:00:00Z', value: 7e-5 },
        ],
      },
      se_gains: [
        { version: 'ONLINE', partition: 'all_tpc', value: 30.5 },
        { version: 'ONLINE', partition: 'ab', value: 29 },
      ],
      pmt_area_to_pes: [2, 0, 1].map((pmt) => ({
        version: 'ONLINE',
        detector: 'tpc',
        pmt,
        value: 0.01 * (pmt + 1),
      })),
      s2_xy_maps: [{ version: 'ONLINE', map: { coordinate_system: [], map: 0.9 } }],
    },
  },
  'test corrections',
);

describe('JSON corrections source', () => {
  it('picks the document valid at the time (intervals half-open, open ends allowed)', () => {
    const at = (iso: string, version = 'ONLINE') =>
      source.find({ schema: 'electron_lifetimes', time: T(iso), labels: { version } }).map((d) => d.value);
    expect(at('2024-03-01T00:00:00Z')).toEqual([1e6]);
    expect(at('2024-07-01T00:00:00Z')).toEqual([2e6]);
    expect(at('2023-01-01T00:00:00Z')).toEqual([]);
    expect(at('2030-01-01T00:00:00Z', 'v1')).toEqual([3e6]);
  });
  it('interpolates sampled corrections; only ONLINE extrapolates past the last sample', () => {
    const at = (iso: string, version: string) =>
      source
        .find({ schema: 'electron_drift_velocities', time: T(iso), labels: { version } })
        .map((d) => d.value);
    expect(at('2024-01-06T00:00:00Z', 'ONLINE')[0]).toBeCloseTo(6.5e-5, 15);
    expect(at('2025-01-01T00:00:00Z', 'ONLINE')).toEqual([7e-5]);
    expect(at('2025-01-01T00:00:00Z', 'v1')).toEqual([]);
    expect(at('2023-01-01T00:00:00Z', 'ONLINE')).toEqual([]);
  });
  it('without a run start only matches documents valid at all times', () => {
    expect(source.find({ schema: 'electron_lifetimes', labels: { version: 'v1' } })).toHaveLength(1);
    expect(source.find({ schema: 'electron_lifetimes', labels: { version: 'ONLINE' } })).toHaveLength(0);
  });
  it('refuses files that are not straxts corrections', () => {
    expect(() => new JsonCorrectionsSource({ corrections: {} }, 'x.json')).toThrow(
      /not a straxts corrections file/,
    );
    expect(
      () =>
        new JsonCorrectionsSource(
          { straxts_corrections: 1, corrections: { a: [{ valid_from: 'soon' }] } },
          'x.json',
        ),
    ).toThrow(/cannot read time 'soon'/);
  });
});

describe('corrections:// and xedocs:// URLs', () => {
  const ctx = (extra = {}) => ({ runId: '000001', searchDirs: [], corrections: source, ...extra });
  it('resolve values by the run start (from the source run table)', async () => {
    expect(
      await resolveUrlConfig(
        'corrections://electron_lifetimes?attr=value&run_id=plugin.run_id&version=ONLINE',
        ctx(),
      ),
    ).toBe(1e6);
    expect(
      await resolveUrlConfig(
        'xedocs://electron_lifetimes?attr=value&run_id=plugin.run_id&version=ONLINE',
        ctx({ runStart: T('2025-01-01T00:00:00Z') }),
      ),
    ).toBe(2e6);
  });
  it("serve straxen's nested defaults (take / objects-to-dict / list-to-array with sort)", async () => {
    const se =
      'take://objects-to-dict://xedocs://se_gains?as_list=True&key_attr=partition&partition=all_tpc&run_id=plugin.run_id&sort=partition&take=all_tpc&value_attr=value&version=ONLINE';
    expect(await resolveUrlConfig(se, ctx())).toBe(30.5);
    const gains = await resolveUrlConfig(
      'list-to-array://corrections://pmt_area_to_pes?as_list=True&attr=value&detector=tpc&run_id=plugin.run_id&sort=pmt&version=ONLINE',
      ctx(),
    );
    expect(Array.from(gains as Float64Array)).toEqual([0.01, 0.02, 0.03]);
  });
  it('turn attr=map documents into maps and report each lookup', async () => {
    const seen: ResolvedCorrection[] = [];
    const m = await resolveUrlConfig(
      'corrections://s2_xy_maps?attr=map&run_id=plugin.run_id&version=ONLINE',
      ctx({ onCorrection: (r: ResolvedCorrection) => seen.push(r) }),
    );
    expect(m).toBeInstanceOf(InterpolatingMap);
    expect((m as InterpolatingMap).evaluate([[1], [2]])[0]).toBe(0.9);
    expect(seen.map((s) => [s.schema, s.labels.version, s.time])).toEqual([
      ['s2_xy_maps', 'ONLINE', T('2024-06-01T00:00:00Z')],
    ]);
  });
  it('explain what is missing', async () => {
    await expect(
      resolveUrlConfig('corrections://electron_lifetimes?attr=value&version=v9', ctx()),
    ).rejects.toThrow(/no document valid at the start of run 000001/);
    await expect(
      resolveUrlConfig('corrections://electron_lifetimes?attr=value', { runId: '1', searchDirs: [] }),
    ).rejects.toThrow(/no corrections source is configured/);
  });
});

describe('other protocols', () => {
  const dir = tempDir('straxts-url-');
  writeFileSync(
    join(dir, 'c.json'),
    '{"a": {"b": [1, 2]}, # comment\n "m": {"coordinate_system": [], "map": 2.0}}',
  );
  writeFileSync(
    join(dir, 'm.json.gz'),
    gzipSync(JSON.stringify({ coordinate_system: [[0], [1]], map: [0, 1] })),
  );
  writeFileSync(join(dir, 'numbers.txt'), 'hello');
  const ctx = { runId: '012345', searchDirs: [join(dir, 'missing'), dir] };
  it('read resources in json (comments allowed), json.gz and text from the search folders', async () => {
    expect(await resolveUrlConfig('take://resource://c.json?fmt=json&take=a&take=b', ctx)).toEqual([1, 2]);
    const m = (await resolveUrlConfig('itp_map://resource://m.json.gz?fmt=json.gz', ctx)) as InterpolatingMap;
    expect(m.evaluate([[0.25]])[0]).toBeCloseTo(0.25, 12);
    expect(await resolveUrlConfig('resource://numbers.txt', ctx)).toBe('hello');
    await expect(resolveUrlConfig('resource://nothere.json?fmt=json', ctx)).rejects.toThrow(
      /resource 'nothere.json' not found in/,
    );
  });
  it('evaluate json, format, objects-to-dict, pad-array, rekey_dict and plugin references', async () => {
    expect(await resolveUrlConfig('json://[1, 2.5]', ctx)).toEqual([1, 2.5]);
    expect(await resolveUrlConfig('format://run_{run}_{x:.2f}?run=plugin.run_id&x=1.0', ctx)).toBe(
      'run_012345_1.00',
    );
    expect(
      await resolveUrlConfig(
        'objects-to-dict://json://[{"k": "a", "value": 1}, {"k": "b", "value": 2}]?key_attr=k',
        ctx,
      ),
    ).toEqual({ a: 1, b: 2 });
    expect(await resolveUrlConfig('pad-array://json://[1]?pad_left=2', ctx)).toEqual([0, 0, 1]);
    expect(await resolveUrlConfig('rekey_dict://json://{"a": 1}?replace_keys=a&with_keys=b', ctx)).toEqual({
      b: 1,
    });
    expect(
      await resolveUrlConfig('take://json://{"cnf": 3}?take=config.algo', {
        ...ctx,
        config: { algo: 'cnf' },
      }),
    ).toBe(3);
  });
  it('pass plain values through (floats unwrapped) and keep literal strings', async () => {
    expect(await resolveUrlConfig('disabled', ctx)).toBe('disabled');
    expect(await resolveUrlConfig('nosuch://x', ctx)).toBe('nosuch://x');
    expect(await resolveUrlConfig({ linear: 28 }, ctx)).toEqual({ linear: 28 });
    await expect(resolveUrlConfig('tf://model.keras', ctx)).rejects.toThrow(/not supported by straxts/);
  });
});
