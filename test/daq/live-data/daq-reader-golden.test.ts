// Issue 10's check: straxer with the DAQReader on live012300 (live_data as the DAQ writes it)
// gives straxen's raw_records, raw_records_he and raw_records_aqmon: rows, chunk ranges, the
// sha1 of all packed rows, the lineage hash, and the first rows exported by numpy.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../../src/storage/npy.js';
import { ensureBuilt, runTool } from '../../helpers/cli.js';
import { REFERENCE } from '../../helpers/reference.js';
import { sha1, storedOutput, straxerOnLive } from './helpers.js';
import { tempDir } from '../../helpers/tmp.js';

const LIVE = join(REFERENCE, 'live012300');
const TYPES = ['raw_records', 'raw_records_he', 'raw_records_aqmon'] as const;

interface Summary {
  rows: number;
  lineage_hash: string;
  chunk_ranges: [number, number, number][];
  sha1_data: string;
}

describe('straxer on live_data without --build_lowlevel', () => {
  it('refuses with one line that names the missing flag, writing nothing', async () => {
    ensureBuilt();
    const out = tempDir('straxts-live-');
    const r = await runTool('straxer', [
      '012300',
      '--target',
      'raw_records',
      '--config_from_json',
      join(LIVE, '012300-daq_config.json'),
      '--config_kwargs',
      JSON.stringify({ daq_input_dir: join(LIVE, 'live_data', '012300') }),
      '--add_folder',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/live_data in daq_input_dir, add --build_lowlevel/);
    expect(readdirSync(out)).toEqual([]);
  }, 60_000);
});

describe('DAQReader on live012300 (straxen golden)', () => {
  const out = tempDir('straxts-live-');
  // Exact int64 values: summary.json's chunk ranges exceed 2^53, so read them as text.
  const summaryText = readFileSync(join(LIVE, 'npy', 'summary.json'), 'utf8').replace(/(\d{16,})/g, '"$1"');
  const summary = JSON.parse(summaryText) as Record<string, Summary>;
  let result: Awaited<ReturnType<typeof straxerOnLive>>;

  beforeAll(async () => {
    ensureBuilt();
    result = await straxerOnLive(
      '012300',
      join(LIVE, 'live_data', '012300'),
      join(LIVE, '012300-daq_config.json'),
      out,
    );
  }, 120_000);

  it('straxer exits 0', () => {
    expect(result.stderr.split('\n').filter((l) => / ERROR /.test(l))).toEqual([]);
    expect(result.code).toBe(0);
  });

  for (const t of TYPES) {
    it(`${t}: rows, chunk ranges, sha1 and lineage hash are straxen's`, async () => {
      const want = summary[t]!;
      const got = await storedOutput(out, '012300', t);
      expect(got.hash).toBe('rfzvpzj4mf');
      expect(got.records.length).toBe(want.rows);
      expect(got.ranges.map(([s, e, n]) => [String(s), String(e), n])).toEqual(
        want.chunk_ranges.map(([s, e, n]) => [String(s), String(e), Number(n)]),
      );
      expect(sha1(got.records)).toBe(want.sha1_data);
    });
  }

  it("the four empty outputs (veto detectors) have straxen's chunks too", async () => {
    for (const t of ['raw_records_nv', 'raw_records_aqmon_nv', 'raw_records_aux_mv', 'raw_records_mv']) {
      const want = summary[t]!;
      const got = await storedOutput(out, '012300', t);
      expect(got.records.length, t).toBe(0);
      expect(
        got.ranges.map(([s, e, n]) => [String(s), String(e), n]),
        t,
      ).toEqual(want.chunk_ranges.map(([s, e, n]) => [String(s), String(e), Number(n)]));
    }
  });

  it('the first rows equal numpy exports field by field', async () => {
    for (const [t, file] of [
      ['raw_records', 'raw_records-head.npy.gz'],
      ['raw_records_he', 'raw_records_he-head.npy.gz'],
      ['raw_records_aqmon', 'raw_records_aqmon.npy.gz'],
    ] as const) {
      const ref = decodeNpy(gunzipSync(readFileSync(join(LIVE, 'npy', file))));
      const got = (await storedOutput(out, '012300', t)).records.slice(0, ref.length);
      expect(Buffer.from(got.toBytes()).equals(Buffer.from(ref.toBytes()))).toBe(true);
    }
  });
});
