// microstrax only reads: data types that are not stored are refused (never computed), nothing is
// written into the data folders or the working directory, and data still being written (a
// _temp folder without writing_ended) is served.

import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pyJsonDumps, pyJsonParse, type PyJson } from '../../src/core/python/json.js';
import { loadAll } from '../../src/storage/load-all.js';
import { loadReferenceNpy, referenceDataDir, referenceFolder } from '../helpers/reference.js';
import { get, getRows, parseExact } from './http-json.js';
import { startMicrostrax, type RunningServer } from './microstrax-helpers.js';
import { expectRowsEqual } from './rows-compare.js';

const RUN = 'run012100';
const RUN_START = 1765001000_000000000n;
let root: string;
let data: string;
let server: RunningServer;

/** Every file and folder under dir with size and modification time. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = statSync(p);
      out.push(`${relative(dir, p)} ${s.isDirectory() ? 'dir' : s.size} ${s.mtimeMs}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'straxts-microstrax-ro-'));
  data = join(root, 'data');
  cpSync(join(referenceDataDir(RUN), '012100-config.json'), join(data, '012100-config.json'));
  for (const f of [
    '012100-to_pe.json',
    '012100-hit_thresholds.json',
    'map_zero.json',
    'map_one.json',
    'map_zbias.json',
  ])
    cpSync(join(referenceDataDir(RUN), f), join(data, f));
  const pb = referenceFolder(RUN, 'peak_basics');
  cpSync(join(referenceDataDir(RUN), pb), join(data, pb), { recursive: true });
  // peaks as a writer leaves it mid-run: a _temp folder whose metadata has no writing_ended.
  const peaks = referenceFolder(RUN, 'peaks');
  const temp = join(data, `${peaks}_temp`);
  cpSync(join(referenceDataDir(RUN), peaks), temp, { recursive: true });
  const mdFile = join(temp, `peaks-${peaks.slice(-10)}-metadata.json`);
  writeFileSync(mdFile, readFileSync(mdFile, 'utf8').replace(/\n\s*"writing_ended": \d+,/, ''));
  server = await startMicrostrax(
    ['--context', 'reference', '--config_from_json', join(data, '012100-config.json'), '--extra_dirs', data],
    root,
  );
});

afterAll(async () => {
  try {
    await server?.stop();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** records of the run as a writer leaves them after `n` chunks: a _temp folder, no writing_ended. */
function writeRecordsSoFar(n: number): void {
  const folder = referenceFolder(RUN, 'records');
  const temp = join(data, `${folder}_temp`);
  const mdName = `records-${folder.slice(-10)}-metadata.json`;
  const md = pyJsonParse(readFileSync(join(referenceDataDir(RUN), folder, mdName), 'utf8')) as {
    [k: string]: PyJson;
  };
  const chunks = (md.chunks as { [k: string]: PyJson }[]).slice(0, n);
  delete md.writing_ended;
  md.chunks = chunks;
  mkdirSync(temp, { recursive: true });
  for (const c of chunks)
    cpSync(join(referenceDataDir(RUN), folder, String(c.filename)), join(temp, String(c.filename)));
  // As a saver does: the metadata is replaced in one rename.
  writeFileSync(join(temp, `${mdName}.new`), pyJsonDumps(md, { sortKeys: true, indent: 4 }));
  renameSync(join(temp, `${mdName}.new`), join(temp, mdName));
}

describe('microstrax is read-only', () => {
  it('serves data still being written', async () => {
    const rows = await getRows(`${server.url}/get_data?run_id=012100&target=peaks&max_n=2`);
    expectRowsEqual(rows, loadReferenceNpy(RUN, 'peaks').records);
    const info = parseExact((await get(`${server.url}/run/012100/types`)).text) as {
      types: { data_type: string; complete: boolean }[];
    };
    expect(info.types.map((t) => [t.data_type, t.complete])).toEqual([
      ['peak_basics', true],
      ['peaks', false],
    ]);
  });

  it('refuses what is not stored, even when it could be computed from what is, and writes nothing', async () => {
    const before = snapshot(root);
    // peak_positions and peak_proximity could be computed from the stored peaks / peak_basics.
    for (const target of ['peak_positions', 'peak_proximity', 'event_info', 'records']) {
      const a = await get(`${server.url}/get_data?run_id=012100&target=${target}&max_n=5`);
      expect(a.status, a.text).toBe(404);
      expect(JSON.parse(a.text).error).toMatch(
        new RegExp(`no ${target} of run 012100 .* is stored; stored for it: peak_basics, peaks`),
      );
    }
    await getRows(`${server.url}/get_data?run_id=012100&target=peak_basics&max_n=0`);
    await get(`${server.url}/runs`);
    expect(snapshot(root)).toEqual(before);
    expect(readdirSync(root).sort()).toEqual(['data']);
  });
  it('serves more of a run as its chunks are written', async () => {
    const window = [RUN_START + 500_000_000n, RUN_START + 1_500_000_000n] as const;
    const ask = `${server.url}/get_data?run_id=012100&target=records&start=0.5&end=1.5&max_n=0&selection=${encodeURIComponent('area > 2000')}`;
    const all = await loadAll(referenceDataDir(RUN), '012100', 'records', { timeRange: window });
    const area = all.col('area');
    const time = all.i64('time');
    const big = [...Array(all.length).keys()].filter((i) => area[i]! > 2000);
    const chunk0End = 1765001000999957840n;
    writeRecordsSoFar(1);
    const early = await getRows(ask);
    expect(early.map((r) => r.time)).toEqual(big.filter((i) => time[i]! < chunk0End).map((i) => time[i]));
    writeRecordsSoFar(2);
    const later = await getRows(ask);
    expect(later.map((r) => r.time)).toEqual(big.map((i) => time[i]));
    expect(later.length).toBeGreaterThan(early.length);
    expectRowsEqual(later, all.take(big));
  });
});
