// Streaming export: same bytes as numpy's export, time ranges (header count rewritten, or counted
// first for .gz), nothing left behind on failure, and memory independent of the data's size.

import {
  closeSync,
  cpSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportStored, TimeRangeOutsideData } from '../../src/storage/export.js';
import { loadAll } from '../../src/storage/load-all.js';
import { encodeNpy, parseNpyHeader, readNpy } from '../../src/storage/npy.js';
import { DataCorrupted } from '../../src/storage/errors.js';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import { runMeasured } from '../helpers/peak-rss.js';
import { referenceDataDir } from '../helpers/reference.js';
import { tempDir } from '../helpers/tmp.js';

beforeAll(() => ensureBuilt(), 300_000);

const REF = referenceDataDir('run012200');
const RUN = '012200';

describe('streaming export', () => {
  it('.npy of every chunk of raw_records equals encoding all rows at once', async () => {
    const out = join(tempDir('straxts-export-'), 'rr.npy');
    const { rows } = await exportStored({
      dir: REF,
      runId: RUN,
      dataType: 'raw_records',
      out,
      format: 'npy',
    });
    const all = await loadAll(REF, RUN, 'raw_records');
    expect(rows).toBe(all.length);
    expect(Buffer.compare(readFileSync(out), encodeNpy(all))).toBe(0);
    expect(existsSync(`${out}_temp`)).toBe(false);
  });

  it('a time range: the header holds the selected count, plain and gzip', async () => {
    const all = await loadAll(REF, RUN, 'peaks');
    const t = all.i64('time');
    const range = [t[20]!, t[all.length - 20]!] as const;
    const want = await loadAll(REF, RUN, 'peaks', { timeRange: range });
    expect(want.length).toBeLessThan(all.length);
    const dir = tempDir('straxts-export-');
    for (const name of ['p.npy', 'p.npy.gz']) {
      const out = join(dir, name);
      const { rows } = await exportStored({
        dir: REF,
        runId: RUN,
        dataType: 'peaks',
        out,
        format: 'npy',
        timeRange: range,
      });
      expect(rows).toBe(want.length);
      expect(Buffer.compare(readNpy(out).toBytes(), want.toBytes())).toBe(0);
    }
    const csv = join(dir, 'p.csv.gz');
    await exportStored({
      dir: REF,
      runId: RUN,
      dataType: 'peaks',
      out: csv,
      format: 'csv',
      timeRange: range,
    });
    expect(gunzipSync(readFileSync(csv)).toString().trim().split('\n')).toHaveLength(want.length + 1);
  });

  it('a failure half-way leaves neither the file nor a _temp behind', async () => {
    const dir = tempDir('straxts-export-');
    const folder = readdirSync(REF).find((f) => f.startsWith(`${RUN}-raw_records-`))!;
    cpSync(join(REF, folder), join(dir, folder), { recursive: true });
    const chunks = readdirSync(join(dir, folder))
      .filter((f) => /-\d{6}$/.test(f))
      .sort();
    writeFileSync(join(dir, folder, chunks[chunks.length - 1]!), 'not lz4');
    const out = join(dir, 'rr.npy');
    await expect(
      exportStored({ dir, runId: RUN, dataType: 'raw_records', out, format: 'npy' }),
    ).rejects.toThrow(DataCorrupted);
    expect(readdirSync(dir).filter((f) => f.startsWith('rr.'))).toEqual([]);
  });

  it('a time range outside the data says so, and hints at seconds given for ns', async () => {
    const out = join(tempDir('straxts-export-'), 'p.npy');
    const err = await exportStored({
      dir: REF,
      runId: RUN,
      dataType: 'peaks',
      out,
      format: 'npy',
      timeRange: [0n, 10n],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeRangeOutsideData);
    expect((err as Error).message).toMatch(
      /lies outside the data, which spans \[\d+, \d+\) ns; times are ns since the epoch, not seconds/,
    );
    const r = await runTool('straxts', [
      'export',
      REF,
      RUN,
      'peaks',
      '--out',
      out,
      '--time-range',
      '0',
      '10',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('--format that contradicts the file name is refused', async () => {
    const out = join(tempDir('straxts-export-'), 'x.csv');
    const r = await runTool('straxts', ['export', REF, RUN, 'peaks', '--format', 'npy', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^straxts: --format npy does not match the file name '.*x\.csv' \(a \.csv name\)/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('memory does not grow with the data: 40 s of simulated raw_records (256 MB) exported within 200 MB', async () => {
    const cwd = tempDir('straxts-export-big-');
    const sim = await runTool('straxts', [
      'simulate',
      '000777',
      '--duration',
      '40s',
      '-o',
      join(cwd, 'd'),
      '--no-rundb',
    ]);
    expect(sim.code, sim.stderr).toBe(0);
    const out = join(cwd, 'rr.npy');
    const r = await runMeasured('straxts', ['export', join(cwd, 'd'), '000777', 'raw_records', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = Number(/wrote (\d+) rows/.exec(r.stderr)![1]);
    const fd = openSync(out, 'r');
    const head = Buffer.alloc(4096);
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    const h = parseNpyHeader(head, out);
    expect(h.shape).toEqual([rows]);
    expect(statSync(out).size).toBe(h.dataOffset + rows * h.dtype.itemsize);
    expect(rows * h.dtype.itemsize).toBeGreaterThan(250e6);
    expect(r.peakRssMb).toBeLessThan(200);
  }, 300_000);
});
