import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync, cpSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ensureBuilt, runTool } from '../helpers/cli.js';
import {
  REFERENCE_RUNS,
  REFERENCE,
  loadReferenceNpy,
  referenceDataDir,
  referenceFolder,
  referenceNpyTypes,
  runNumber,
} from '../helpers/reference.js';
import { readNpy, parseNpyHeader } from '../../src/storage/npy.js';
import { tempDir } from '../helpers/tmp.js';

beforeAll(() => ensureBuilt(), 300_000);

/** A reference folder copied into a scratch data directory, writable. */
function scratchCopy(type: string): { dir: string; folder: string } {
  const dir = tempDir();
  const folder = referenceFolder('run012100', type);
  cpSync(join(referenceDataDir('run012100'), folder), join(dir, folder), { recursive: true });
  chmodSync(join(dir, folder), 0o755);
  for (const f of readdirSync(join(dir, folder))) chmodSync(join(dir, folder, f), 0o644);
  return { dir, folder: join(dir, folder) };
}

describe("straxts export → .npy equals numpy's export of strax's array", () => {
  for (const run of REFERENCE_RUNS) {
    it(`${run}: every data type`, async () => {
      const out = tempDir();
      for (const type of referenceNpyTypes(run)) {
        const file = join(out, `${type}.npy`);
        const r = await runTool('straxts', [
          'export',
          referenceDataDir(run),
          runNumber(run),
          type,
          '--out',
          file,
        ]);
        expect(r.stderr).toContain('wrote');
        expect(r.code).toBe(0);
        const ref = loadReferenceNpy(run, type);
        const refFile = join(REFERENCE, run, 'npy', ref.head ? `${type}-head.npy.gz` : `${type}.npy.gz`);
        const theirs = gunzipSync(readFileSync(refFile));
        const mine = readFileSync(file);
        const h = parseNpyHeader(theirs);
        if (ref.head) {
          // Same dtype; the first rows byte-identical.
          const back = readNpy(file);
          expect(back.dtype.toDescr()).toBe(ref.records.dtype.toDescr());
          const mh = parseNpyHeader(mine);
          const n = ref.records.length * h.dtype.itemsize;
          expect(
            Buffer.compare(mine.subarray(mh.dataOffset, mh.dataOffset + n), theirs.subarray(h.dataOffset)),
          ).toBe(0);
        } else {
          // Header (descr incl. padding names, shape) and data byte-identical to np.save's output.
          expect(Buffer.compare(mine, theirs)).toBe(0);
        }
      }
    });
  }
});

describe('straxts ls / info / export formats', () => {
  const dir = referenceDataDir('run012100');
  it('ls lists every folder with rows, chunks and completeness', async () => {
    const r = await runTool('straxts', ['ls', dir]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const folders = readdirSync(dir).filter((d) => /^\d+-[a-z0-9_]+-[a-z0-9]{10}$/.test(d));
    expect(lines.length).toBe(folders.length + 2);
    const peaks = lines.find((l) => / peaks /.test(l))!;
    expect(peaks.split(/\s+/)).toEqual(
      expect.arrayContaining(['012100', 'peaks', '3hvqymvt7u', '1', '530', 'zstd', 'yes']),
    );
    expect(lines.find((l) => / raw_records /.test(l))).toMatch(/\blz4\b/);
  });
  it('ls marks incomplete data', async () => {
    const s = scratchCopy('events');
    const meta = join(
      s.folder,
      readdirSync(s.folder).find((f) => f.endsWith('metadata.json'))!,
    );
    writeFileSync(
      meta,
      readFileSync(meta, 'utf8')
        .replace(/ {4}"writing_ended": [^\n]*\n/, '')
        .replace(/,\n}$/, '\n}'),
    );
    const r = await runTool('straxts', ['ls', s.dir]);
    expect(r.stdout).toMatch(/events .* no \(writing not finished\)/);
  });
  it('info shows fields, span and lineage', async () => {
    const r = await runTool('straxts', ['info', dir, '012100', 'peaks']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('012100-peaks-3hvqymvt7u');
    expect(r.stdout).toMatch(/area_per_channel\s+<f4\s+\(494\)\s+Integral per channel \[PE\]/);
    expect(r.stdout).toContain('time span: 1765001000000000000');
    expect(r.stdout).toMatch(/lineage:\n(\s+\w+: \w+ [\d.]+ \(\d+ options\)\n)+/);
  });
  it('export csv and jsonl with a time range', async () => {
    const out = tempDir();
    const all = loadReferenceNpy('run012100', 'peaks').records;
    const t = all.i64('time');
    const csv = join(out, 'p.csv'),
      jsonl = join(out, 'p.jsonl');
    const range = ['--time-range', String(t[10]), String(t[100])];
    expect((await runTool('straxts', ['export', dir, '012100', 'peaks', '--out', csv, ...range])).code).toBe(
      0,
    );
    expect(
      (await runTool('straxts', ['export', dir, '012100', 'peaks', '--out', jsonl, ...range])).code,
    ).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]!.split(',').slice(0, 5)).toEqual(['time', 'length', 'dt', 'channel', 'type']);
    const rows = readFileSync(jsonl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { area: number; width: number[] });
    expect(rows.length).toBe(lines.length - 1);
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.length).toBeLessThanOrEqual(90);
    expect(lines[1]!.split(',')[0]).toBe(String(t[10]));
    expect(Math.fround(rows[0]!.area)).toBe(all.f32('area')[10]);
    expect(rows[0]!.width.length).toBe(11);
  });
});

describe('CLI errors', () => {
  it('user errors: one line on stderr, exit 2', async () => {
    const dir = referenceDataDir('run012100');
    for (const args of [
      ['info', '/no/such/dir', '1', 'x'],
      ['info', dir, '012100', 'nothing'],
      ['export', dir, '012100', 'peaks', '--out', '/tmp/x.txt'],
      ['nonsense'],
    ]) {
      const r = await runTool('straxts', args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n').length).toBe(1);
      expect(r.stderr).not.toMatch(/ at .*\.js:\d+/);
    }
  });
  it('corrupt data: one clear line naming the file', async () => {
    const s = scratchCopy('events');
    const chunk = join(
      s.folder,
      readdirSync(s.folder).find((f) => /-000000$/.test(f))!,
    );
    writeFileSync(chunk, Buffer.from('garbage'));
    const r = await runTool('straxts', ['export', s.dir, '012100', 'events', '--out', join(s.dir, 'e.npy')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').length).toBe(1);
    expect(r.stderr).toContain(chunk);
  });
});
